import Foundation

/// Debian's spamd for one test, on a free loopback port, network tests off (`--local`), no user
/// configuration (`-x`). Started in the foreground, so that its PID is the one stopped (it stops
/// its children on SIGTERM).
public final class TestSpamd: @unchecked Sendable {
    public let port: Int
    public let pid: Int32
    private let process: Process

    /// Whether spamd and spamassassin are installed (scripts/setup.sh installs them).
    public static var installed: Bool {
        FileManager.default.isExecutableFile(atPath: "/usr/sbin/spamd") && FileManager.default.isExecutableFile(atPath: "/usr/bin/spamassassin")
    }

    public init() throws {
        port = unusedPort()
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/spamd")
        let folder = TestPaths.temporaryDirectory("mailtui-spamd")
        process.arguments = ["--listen=127.0.0.1:\(port)", "--allowed-ips=127.0.0.1", "--local", "-x", "--max-children=1", "--min-children=1",
                             "--pidfile=\(folder)/spamd.pid", "--syslog=stderr"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        pid = process.processIdentifier
        // Loading and compiling the rules takes seconds, many on a busy machine: wait for the port.
        let listening = Wait.until(timeout: 180) { [port, process] in
            guard process.isRunning else { return true }
            return Self.accepts(port)
        }
        guard listening, process.isRunning else {
            stop()
            throw TestServerError.didNotStart("spamd on 127.0.0.1:\(port)" + (listening ? ": it exited" : ": not listening within 180 s"))
        }
    }

    deinit { stop() }

    public func stop() {
        guard process.isRunning else { return }
        kill(pid, SIGTERM)
        if !Wait.until(timeout: 20, { !process.isRunning }) { kill(pid, SIGKILL) }
        process.waitUntilExit()
    }

    /// `127.0.0.1:PORT`, for --spamd.
    public var address: String { "127.0.0.1:\(port)" }

    static func accepts(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        return withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } } == 0
    }

    /// What `spamassassin -L -t` (test mode, local tests only) says of a file: its X-Spam-Status
    /// score and required score. Throws with what it printed when there is no such header.
    public static func referenceScore(_ path: String) throws -> (score: Double, required: Double) {
        let result = try Program.run("/bin/sh", ["-c", "exec spamassassin -L -t < \"$0\"", path])
        let header = result.out.split(whereSeparator: \.isNewline).first { $0.hasPrefix("X-Spam-Status:") }.map(String.init) ?? ""
        func value(_ name: String) -> Double? {
            guard let range = header.range(of: " " + name + "=") else { return nil }
            return Double(header[range.upperBound...].prefix { $0 == "-" || $0 == "." || $0.isNumber })
        }
        guard let score = value("score"), let required = value("required") else {
            throw TestServerError.didNotStart("spamassassin -L -t gave no score (status \(result.status)): \(result.out.prefix(600)) \(result.err.prefix(600))")
        }
        return (score, required)
    }
}
