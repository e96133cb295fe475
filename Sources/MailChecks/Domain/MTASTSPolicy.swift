/// An MTA-STS policy (RFC 8461 section 3.2): `version: STSv1`, `mode`, `mx` patterns and
/// `max_age`, one `key: value` a line. Read leniently, and every deviation kept as a problem.
public struct MTASTSPolicy: Sendable, Equatable {
    public var version: String?
    public var mode: String?
    public var mx: [String] = []
    public var maxAge: Int?
    public var problems: [String] = []

    /// RFC 8461 caps max_age at a year (31557600 seconds).
    static let longestMaxAge = 31_557_600

    public init(parsing text: String) {
        for raw in text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            let line = raw.trimmingSpaces
            guard !line.isEmpty else { continue }
            guard let colon = line.firstIndex(of: ":") else { problems.append("\"\(line.prefix(80))\" is not key: value"); continue }
            let key = line[..<colon].trimmingSpaces
            let value = line[line.index(after: colon)...].trimmingSpaces
            switch key {
            case "version": version = value
            case "mode": mode = value
            case "mx": mx.append(value.lowercased())
            case "max_age": maxAge = Int(value)
                if maxAge == nil { problems.append("max_age \(value) is not a number of seconds") }
            default: break
            }
        }
        if version != "STSv1" { problems.append(version.map { "version is \($0), not STSv1" } ?? "no version: STSv1 line") }
        if let mode {
            if !["enforce", "testing", "none"].contains(mode) { problems.append("mode \(mode) is not enforce, testing or none") }
        } else {
            problems.append("no mode line")
        }
        if mx.isEmpty && mode != "none" { problems.append("no mx line: senders cannot match any MX") }
        if let maxAge, !(0...Self.longestMaxAge).contains(maxAge) { problems.append("max_age \(maxAge) is over a year (31557600)") }
        if maxAge == nil && !problems.contains(where: { $0.hasPrefix("max_age") }) { problems.append("no max_age line") }
    }

    /// Whether a host name matches a pattern: exactly, or `*.example.com` for one more label.
    public static func matches(_ host: String, pattern: String) -> Bool {
        let host = host.lowercased().trimmingEnds(of: ".")
        let pattern = pattern.lowercased().trimmingEnds(of: ".")
        if pattern.hasPrefix("*.") {
            let suffix = pattern.dropFirst(1)
            guard host.hasSuffix(suffix) else { return false }
            let label = host.dropLast(suffix.count)
            return !label.isEmpty && !label.contains(".")
        }
        return host == pattern
    }
}
