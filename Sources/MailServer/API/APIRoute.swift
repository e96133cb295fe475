/// What an HTTP request asks of the API, read from its method and target alone, so that the
/// routing is a pure function a test checks without a socket. Mailpit's v1 paths, and ours
/// beside them (`wait`, `conversation`).
public enum APIRoute: Sendable, Equatable {
    case listMessages
    case markMessages
    case deleteMessages
    case message(String)
    case raw(String)
    case headers(String)
    case part(String, part: String)
    case conversation(String)
    case checks(String)
    case search
    case deleteSearch
    case wait
    case info
    /// Server-sent events of arrivals (mailtui's own; Mailpit has a websocket instead).
    case events
    /// The faults in force: GET, PUT (replace), DELETE (clear), as `--fault` and the F12 panel set them.
    case faults(method: String)
    /// Mailpit's chaos triggers, kept as faults: GET, PUT.
    case chaos(method: String)

    /// Mailpit's tags: GET lists those in use, PUT sets the tags of messages.
    case tags(method: String)
    /// A path no endpoint has: 404.
    case notFound
    /// A known path with a method it does not take: 405.
    case methodNotAllowed
    /// A path that climbs (`..`) or is not a path: 400.
    case badPath

    /// The route and the query's parameters (percent-decoded; `+` is a space, as forms write it).
    public static func parse(method: String, target: String) -> (route: APIRoute, query: [String: String]) {
        let (path, queryText) = split(target)
        let query = parameters(queryText)
        guard let segments = segments(path) else { return (.badPath, query) }
        return (route(method: method, segments), query)
    }

    private static func route(method: String, _ s: [String]) -> APIRoute {
        guard s.count >= 3, s[0] == "api", s[1] == "v1" else { return .notFound }
        let rest = Array(s.dropFirst(2))
        func only(_ allowed: String, _ route: APIRoute) -> APIRoute { method == allowed ? route : .methodNotAllowed }
        switch rest.count {
        case 1:
            switch rest[0] {
            case "messages":
                switch method {
                case "GET": return .listMessages
                case "PUT": return .markMessages
                case "DELETE": return .deleteMessages
                default: return .methodNotAllowed
                }
            case "search":
                switch method {
                case "GET": return .search
                case "DELETE": return .deleteSearch
                default: return .methodNotAllowed
                }
            case "wait": return only("GET", .wait)
            case "info": return only("GET", .info)
            case "events": return only("GET", .events)
            case "faults": return ["GET", "PUT", "DELETE"].contains(method) ? .faults(method: method) : .methodNotAllowed
            case "chaos": return ["GET", "PUT"].contains(method) ? .chaos(method: method) : .methodNotAllowed

            case "tags": return ["GET", "PUT"].contains(method) ? .tags(method: method) : .methodNotAllowed
            default: return .notFound
            }
        case 2 where rest[0] == "message":
            return only("GET", .message(rest[1]))
        case 3 where rest[0] == "message":
            switch rest[2] {
            case "raw": return only("GET", .raw(rest[1]))
            case "headers": return only("GET", .headers(rest[1]))
            case "conversation": return only("GET", .conversation(rest[1]))
            case "checks": return only("GET", .checks(rest[1]))
            default: return .notFound
            }
        case 4 where rest[0] == "message" && rest[2] == "part":
            return only("GET", .part(rest[1], part: rest[3]))
        default:
            return .notFound
        }
    }

    private static func split(_ target: String) -> (Substring, Substring) {
        guard let mark = target.firstIndex(of: "?") else { return (target[...], "") }
        return (target[..<mark], target[target.index(after: mark)...])
    }

    /// The path's segments, percent-decoded; nil when one is `.` or `..` (before or after
    /// decoding), holds a NUL or a slash once decoded, or the path is not absolute.
    static func segments(_ path: Substring) -> [String]? {
        guard path.first == "/" else { return nil }
        var out: [String] = []
        for raw in path.split(separator: "/", omittingEmptySubsequences: true) {
            guard let decoded = percentDecoded(raw, plusIsSpace: false), decoded != ".", decoded != "..",
                  !decoded.contains("/"), !decoded.contains("\0") else { return nil }
            out.append(decoded)
        }
        return out
    }

    static func parameters(_ query: Substring) -> [String: String] {
        var out: [String: String] = [:]
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = percentDecoded(parts[0], plusIsSpace: true) else { continue }
            out[name] = parts.count > 1 ? percentDecoded(parts[1], plusIsSpace: true) ?? "" : ""
        }
        return out
    }

    /// `%XX` decoded (one pass); nil for a broken escape or bytes that are not UTF-8.
    static func percentDecoded(_ text: Substring, plusIsSpace: Bool) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%") {
                guard let high = iterator.next().flatMap(hex), let low = iterator.next().flatMap(hex) else { return nil }
                bytes.append(high << 4 | low)
            } else if byte == UInt8(ascii: "+") && plusIsSpace {
                bytes.append(UInt8(ascii: " "))
            } else {
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 48...57: byte - 48
        case 65...70: byte - 55
        case 97...102: byte - 87
        default: nil
        }
    }
}
