import Foundation
import Testing
import TestSupport

/// Issue 26's mailboxes on the real screen, in tmux: two projects send to the compose screen's
/// local server with Python's smtplib, each with its own login (`MAIL_USERNAME`), and F2 then `m`
/// shows the first project's mail alone.
@Suite(.serialized) struct InboxMailboxScreenTests {
    let stateHome = TestPaths.temporaryDirectory("mailtui-state")
    let configHome = TestPaths.temporaryDirectory("mailtui-config")
    let dataHome = TestPaths.temporaryDirectory("mailtui-data")
    let runtimeDirectory = TestPaths.temporaryDirectory("mailtui-runtime")

    /// Sends one message per login over STARTTLS (the local server offers AUTH only inside TLS,
    /// and takes any password), trusting the screen's own CA; the login `-` is none.
    func send(to port: String, ca: String, _ messages: [(login: String, subject: String)]) throws {
        let script = """
        import smtplib, ssl, sys
        port, ca = int(sys.argv[1]), sys.argv[2]
        for login, subject in zip(sys.argv[3::2], sys.argv[4::2]):
            s = smtplib.SMTP("127.0.0.1", port, timeout=60)
            s.starttls(context=ssl.create_default_context(cafile=ca))
            if login != "-":
                s.login(login, "any password")
            s.sendmail("app@example.com", ["ada@example.org"], "Subject: " + subject + "\\r\\n\\r\\nbody\\r\\n")
            s.quit()
        print("sent")
        """
        let result = try Program.run("/usr/bin/env", ["python3", "-c", script, port, ca] + messages.flatMap { [$0.login, $0.subject] })
        #expect(result.status == 0 && result.out.contains("sent"), "\(result.out)\(result.err)")
    }

    @Test func f2ThenMShowsOnlyProjectAsMail() throws {
        let port = String(unusedPort())
        let environment = ["XDG_STATE_HOME": stateHome, "XDG_CONFIG_HOME": configHome, "XDG_DATA_HOME": dataHome, "NO_COLOR": "",
                           "XDG_RUNTIME_DIR": runtimeDirectory, "MAILTUI_LOCAL_PORT": port]
        let tmux = try Tmux(shellQuote(TestPaths.mailtui), width: 120, height: 36, environment: environment)
        defer { tmux.stop() }
        try tmux.waitFor("Local test server on 127.0.0.1:\(port)")
        try send(to: port, ca: dataHome + "/mailtui/tls/ca.pem", [("project-a", "Reset for project A"), ("project-b", "Welcome from project B")])

        try tmux.press("F2")
        let all = try tmux.waitUntil("both messages and the mailbox line") {
            $0.contains("\"Reset for project A\"") && $0.contains("\"Welcome from project B\"") && $0.contains("Mailbox: [all 2] · project-a 1 · project-b 1")
        }
        #expect(all.contains("project-b  app@example.com → ada@example.org  \"Welcome from project B\""), "a mailbox column:\n\(all)")

        // The terminal is drawn a line at a time: wait for the whole of the new frame.
        try tmux.press("m")
        let filtered = try tmux.waitUntil("project-a's mailbox alone") {
            $0.contains("Inbox of the local test server on 127.0.0.1:\(port): mailbox project-a")
                && $0.contains("Mailbox: all 2 · [project-a 1] · project-b 1  (m next mailbox · M all mailboxes)") && !$0.contains("Welcome from project B")
        }
        #expect(filtered.contains("app@example.com → ada@example.org  \"Reset for project A\"") && filtered.contains("[login project-a]"), "\(filtered)")

        // A third message, for project-b, arrives while project-a's mailbox is shown: it stays so.
        try send(to: port, ca: dataHome + "/mailtui/tls/ca.pem", [("project-b", "Another for project B")])
        let after = try tmux.waitUntil("the arrival counted, the filter kept") {
            $0.contains("for mailbox project-b: the inbox shows mailbox project-a") && $0.contains("[project-a 1] · project-b 2")
        }
        #expect(!after.contains("Another for project B") && after.contains("\"Reset for project A\""), "\(after)")

        try tmux.press("Enter")
        try tmux.waitFor(" Mailbox project-a · app@example.com → ada@example.org")
        try tmux.press("Escape", "M")
        try tmux.waitUntil("all three again") { $0.contains("Mailbox: [all 3]") && $0.contains("\"Another for project B\"") }
        try tmux.press("F10")
        try tmux.waitFor("EXIT=0")
    }

    /// `mailtui serve` on a terminal: the same keys over its full-screen inbox, the mailbox in its
    /// rule and the count at the top.
    @Test func serveShowsOneMailboxWithM() throws {
        let environment = ["XDG_STATE_HOME": stateHome, "XDG_CONFIG_HOME": configHome, "XDG_DATA_HOME": dataHome, "NO_COLOR": "",
                           "XDG_RUNTIME_DIR": runtimeDirectory]
        let command = ([TestPaths.mailtui, "serve", "--port", "0", "--tls-port", "0", "--api", "off"]).map(shellQuote).joined(separator: " ")
        let tmux = try Tmux(command, width: 110, height: 30, environment: environment)
        defer { tmux.stop() }
        let start = try tmux.waitFor("SMTP (STARTTLS offered): 127.0.0.1:")
        let marker = try #require(start.range(of: "SMTP (STARTTLS offered): 127.0.0.1:"))
        let port = String(start[marker.upperBound...].prefix { $0.isNumber })
        try send(to: port, ca: dataHome + "/mailtui/tls/ca.pem", [("project-a", "Reset for project A"), ("-", "Sent without a login"), ("project-b", "Welcome from project B")])
        try tmux.waitFor("Mailbox: [all 3] · default 1 · project-a 1 · project-b 1  (m next mailbox)")
        try tmux.press("m", "m")
        let filtered = try tmux.waitUntil("project-a's mailbox alone") {
            $0.contains("─ Inbox: mailbox project-a (newest first) ─") && $0.contains(" 1 of 3 messages ") && !$0.contains("Sent without a login")
        }
        #expect(filtered.contains("\"Reset for project A\"") && !filtered.contains("Welcome from project B"), "\(filtered)")
        try tmux.press("q")
        try tmux.waitFor("EXIT=0")
    }
}
