import Foundation
import MailCore

/// An SMTP server for one test: aiosmtpd (Tests/Support/smtp_server.py) on a free loopback port,
/// storing every message it accepts. Stopped by its PID.
public final class TestSMTPServer: @unchecked Sendable {
    public let port: Int
    public let pid: Int32
    /// Where the server writes NNN.eml, NNN.json and auth.log.
    public let store: String
    private let server: PythonServer

    /// Options as smtp_server.py takes them, e.g. `["--mode", "starttls", "--auth", "u:p"]`.
    /// `--cert`/`--key` default to the good test certificate.
    public init(_ options: [String] = [], certificate: String = "good", script: String = "smtp_server.py") throws {
        store = TestPaths.temporaryDirectory("mailtui-smtp")
        var arguments = ["--store", store]
        if !options.contains("--cert") {
            arguments += ["--cert", TestCertificates.path(certificate + ".pem"), "--key", TestCertificates.path(certificate + ".key")]
        }
        server = try PythonServer.start(script, arguments + options)
        port = server.port
        pid = server.pid
    }

    deinit { stop() }

    public func stop() { server.stop() }

    /// Settings pointing at this server.
    public func settings(_ security: SecurityMode, caFile: Bool = true) -> ServerSettings {
        var s = ServerSettings(host: "127.0.0.1", port: port, security: security)
        if caFile { s.caFile = TestCertificates.path("ca.pem") }
        s.heloName = "client.test.invalid"
        s.timeouts = Timeouts(connect: 10, response: 10, total: 60)
        return s
    }

    /// The messages the server stored, in order.
    public func messages() -> [StoredMessage] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: store)) ?? []
        return files.filter { $0.hasSuffix(".eml") }.sorted().compactMap { name in
            let base = store + "/" + name.dropLast(4)
            guard let bytes = FileManager.default.contents(atPath: base + ".eml"),
                  let meta = FileManager.default.contents(atPath: base + ".json"),
                  let envelope = try? JSONDecoder().decode(StoredMessage.Envelope.self, from: meta) else { return nil }
            return StoredMessage(bytes: bytes, envelope: envelope)
        }
    }

    /// A fault-injecting server (Tests/Support/fault_server.py) with these options.
    public static func faulty(_ options: [String], certificate: String = "good") throws -> TestSMTPServer {
        try TestSMTPServer(options, certificate: certificate, script: "fault_server.py")
    }

    /// The commands a fault server received, one per line (credentials never logged).
    public var commandLog: String {
        (try? String(contentsOfFile: store + "/commands.log", encoding: .utf8)) ?? ""
    }

    /// What the server logged about AUTH attempts.
    public var authLog: String {
        (try? String(contentsOfFile: store + "/auth.log", encoding: .utf8)) ?? ""
    }
}

public struct StoredMessage: Sendable {
    public struct Envelope: Decodable, Sendable {
        public var mail_from: String
        public var rcpt_tos: [String]
        public var tls: Bool
        public var authenticated: Bool
        public var ehlo: String?
        /// The user the login named (PLAIN, LOGIN, or a token mechanism's user).
        public var login: String?
    }
    public var bytes: Data
    public var envelope: Envelope
    public var text: String { String(decoding: bytes, as: UTF8.self) }
}

public enum TestServerError: Error {
    case didNotStart(String)
}

/// Test certificates, made once per test process by Tests/Support/make_certs.py.
public enum TestCertificates {
    public static let directory: String = {
        let dir = TestPaths.temporaryDirectory("mailtui-certs")
        _ = try? Program.python("make_certs.py", [dir])
        return dir
    }()

    public static func path(_ name: String) -> String { directory + "/" + name }
}

/// A loopback port with nothing listening on it.
public func unusedPort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
    _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
    return Int(UInt16(bigEndian: address.sin_port))
}
