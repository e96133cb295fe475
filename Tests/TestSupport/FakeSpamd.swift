import Foundation

/// A fake spamd for one test (Tests/Support/fake_spamd.py) on a free loopback port: every REPORT
/// gets the same report (2.5 of 5.0: FAKE_RULE_ONE 1.5, FAKE_RULE_TWO 1.0), and each message it
/// was asked about is kept, so that a test sees what reached it. Stopped by its PID.
public final class FakeSpamd: @unchecked Sendable {
    public let port: Int
    public let store: String
    private let server: PythonServer

    public init() throws {
        store = TestPaths.temporaryDirectory("mailtui-fake-spamd")
        server = try PythonServer.start("fake_spamd.py", ["--store", store])
        port = server.port
    }

    deinit { stop() }

    public func stop() { server.stop() }

    /// `127.0.0.1:PORT`.
    public var address: String { "127.0.0.1:\(port)" }

    /// The messages it was asked to score, in order.
    public func messages() -> [String] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: store)) ?? []).filter { $0.hasSuffix(".eml") }
        return names.sorted { Int($0.dropLast(4)) ?? 0 < Int($1.dropLast(4)) ?? 0 }
            .compactMap { try? String(contentsOfFile: store + "/" + $0, encoding: .utf8) }
    }
}
