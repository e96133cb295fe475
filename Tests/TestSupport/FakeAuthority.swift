import Foundation

/// A fake OAuth 2.0 authority for one test (Tests/Support/oauth_authority.py) on a free loopback
/// port: Microsoft's or Google's endpoints, JSON fields and error codes. Stopped by its PID.
public final class FakeAuthority: @unchecked Sendable {
    public let port: Int
    /// Where the newest access token is written (for an SMTP server that takes only it).
    public let tokenFile: String
    /// The control folder: a file `revoked` here revokes every refresh token; `log` lists requests.
    public let control: String
    public static let clientID = "test-client-id"
    private let server: PythonServer

    /// Options as oauth_authority.py takes them, e.g. `["--pending", "2", "--slow-down"]`.
    public init(_ options: [String] = []) throws {
        control = TestPaths.temporaryDirectory("mailtui-authority")
        tokenFile = control + "/current-token"
        server = try PythonServer.start("oauth_authority.py", ["--control", control, "--token-file", tokenFile, "--client-id", Self.clientID] + options)
        port = server.port
    }

    deinit { stop() }

    public func stop() { server.stop() }

    /// The base URL to give as `--authority`.
    public var url: String { "http://127.0.0.1:\(port)" }

    /// The newest access token the authority gave.
    public var currentToken: String {
        ((try? String(contentsOfFile: tokenFile, encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Revokes every refresh token it gave.
    public func revokeRefreshTokens() { TestFiles.write(control + "/revoked", Data()) }

    /// One line per request: grant types and PKCE checks, never a token.
    public var log: String { (try? String(contentsOfFile: control + "/log", encoding: .utf8)) ?? "" }
}
