import Foundation
import Testing
import TestSupport

/// Mailpit's chaos triggers on `mailtui serve --api 0`: set with urllib, struck on smtplib's next
/// transactions (Tests/Support/mailpit_chaos_check.py), bad values refused while the server goes on.
@Suite struct ChaosEndToEndTests {
    @Test func chaosSetOverHTTPStrikesSMTPWithMailpitsCodes() throws {
        let serve = try ServeCommandTests.Serve(["--api", "0", "--auth-plaintext"])
        defer { _ = serve.stop() }
        let api = try #require(serve.listening["api"] as? String)
        let result = try Program.python("mailpit_chaos_check.py", [api, serve.port])
        #expect(result.status == 0 && result.out.contains("ok chaos"), "\(result.out)\n\(result.err)")
    }
}
