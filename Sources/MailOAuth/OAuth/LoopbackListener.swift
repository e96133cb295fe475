#if canImport(Glibc)
import Glibc
#endif

/// The one-shot HTTP listener on 127.0.0.1 that the browser is sent back to (RFC 8252 section
/// 7.3): a free port chosen by the system, one request with the code taken, then closed. Bounded:
/// a request line of at most 8 KiB, a few stray requests (a favicon), and a deadline.
final class LoopbackListener {
    let port: Int
    private let socket: Int32

    init() throws(OAuthError) {
        let fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw OAuthError(stage: .redirect, reason: "no socket for the browser's redirect: \(String(cString: strerror(errno)))", hint: nil) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && listen(fd, 4) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw OAuthError(stage: .redirect, reason: "could not listen on 127.0.0.1 for the browser's redirect: \(reason)", hint: nil)
        }
        socket = fd
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(socket) }

    /// `http://127.0.0.1:PORT/`, the redirect URI.
    var redirectURI: String { "http://127.0.0.1:\(port)/" }

    /// The query of the first request that carries `code` or `error`, answered with a page that
    /// tells the user to go back to the terminal. Nil when the deadline passes first.
    func awaitRedirect(deadline: Int, now: () -> Int = { ClockSkew.now }) -> [String: String]? {
        for _ in 0..<16 {
            let left = deadline - now()
            guard left > 0 else { return nil }
            var ready = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            guard poll(&ready, 1, Int32(min(left, 3600) * 1000)) > 0 else { return nil }
            let connection = accept(socket, nil, nil)
            guard connection >= 0 else { continue }
            _ = fcntl(connection, F_SETFD, FD_CLOEXEC)
            defer { close(connection) }
            guard let target = Self.requestTarget(connection, deadline: deadline, now: now) else { continue }
            let query = Self.query(of: target)
            if query["code"] != nil || query["error"] != nil {
                let page = query["code"] != nil ? "Signed in. You can close this window and return to mailtui." : "The sign-in did not complete. Return to mailtui to see why."
                Self.reply(connection, status: "200 OK", text: page)
                return query
            }
            Self.reply(connection, status: "404 Not Found", text: "Not here.")
        }
        return nil
    }

    /// The target of `GET target HTTP/1.1`, read up to the end of the request line.
    static func requestTarget(_ fd: Int32, deadline: Int, now: () -> Int) -> String? {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 2048)
        while !bytes.contains(10) && bytes.count < 8192 {
            let left = deadline - now()
            var ready = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard left > 0, poll(&ready, 1, Int32(min(left, 30) * 1000)) > 0 else { return nil }
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, 2048) }
            guard n > 0 else { return nil }
            bytes += buffer[0..<n]
        }
        let line = String(decoding: bytes.prefix { $0 != 13 && $0 != 10 }, as: UTF8.self).split(separator: " ")
        guard line.count == 3, line[0] == "GET" else { return nil }
        return String(line[1])
    }

    /// `/?code=a&state=b` as a dictionary, percent-decoded; `+` is a space (form encoding).
    static func query(of target: String) -> [String: String] {
        guard let mark = target.firstIndex(of: "?") else { return [:] }
        var fields: [String: String] = [:]
        for pair in target[target.index(after: mark)...].split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2 else { continue }
            fields[decoded(parts[0])] = decoded(parts[1])
        }
        return fields
    }

    static func decoded(_ text: Substring) -> String {
        var out: [UInt8] = []
        var bytes = Array(text.utf8)[...]
        while let byte = bytes.popFirst() {
            if byte == 0x25, bytes.count >= 2, let value = UInt8(String(decoding: bytes.prefix(2), as: UTF8.self), radix: 16) {
                out.append(value)
                bytes = bytes.dropFirst(2)
            } else {
                out.append(byte == 0x2B ? 0x20 : byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func reply(_ fd: Int32, status: String, text: String) {
        let body = "<!doctype html><title>mailtui</title><p>\(text)</p>\n"
        let message = Array("HTTP/1.1 \(status)\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)".utf8)
        var sent = 0
        while sent < message.count {
            let n = message.withUnsafeBytes { send(fd, $0.baseAddress! + sent, message.count - sent, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            sent += n
        }
    }
}
