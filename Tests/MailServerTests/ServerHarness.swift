import Foundation
import MailCore
import MailServer
import Synchronization
import TestSupport

/// A capture server in this process on free loopback ports, with its own certificates and inbox.
final class ServerHarness: @unchecked Sendable {
    let server: CaptureServer
    let certificates: LocalCertificates
    let events: EventLog
    var port: Int { Int(server.smtpAddresses[0].split(separator: ":").last!)! }
    var tlsPort: Int { Int(server.smtpsAddresses[0].split(separator: ":").last!)! }

    init(faults: [Fault] = [], _ change: (inout ServerConfiguration) -> Void = { _ in }) throws {
        certificates = LocalCertificates(directory: TestPaths.temporaryDirectory("mailtui-tls"))
        let made = try certificates.ensure()
        var configuration = ServerConfiguration()
        configuration.hosts = ["127.0.0.1"]
        configuration.port = 0
        configuration.tlsPort = 0
        configuration.certificatePEM = made.chainPEM
        configuration.keyPEM = made.keyPEM
        configuration.store = TestPaths.temporaryDirectory("mailtui-inbox")
        change(&configuration)
        let events = EventLog()
        self.events = events
        server = try CaptureServer(configuration, faults: faults) { event in events.append(event) }
    }

    deinit { server.stop() }

    /// Settings for mailtui's own client, trusting the local CA.
    func settings(_ security: SecurityMode, user: String? = nil) -> ServerSettings {
        var s = ServerSettings(host: "127.0.0.1", port: security == .tls ? tlsPort : port, security: security, caFile: certificates.caPath)
        s.heloName = "client.test.invalid"
        s.username = user
        s.timeouts = Timeouts(connect: 30, response: 30, total: 120)
        return s
    }

    /// Sends with mailtui's libcurl session.
    func send(_ security: SecurityMode = .starttls, user: String? = nil, password: String = "pw", to: String = "b@example.com",
              text: String = "hello") throws -> SessionReport {
        CurlRuntime.initialize()
        let message = try MessageDraft(from: "a@example.com", to: to, subject: "test", textBody: text).validated()
        return SMTPSession().run(.send(message, settings: settings(security, user: user), secret: user == nil ? nil : Secret(password))) { _ in }
    }

    /// What the folder holds once the store settled (expiry runs after a message is answered).
    var stored: [MailServer.StoredMessage] {
        server.store.settle()
        return server.store.records()
    }

    func storedBytes(_ message: MailServer.StoredMessage) -> Data { (try? Data(contentsOf: URL(fileURLWithPath: message.path))) ?? Data() }

    /// Waits until `condition` holds for the events so far (up to `seconds`: generous, for a busy machine).
    func waitForEvents(seconds: Double = 30, _ condition: ([ServerEvent]) -> Bool) -> Bool {
        Wait.until(timeout: seconds) { condition(events.all) }
    }
}

/// A raw SMTP client over a plain socket, for what no real client would send.
final class RawClient {
    let fd: Int32
    private var pending: [UInt8] = []

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard result == 0 else { throw POSIXError(.ECONNREFUSED) }
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(fd) }

    func send(_ text: String) { send(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            offset += n
        }
    }

    /// Sends `bytes` over and over until `total` octets went or the server stopped taking them
    /// (no progress for `stall` seconds); returns how many went.
    func sendUntilStalled(_ bytes: [UInt8], total: Int, stall: Int = 2) -> Int {
        var timeout = timeval(tv_sec: stall, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var sent = 0
        var offset = 0
        while sent < total {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { break }
            sent += n
            offset = (offset + n) % bytes.count
        }
        return sent
    }

    /// The next complete reply (all its lines), or nil when the connection closed or stalled.
    func reply() -> String? {
        var lines: [String] = []
        while true {
            while let newline = pending.firstIndex(of: 10) {
                let line = String(decoding: pending[..<newline], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                pending.removeSubrange(...newline)
                lines.append(line)
                if line.count < 4 || Array(line.utf8)[3] != UInt8(ascii: "-") { return lines.joined(separator: "\n") }
            }
            var buffer = [UInt8](repeating: 0, count: 65536)
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { return lines.isEmpty ? nil : lines.joined(separator: "\n") }
            pending += buffer[0..<n]
        }
    }

    /// Sends a command and returns the reply's first three characters.
    func command(_ text: String) -> String {
        send(text + "\r\n")
        return String((reply() ?? "").prefix(3))
    }
}

/// The server's events, as they come.
final class EventLog: Sendable {
    private let events = Mutex<[ServerEvent]>([])
    func append(_ event: ServerEvent) { events.withLock { $0.append(event) } }
    var all: [ServerEvent] { events.withLock { $0 } }
    /// How the sessions so far ended.
    var endings: [String] { all.compactMap { if case .session(let s) = $0 { s.ending } else { nil } } }
}
