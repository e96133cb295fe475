import Foundation
import Testing
import TestSupport

/// Relay mode from the compose screen, in tmux: Ctrl-Y asks once, the local server then relays
/// what an app (smtplib) sends to the form's server (aiosmtpd with STARTTLS and a login), and F2
/// shows the message with the upstream's answer.
@Suite(.serialized) struct ComposeRelayTests {
    static let password = "relay-pw-ü"
    let stateHome = TestPaths.temporaryDirectory("mailtui-state")
    let configHome = TestPaths.temporaryDirectory("mailtui-config")
    let dataHome = TestPaths.temporaryDirectory("mailtui-data")
    let runtimeDirectory = TestPaths.temporaryDirectory("mailtui-runtime")

    @Test func ctrlYRelaysWhatTheAppSendsToTheFormsServer() throws {
        let upstream = try TestSMTPServer(["--mode", "starttls", "--auth", "alice:\(Self.password)"])
        defer { upstream.stop() }
        let localPort = unusedPort()
        let environment = ["XDG_STATE_HOME": stateHome, "XDG_CONFIG_HOME": configHome, "XDG_DATA_HOME": dataHome, "NO_COLOR": "",
                           "XDG_RUNTIME_DIR": runtimeDirectory, "MAILTUI_LOCAL_PORT": String(localPort), "MAIL_PASSWORD": Self.password]
        let arguments = ["--fresh", "--server", "127.0.0.1", "--port", String(upstream.port), "--security", "starttls",
                         "--ca-file", TestCertificates.path("ca.pem"), "--helo", "client.test.invalid", "--user", "alice"]
        let tmux = try Tmux(([TestPaths.mailtui] + arguments).map(shellQuote).joined(separator: " "), width: 120, height: 40, environment: environment)
        defer { tmux.stop() }
        try tmux.waitFor("Ready: 127.0.0.1:\(upstream.port)")

        try tmux.press("C-y")
        let question = try tmux.waitFor("relay? y/n")
        #expect(question.contains("Relayed mail really goes out to 127.0.0.1:\(upstream.port) as alice — relay? y/n"), "\(question)")
        try tmux.press("y")
        let relaying = try tmux.waitFor("Relaying: what an app sends to 127.0.0.1:\(localPort)")
        #expect(relaying.contains("goes on to 127.0.0.1:\(upstream.port) as alice for real"), "\(relaying)")

        // The app: plain SMTP to the local server, no login of its own (mailtui logs in upstream).
        let script = """
        import smtplib, sys
        s = smtplib.SMTP("127.0.0.1", int(sys.argv[1]), timeout=60)
        s.sendmail("app@example.com", ["ada@example.org"], "Subject: relayed from the form\\r\\n\\r\\nbody\\r\\n")
        s.quit()
        print("sent")
        """
        let app = try Program.run("/usr/bin/env", ["python3", "-c", script, String(localPort)])
        #expect(app.out.contains("sent"), "\(app.out)\(app.err)")
        let stored = upstream.messages()
        try #require(stored.count == 1)
        #expect(stored[0].envelope.rcpt_tos == ["ada@example.org"] && stored[0].envelope.authenticated && stored[0].envelope.tls)

        try tmux.press("F2")
        let inbox = try tmux.waitFor("→ 127.0.0.1:\(upstream.port) ✓ 250")
        #expect(inbox.contains("relayed from the form"), "\(inbox)")
        #expect(!inbox.contains(Self.password))
        try tmux.press("Escape")

        // Off again: the next message is caught, not relayed.
        try tmux.press("C-y")
        try tmux.waitFor("catches mail again")
        let caught = try Program.run("/usr/bin/env", ["python3", "-c", script, String(localPort)])
        #expect(caught.out.contains("sent"), "\(caught.out)\(caught.err)")
        #expect(upstream.messages().count == 1, "the second message stayed here")
    }
}
