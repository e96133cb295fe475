#if canImport(Glibc)
import Glibc
#endif

/// spamd's protocol, the client side (SPAMC/1.5, as spamc speaks it): one `REPORT` request per
/// connection, the reply's headers, then the report. Every wait has the one deadline, and the
/// reply read is capped.
enum SpamdClient {
    enum Failure: Error, Equatable {
        /// Nothing listens there (connection refused).
        case refused
        case connect(String)
        case timedOut
        /// spamd answered with an error status line (`SPAMD/1.1 76 Bad header line`).
        case refusedRequest(String)
        case malformed(String)

        var words: String {
            switch self {
            case .refused: "connection refused (is spamd running there?)"
            case .connect(let why): "could not connect (\(why))"
            case .timedOut: "no complete answer in time"
            case .refusedRequest(let line): "it answered \"\(line)\""
            case .malformed(let what): "an answer that is not spamd's protocol (\(what))"
            }
        }
    }

    /// `HOST:PORT`, `[::1]:PORT`: an IP address (no name lookup) and a port.
    static func parse(_ address: String) -> (String, Int)? { IPAddress.withPort(address) }

    /// The report's text (the reply's body), or why there is none.
    static func report(_ message: [UInt8], host: String, port: Int, timeout: Duration, connectTimeout: Duration) -> Result<String, Failure> {
        let deadline = ContinuousClock.now + timeout
        let fd: Int32
        switch connect(host: host, port: port, deadline: min(deadline, ContinuousClock.now + connectTimeout)) {
        case .success(let socket): fd = socket
        case .failure(let failure): return .failure(failure)
        }
        defer { close(fd) }
        let request = Array("REPORT SPAMC/1.5\r\nContent-length: \(message.count)\r\n\r\n".utf8) + message
        guard send(fd, request, deadline: deadline) else { return .failure(.timedOut) }
        shutdown(fd, Int32(SHUT_WR))
        var reply: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while reply.count <= SpamAssassin.longestReply {
            guard wait(fd, events: Int16(POLLIN), deadline: deadline) else { return .failure(.timedOut) }
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && (errno == EINTR || errno == EAGAIN) { continue }
            if n <= 0 { break }
            reply += buffer[0..<n]
        }
        guard let end = HTMLScan.find(reply, "\r\n\r\n", from: 0) ?? (reply.isEmpty ? nil : reply.count) else {
            return .failure(.malformed("no reply at all"))
        }
        let head = String(decoding: reply[..<end], as: UTF8.self).split(separator: "\r\n")
        guard let status = head.first, status.hasPrefix("SPAMD/") else { return .failure(.malformed(String(head.first?.prefix(80) ?? ""))) }
        let words = status.split(separator: " ")
        guard words.count >= 2, words[1] == "0" else { return .failure(.refusedRequest(String(status.prefix(120)))) }
        return .success(String(decoding: reply[min(reply.count, end + 4)...], as: UTF8.self))
    }

    private static func connect(host: String, port: Int, deadline: ContinuousClock.Instant) -> Result<Int32, Failure> {
        guard let address = IPAddress.bytes(host) else { return .failure(.connect("\(host) is not an IP address")) }
        let family = address.count == 4 ? AF_INET : AF_INET6
        let fd = socket(family, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return .failure(.connect(String(cString: strerror(errno)))) }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        var result: Int32
        if address.count == 4 {
            var sa = sockaddr_in()
            sa.sin_family = sa_family_t(AF_INET)
            sa.sin_port = in_port_t(UInt16(port).bigEndian)
            withUnsafeMutableBytes(of: &sa.sin_addr) { $0.copyBytes(from: address) }
            result = withUnsafePointer(to: &sa) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        } else {
            var sa = sockaddr_in6()
            sa.sin6_family = sa_family_t(AF_INET6)
            sa.sin6_port = in_port_t(UInt16(port).bigEndian)
            withUnsafeMutableBytes(of: &sa.sin6_addr) { $0.copyBytes(from: address) }
            result = withUnsafePointer(to: &sa) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) } }
        }
        if result != 0 && errno != EINPROGRESS {
            let code = errno
            close(fd)
            return .failure(code == ECONNREFUSED ? .refused : .connect(String(cString: strerror(code))))
        }
        guard wait(fd, events: Int16(POLLOUT), deadline: deadline) else { close(fd); return .failure(.timedOut) }
        var code: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &code, &length)
        guard code == 0 else {
            close(fd)
            return .failure(code == ECONNREFUSED ? .refused : .connect(String(cString: strerror(code))))
        }
        return .success(fd)
    }

    private static func send(_ fd: Int32, _ bytes: [UInt8], deadline: ContinuousClock.Instant) -> Bool {
        var sent = 0
        while sent < bytes.count {
            guard wait(fd, events: Int16(POLLOUT), deadline: deadline) else { return false }
            let n = bytes[sent...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 && (errno == EINTR || errno == EAGAIN) { continue }
            guard n > 0 else { return false }
            sent += n
        }
        return true
    }

    /// Waits until `fd` is ready for `events`; false once the deadline passed.
    private static func wait(_ fd: Int32, events: Int16, deadline: ContinuousClock.Instant) -> Bool {
        while true {
            let left = deadline - ContinuousClock.now
            guard left > .zero else { return false }
            var pfd = pollfd(fd: fd, events: events, revents: 0)
            let ready = poll(&pfd, 1, Int32(clamping: left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000 + 1))
            if ready < 0 && errno == EINTR { continue }
            return ready > 0
        }
    }
}
