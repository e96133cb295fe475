import Foundation
import Testing
import TestSupport

/// The compose screen with an OAuth account, in tmux: the Account line in the Password field's
/// place, a sign-in with the device code in a window (against the fake authority), and a send
/// with the token, refreshed first, to an SMTP server that takes only the authority's newest token.
@Suite(.serialized) struct ComposeOAuthTests {
    let stateHome = TestPaths.temporaryDirectory("mailtui-state")
    let configHome = TestPaths.temporaryDirectory("mailtui-config")
    let dataHome = TestPaths.temporaryDirectory("mailtui-data")
    let runtimeDirectory = TestPaths.temporaryDirectory("mailtui-runtime")

    var environment: [String: String] {
        ["XDG_STATE_HOME": stateHome, "XDG_CONFIG_HOME": configHome, "XDG_DATA_HOME": dataHome, "NO_COLOR": "",
         "XDG_RUNTIME_DIR": runtimeDirectory, "MAILTUI_LOCAL_PORT": String(unusedPort())]
    }

    /// Everything mailtui keeps (history, drafts, tokens' folder excluded), as one text.
    var stateText: String {
        let files = FileManager.default.enumerator(atPath: stateHome)?.compactMap { $0 as? String } ?? []
        return files.compactMap { try? String(contentsOfFile: stateHome + "/" + $0, encoding: .utf8) }.joined(separator: "\n")
    }

    @Test func signInFromTheFormThenSendWithTheRefreshedToken() throws {
        // 240 s: within the 5-minute margin, so the send refreshes the token first.
        let authority = try FakeAuthority(["--pending", "3", "--expires-in", "240"])
        defer { authority.stop() }
        let server = try TestSMTPServer(["--mode", "starttls", "--oauth-token-file", authority.tokenFile, "--oauth-user", "ada@example.com"])
        defer { server.stop() }
        let login = try Program.run(TestPaths.mailtui, ["oauth", "login", "--provider", "microsoft", "--account", "work", "--client-id", FakeAuthority.clientID,
                                                        "--authority", authority.url, "--store", "file"],
                                    environment: TestPaths.hermeticEnvironment(environment))
        try #require(login.status == 0, "\(login.out)\(login.err)")

        let arguments = ["--fresh", "--server", "127.0.0.1", "--port", String(server.port), "--security", "starttls", "--ca-file", TestCertificates.path("ca.pem"),
                         "--helo", "client.test.invalid", "--auth", "xoauth2", "--oauth", "work",
                         "--from", "ada@example.com", "--to", "bob@example.org", "--subject", "oauth from the form", "--text", "hello"]
        let tmux = try Tmux(([TestPaths.mailtui] + arguments).map(shellQuote).joined(separator: " "), width: 100, height: 40, environment: environment)
        defer { tmux.stop() }
        let start = try tmux.waitFor("Account work (expires in")
        #expect(!start.contains("Password"), "\(start)")

        // The focus starts at To (From and To are given); back to the Account: To, From, Stop after,
        // Timeout, EHLO, CA file, Verify cert, Auth, Account. Its hint bar offers the sign-in.
        try tmux.press("BTab", times: 8)
        try tmux.waitFor("Enter Sign in")
        try tmux.press("Enter")
        let window = try tmux.waitFor("enter the code  ABCD-")
        #expect(window.contains("Open  https://microsoft.com/devicelogin"), "\(window)")
        let signedIn = try tmux.waitFor("Signed in to work")
        #expect(!signedIn.contains("enter the code"), "the window closes when the sign-in completes")
        let tokenAfterSignIn = authority.currentToken

        try tmux.press("F5")
        let sent = try tmux.waitFor("✓ Sent")
        #expect(sent.contains("AUTH XOAUTH2 [credentials hidden]"), "\(sent)")
        #expect(server.authLog.contains("XOAUTH2 ok user=ada@example.com"), "\(server.authLog)")
        #expect(server.messages().count == 1)
        #expect(authority.currentToken != tokenAfterSignIn, "the send refreshed the token (240 s left) before connecting")
        try tmux.press("F10")
        _ = try tmux.waitFor("EXIT=")
        for token in [tokenAfterSignIn, authority.currentToken] {
            #expect(!sent.contains(token) && !stateText.contains(token), "a token leaked into the screen, the history or the draft")
        }
        #expect(stateText.contains("\"oauthAccount\""), "the draft keeps the account's name")
    }
}
