import Foundation

/// An HTTPS server for one test: Tests/Support/https_server.py on a free loopback port, with the
/// test CA's certificate for localhost, serving the pages given. Stopped by its PID.
public final class TestHTTPSServer: @unchecked Sendable {
    public let port: Int
    private let server: PythonServer

    /// A page: its status, content type and body.
    public typealias Page = (status: Int, type: String, body: String)

    public init(_ pages: [String: Page]) throws {
        let file = TestPaths.temporaryDirectory("mailtui-https") + "/pages.json"
        let json = pages.mapValues { [$0.status, $0.type, $0.body] as [Any] }
        try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: file))
        server = try PythonServer.start("https_server.py", [file, TestCertificates.path("good.pem"), TestCertificates.path("good.key")])
        port = server.port
    }

    deinit { stop() }

    public func stop() { server.stop() }

    /// `https://localhost:PORT` + path.
    public func url(_ path: String) -> String { "https://localhost:\(port)\(path)" }

    /// The CA that signed the server's certificate, for --ca-file.
    public var caFile: String { TestCertificates.path("ca.pem") }
}
