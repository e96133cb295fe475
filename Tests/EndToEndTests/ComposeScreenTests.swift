import Foundation
import Testing
import TestSupport

/// The real binary in tmux: what a person types and sees, and what the server stored.
@Suite(.serialized) struct ComposeScreenTests {
    static let password = "tmux-s3cret-ü"
    let stateHome = TestPaths.temporaryDirectory("mailtui-state")
    let configHome = TestPaths.temporaryDirectory("mailtui-config")
    let dataHome = TestPaths.temporaryDirectory("mailtui-data")

    let runtimeDirectory = TestPaths.temporaryDirectory("mailtui-runtime")

    func launch(_ arguments: [String], width: Int = 100, height: Int = 30, password: String? = password,
                environment extra: [String: String] = [:], directory: String? = nil) throws -> Tmux {
        let command = (directory.map { "cd \(shellQuote($0)) && " } ?? "") + ([TestPaths.mailtui] + arguments).map(shellQuote).joined(separator: " ")
        var environment = ["XDG_STATE_HOME": stateHome, "XDG_CONFIG_HOME": configHome, "XDG_DATA_HOME": dataHome, "NO_COLOR": "",
                           "XDG_RUNTIME_DIR": runtimeDirectory]
        if let password { environment["MAIL_PASSWORD"] = password }
        // Each screen's own local server on a port of its own, never 2525, which other tests
        // (auto-detect) need closed, and which may belong to something else on this machine.
        environment["MAILTUI_LOCAL_PORT"] = String(unusedPort())
        for (key, value) in extra { environment[key] = value }
        return try Tmux(command, width: width, height: height, environment: environment)
    }

    /// The compose form's fields in Tab order, as their labels read: the one place to change when
    /// a field is added, instead of every test's count of Tab presses.
    static let tabOrder = ["From", "To", "Cc", "Bcc", "Reply-To", "Deliver if some recipients are refused", "Subject", "DSN", "Attach", "DKIM", "Count", "Body"]

    /// Moves the focus from one field to another by pressing Tab.
    func tab(_ tmux: Tmux, from: String, to: String) throws {
        let order = Self.tabOrder
        guard let start = order.firstIndex(of: from), let end = order.firstIndex(of: to), end >= start else {
            Issue.record("no Tab path from \(from) to \(to)")
            return
        }
        try tmux.press("Tab", times: end - start)
    }

    func serverArguments(_ server: TestSMTPServer) -> [String] {
        ["--server", "127.0.0.1", "--port", String(server.port), "--ca-file", TestCertificates.path("ca.pem"), "--helo", "client.test.invalid"]
    }

    @Test func fillTheFormAndSendWithStarttlsAndAuth() throws {
        let server = try TestSMTPServer(["--mode", "starttls", "--require-starttls", "--auth", "alice:\(Self.password)"])
        defer { server.stop() }
        let tmux = try launch(["--fresh"] + serverArguments(server) + ["--user", "alice"], height: 50)
        defer { tmux.stop() }
        try tmux.waitFor("Ready: 127.0.0.1")
        // The focus starts at From when the server is known.
        try tmux.type("Zoë Example <zoe@example.com>")
        try tab(tmux, from: "From", to: "To")
        try tmux.type("rcpt@example.com")
        try tab(tmux, from: "To", to: "Subject")
        try tmux.type("Grüße aus tmux ✓")
        try tab(tmux, from: "Subject", to: "Body")
        try tmux.type("Erste Zeile")
        try tmux.press("Enter")
        try tmux.type("zweite Zeile 東京")
        try tmux.press("F5")
        let screen = try tmux.waitFor("✓ Sent")
        #expect(screen.contains("~> AUTH PLAIN [credentials hidden]"))
        #expect(screen.contains("250 2.0.0 Ok: queued as TEST001"))
        #expect(!screen.contains(Self.password))
        let stored = server.messages()
        try #require(stored.count == 1)
        let parsed = try ParsedEmail.parse(stored[0].bytes)
        #expect(parsed.subject == "Grüße aus tmux ✓")
        #expect(parsed.from == [.init(name: "Zoë Example", address: "zoe@example.com")])
        #expect(parsed.leafParts.first?.text == "Erste Zeile\nzweite Zeile 東京\n")
        #expect(stored[0].envelope.tls && stored[0].envelope.authenticated)
    }

    /// An imported .env: each setting says where it came from (the password too: the file, not
    /// $MAIL_PASSWORD), and the review's findings are on the screen with their lines, not on
    /// stderr behind it.
    @Test func anImportedDotenvIsReviewedOnTheScreen() throws {
        let env = TestPaths.temporaryDirectory("mailtui-env") + "/.env"
        try "MAIL_SERVER=127.0.0.1\nMAIL_PORT=20025\nMAIL_HOST=smtp.example.com\nMAIL_USERNAME=me\nMAIL_PASSWORD=\"dotenv-pw-9\"\nMAIL_USE_TLS=False\n"
            .write(toFile: env, atomically: true, encoding: .utf8)
        let tmux = try launch(["--fresh", "--no-local-server", "--env-file", env], width: 120, height: 50)
        defer { tmux.stop() }
        let screen = try tmux.waitFor("Review of the config")
        #expect(screen.contains("Password (from \(env):5)"), "the password's true source:\n\(screen)")
        #expect(screen.contains("Port      20025") && screen.contains("\(env):2"))
        #expect(screen.contains("Security  STARTTLS") && screen.contains("\(env):6"), "the string False is true")
        #expect(screen.contains("MAIL_HOST is not read by Flask-Mail"))
        #expect(screen.contains("finding") && screen.contains("in the imported config"), "the status line says so")
        #expect(!screen.contains("dotenv-pw-9"))
    }

    /// MAIL_USE_TLS and MAIL_USE_SSL both on: Flask-Mail opens implicit TLS and then fails at
    /// STARTTLS. The screen says so and what would work, F5 fails as the app does and sends
    /// nothing; the user's own choice of Security, or --as-intended, sends the way that works.
    @Test func bothTLSModesFailAsTheAppUntilChosenOrAsIntended() throws {
        let server = try TestSMTPServer(["--mode", "tls"])
        defer { server.stop() }
        let env = TestPaths.temporaryDirectory("mailtui-env") + "/.env"
        try "MAIL_SERVER=127.0.0.1\nMAIL_PORT=\(server.port)\nMAIL_USE_TLS=True\nMAIL_USE_SSL=True\n".write(toFile: env, atomically: true, encoding: .utf8)
        let common = ["--fresh", "--no-local-server", "--env-file", env, "--ca-file", TestCertificates.path("ca.pem"), "--helo", "client.test.invalid",
                      "--from", "app@example.com", "--to", "b@example.com", "--subject", "as the app"]
        let tmux = try launch(common, width: 120, height: 50)
        defer { tmux.stop() }
        let imported = try tmux.waitFor("What the app will do:")
        #expect(imported.contains("The app will fail at STARTTLS after implicit TLS"), "the status line says it:\n\(imported)")
        #expect(imported.contains("What would work:") && imported.contains("MAIL_USE_TLS=False with"), "\(imported)")
        try tmux.press("F5")
        let failed = try tmux.waitFor("Failed at TLS: STARTTLS not offered")
        #expect(failed.contains("✗ Failed at TLS: the app cannot send"), "\(failed)")
        #expect(failed.contains("SMTPNotSupportedError"), "\(failed)")
        #expect(server.messages().isEmpty, "the app sends nothing; neither does the screen")
        // The user picks the Security: ten Shift-Tabs from To back to it (the server fields come
        // before From: Host, Port, Security, User, Password, Auth, Verify, CA file, EHLO, Timeout,
        // Stop after), then T for TLS.
        try tmux.press("BTab", times: 10)
        try tmux.type("t")
        try tmux.waitFor("F5 now sends with TLS, as you chose")
        try tmux.press("F5")
        try tmux.waitFor("✓ Sent")
        #expect(server.messages().count == 1)
        tmux.stop()

        let intended = try launch(common + ["--as-intended"], width: 120, height: 50)
        defer { intended.stop() }
        try intended.waitFor("--as-intended: F5 sends with TLS")
        try intended.press("F5")
        try intended.waitFor("✓ Sent")
        #expect(server.messages().count == 2)
    }

    /// The DKIM field signs the message; dkimpy verifies what the server stored with the key
    /// served by a DNS server on loopback, and the key's content never reaches the screen.
    @Test func theDKIMFieldSignsTheMessage() throws {
        let server = try TestSMTPServer(["--mode", "starttls"])
        defer { server.stop() }
        let directory = TestPaths.temporaryDirectory("mailtui-dkim")
        let key = directory + "/k.pem"
        #expect(try Program.run("/usr/bin/env", ["openssl", "genrsa", "-out", key, "2048"]).status == 0)
        let publicKey = try Program.run("/usr/bin/env", ["openssl", "rsa", "-in", key, "-pubout", "-outform", "DER"]).stdout.base64EncodedString()
        let dns = try TestDNSServer(["tui._domainkey.signed.test": [("TXT", "v=DKIM1; k=rsa; p=" + publicKey)]])
        defer { dns.stop() }
        let tmux = try launch(["--fresh"] + serverArguments(server) + ["--from", "App <app@signed.test>", "--to", "ada@example.org", "--subject", "Signed in the form"],
                              width: 120, height: 50)
        defer { tmux.stop() }
        try tmux.waitFor("Ready: 127.0.0.1")
        try tab(tmux, from: "To", to: "DKIM")
        try tmux.type("tui " + key)
        try tab(tmux, from: "DKIM", to: "Body")
        try tmux.type("Signed body")
        try tmux.press("F5")
        let screen = try tmux.waitFor("✓ Sent")
        #expect(!screen.contains("PRIVATE KEY"))
        let stored = try #require(server.messages().first)
        #expect(String(decoding: stored.bytes.prefix(16), as: UTF8.self) == "DKIM-Signature: ")
        let path = directory + "/m.eml"
        try stored.bytes.write(to: URL(fileURLWithPath: path))
        let verified = try Program.python("dkim_verify.py", [String(dns.port), path])
        #expect(verified.out.trimmingCharacters(in: .whitespacesAndNewlines) == "[true]", "\(verified.out)\(verified.err)")
    }

    @Test func typingStaysLiveWhileASlowServerAnswers() throws {
        let server = try TestSMTPServer(["--mode", "plain", "--delay", "0.4"])
        defer { server.stop() }
        let tmux = try launch(["--fresh"] + serverArguments(server) + ["--security", "none", "--from", "a@example.com",
                                                                        "--to", "b@example.com", "--subject", "slow"])
        defer { tmux.stop() }
        try tmux.waitFor("Ready: 127.0.0.1")
        try tmux.press("F5")
        try tmux.waitFor("Sending:")
        try tmux.type("TYPED-WHILE-SENDING")
        let during = try tmux.waitFor("TYPED-WHILE-SENDING")
        #expect(!during.contains("✓ Sent"), "the keystrokes showed before the send ended")
        #expect(during.contains("Sending:"))
        try tmux.waitFor("✓ Sent")
        #expect(server.messages().count == 1)
    }

    @Test func resizingDuringASendReflows() throws {
        let server = try TestSMTPServer(["--mode", "plain", "--delay", "0.3"])
        defer { server.stop() }
        let tmux = try launch(["--fresh"] + serverArguments(server) + ["--security", "none", "--from", "a@example.com", "--to", "b@example.com"],
                              width: 120, height: 40)
        defer { tmux.stop() }
        try tmux.waitFor("Ready: 127.0.0.1")
        try tmux.press("F5")
        try tmux.waitFor("Sending:")
        try tmux.resize(width: 80, height: 24)
        let small = try tmux.waitUntil("the form at 80 columns") { screen in
            screen.split(separator: "\n").first.map { $0.count == 80 && $0.hasSuffix("mailtui ─") } ?? false
        }
        #expect(small.contains("─ Conversation"))
        try tmux.resize(width: 60, height: 20)
        try tmux.waitFor("Terminal too small")
        try tmux.resize(width: 160, height: 45)
        let wide = try tmux.waitFor("✓ Sent")
        #expect(wide.split(separator: "\n").first?.contains("Conversation") == true, "side by side at 160 columns")
    }

    /// Starts mailtui, then prints the terminal's line-editing and echo modes once it has ended.
    func launchReportingTerminalModes(_ arguments: [String]) throws -> Tmux {
        let command = ([TestPaths.mailtui] + arguments).map(shellQuote).joined(separator: " ")
            + "; s=$?; echo MODES: $(stty -a | tr ' ;' '\\n\\n' | grep -x -e icanon -e -icanon -e echo -e -echo); (exit $s)"
        return try Tmux(command, environment: ["XDG_STATE_HOME": stateHome, "XDG_CONFIG_HOME": configHome, "NO_COLOR": ""])
    }

    @Test(arguments: [SIGSEGV, SIGILL, SIGABRT])
    func aFatalSignalGivesTheTerminalBack(_ number: Int32) throws {
        let tmux = try launchReportingTerminalModes(["--fresh", "--server", "smtp.example.com"])
        defer { tmux.stop() }
        try tmux.waitFor("Ready: smtp.example.com")
        let pid = try #require(try tmux.programPID())
        kill(pid, number)
        let screen = try tmux.waitFor("EXIT=")
        #expect(screen.contains("MODES: icanon echo"), "the shell's modes are back:\n\(screen)")
        #expect(screen.contains("EXIT=\(128 + number)"), "the signal still ends the program:\n\(screen)")
        #expect(!screen.contains("Ready: smtp.example.com"), "the alternate screen is gone:\n\(screen)")
    }

    @Test func sigintFromOutsideSavesTheDraftAndExits130() throws {
        let tmux = try launchReportingTerminalModes(["--fresh", "--server", "smtp.example.com"])
        try tmux.waitFor("Ready: smtp.example.com")
        try tmux.type("interrupted@example.com")
        try tmux.waitFor("interrupted@example.com")
        let pid = try #require(try tmux.programPID())
        kill(pid, SIGINT)
        let screen = try tmux.waitFor("EXIT=")
        #expect(screen.contains("EXIT=130"), "\(screen)")
        #expect(screen.contains("MODES: icanon echo"), "\(screen)")
        tmux.stop()
        let again = try launch([], password: nil)
        defer { again.stop() }
        try again.waitFor("interrupted@example.com")
    }

    @Test func aSlowPasswordCommandNeitherDelaysTheScreenNorLosesKeys() throws {
        let server = try TestSMTPServer(["--mode", "starttls", "--require-starttls", "--auth", "alice:\(Self.password)"])
        defer { server.stop() }
        // The command answers only once the test lets it (a gate file; at most about a minute):
        // what happens before cannot depend on how fast this machine is.
        let gate = TestPaths.temporaryDirectory("mailtui-gate") + "/open"
        defer { TestFiles.write(gate, Data()) }
        let command = "i=0; while [ ! -e \(shellQuote(gate)) ] && [ $i -lt 1200 ]; do sleep 0.05; i=$((i+1)); done; printf '%s' \(shellQuote(Self.password))"
        let tmux = try launch(["--fresh"] + serverArguments(server) + ["--user", "alice", "--password-cmd", command,
                                                                      "--to", "rcpt@example.com"], password: nil)
        defer { tmux.stop() }
        try tmux.waitFor("Ready: 127.0.0.1")
        try tmux.type("me@example.com")
        try tmux.waitFor("me@example.com")
        try tmux.press("F5")
        try tmux.type("typed while the command runs")
        try tmux.waitFor("typed while the command runs")
        #expect(server.messages().isEmpty, "the command has not answered yet")
        TestFiles.write(gate, Data())
        try tmux.waitFor("✓ Sent", timeout: 60)
        #expect(server.messages().first?.envelope.authenticated == true, "logged in with the command's password")
    }

    @Test func aProbeWithoutAPasswordShowsWhatTheServerOffers() throws {
        let server = try TestSMTPServer(["--mode", "starttls", "--auth", "alice:pw"])
        defer { server.stop() }
        let tmux = try launch(["--fresh"] + serverArguments(server) + ["--user", "alice"], width: 120, height: 40, password: nil)
        defer { tmux.stop() }
        try tmux.waitFor("Ready: 127.0.0.1")
        try tmux.press("F6")
        let screen = try tmux.waitFor("Login       not tested")
        #expect(screen.contains("AUTH        before STARTTLS"))
    }

    @Test func twoScreensOnOneStateFolderLoseNothing() throws {
        let first = try launch(["--fresh", "--server", "smtp.example.com"], password: nil)
        defer { first.stop() }
        try first.waitFor("Ready: smtp.example.com")
        try first.type("first@example.com")
        let second = try launch(["--fresh", "--server", "smtp.example.com"], width: 160, password: nil)
        defer { second.stop() }
        try second.waitFor("Another mailtui is open")
        try second.type("second@example.com")
        try first.waitFor("first@example.com")
        try second.waitFor("second@example.com")
        try first.press("F10")
        try first.waitFor("EXIT=0")
        try second.press("F10")
        try second.waitFor("EXIT=0")
        let drafts = try FileManager.default.contentsOfDirectory(atPath: stateHome + "/mailtui").filter { $0.hasPrefix("draft.") && $0.hasSuffix(".json") }
        let texts = try drafts.map { try String(contentsOfFile: stateHome + "/mailtui/" + $0, encoding: .utf8) }
        #expect(drafts.count == 2, "\(drafts)")
        #expect(try String(contentsOfFile: stateHome + "/mailtui/draft.json", encoding: .utf8).contains("first@example.com"))
        #expect(texts.contains { $0.contains("second@example.com") })
    }

    @Test func aFirstStartSendsToItsOwnServerAndF2ShowsTheMessage() throws {
        let tmux = try launch([], width: 110, height: 34, password: nil)
        defer { tmux.stop() }
        let start = try tmux.waitFor("Local test server on 127.0.0.1:")
        #expect(start.contains("Host 127.0.0.1") && start.contains("you@example.org"), "a form ready to send:\n\(start)")
        // The focus starts at To on a first start.
        try tab(tmux, from: "To", to: "Subject")
        try tmux.press("C-u")
        try tmux.type("Typed in tmux ✓")
        try tmux.press("F5")
        try tmux.waitFor("✓ Sent: 250 2.0.0 Ok: queued as")
        try tmux.press("F2")
        try tmux.waitFor("\"Typed in tmux ✓\"")
        try tmux.press("Enter")
        let view = try tmux.waitFor("own checks found nothing to fix")
        #expect(view.contains("1 Text") && view.contains("This message went to mailtui's local test server"), "the text tab:\n\(view)")
        try tmux.press("3")
        try tmux.waitFor("Subject: Typed in tmux ✓")
        try tmux.press("5")
        try tmux.waitFor("Subject: =?UTF-8?B?")
        let inbox = try FileManager.default.contentsOfDirectory(atPath: dataHome + "/mailtui/inbox").filter { $0.hasSuffix(".eml") }
        try #require(inbox.count == 1, "stored where mailtui serve stores")
        let record = try String(contentsOfFile: dataHome + "/mailtui/inbox/" + inbox[0].dropLast(4) + ".json", encoding: .utf8)
        #expect(record.contains("\"authUser\":\"test\"") && record.contains("\"tls\":\"TLSv1.3\""), "over STARTTLS, with a login: \(record)")
        try tmux.press("F10")
        try tmux.waitFor("EXIT=0")
    }

    /// The port in "Local test server on 127.0.0.1:PORT" or "SMTP (STARTTLS offered): 127.0.0.1:PORT".
    func port(in screen: String, after marker: String) -> String? {
        guard let range = screen.range(of: marker + "127.0.0.1:") else { return nil }
        return String(screen[range.upperBound...].prefix { $0.isNumber })
    }

    func flaskSends(to port: String, subject: String) throws {
        let app = """
        import sys
        from flask import Flask
        from flask_mail import Mail, Message
        app = Flask(__name__)
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=int(sys.argv[1]), MAIL_DEFAULT_SENDER="App <noreply@example.com>")
        mail = Mail(app)
        with app.app_context():
            mail.send(Message(sys.argv[2], recipients=["ada@example.org"], body="Your link: https://example.com/r/1"))
        """
        let path = TestPaths.temporaryDirectory("mailtui-flask") + "/app.py"
        try Data(app.utf8).write(to: URL(fileURLWithPath: path))
        let result = try Program.run("/usr/bin/env", ["python3", path, port, subject])
        #expect(result.status == 0, "\(result.err)")
    }

    /// A Flask app sends to the local server while the compose screen is open: the message
    /// appears in the inbox as it arrives.
    @Test func aFlaskAppsMailAppearsLiveInTheInbox() throws {
        let tmux = try launch([], width: 110, height: 34, password: nil)
        defer { tmux.stop() }
        let start = try tmux.waitFor("Local test server on 127.0.0.1:")
        let port = try #require(self.port(in: start, after: "Local test server on "))
        try tmux.press("F2")
        try tmux.waitFor("Nothing caught yet")
        try flaskSends(to: port, subject: "Reset your password")
        let inbox = try tmux.waitFor("\"Reset your password\"")
        #expect(inbox.contains("noreply@example.com → ada@example.org"), "live, without a key:\n\(inbox)")
    }

    /// `mailtui serve` on a terminal: the inbox full-screen, with where it listens and its CA.
    @Test func serveOnATerminalOpensTheInbox() throws {
        let tmux = try launch(["serve", "--port", "0", "--tls-port", "0"], width: 110, height: 34, password: nil)
        defer { tmux.stop() }
        let screen = try tmux.waitFor("SMTP (STARTTLS offered): 127.0.0.1:")
        #expect(screen.contains("SMTPS (implicit TLS):    127.0.0.1:") && screen.contains("CA to trust: " + dataHome + "/mailtui/tls/ca.pem"),
                "addresses and CA at the top:\n\(screen)")
        #expect(screen.contains("Nothing caught yet"))
        let port = try #require(self.port(in: screen, after: "SMTP (STARTTLS offered): "))
        try flaskSends(to: port, subject: "Welcome aboard")
        try tmux.waitFor("\"Welcome aboard\"")
        try tmux.press("Enter")
        try tmux.waitFor("Your link: https://example.com/r/1")
        try tmux.press("Escape", "f")
        try tmux.waitFor("Faults of the local test server")
        try tmux.press("Escape")
        try tmux.waitFor("1 message")
        try tmux.press("F10")
        try tmux.waitFor("EXIT=0")
    }

    /// The inbox verifies DKIM against the DNS server given: a signed message passes, one whose
    /// key is not published fails, with the reason on the screen.
    @Test func theInboxVerifiesDKIM() throws {
        let directory = TestPaths.temporaryDirectory("mailtui-dkim")
        let key = directory + "/k.pem"
        #expect(try Program.run("/usr/bin/env", ["openssl", "genrsa", "-out", key, "2048"]).status == 0)
        let publicKey = try Program.run("/usr/bin/env", ["openssl", "rsa", "-in", key, "-pubout", "-outform", "DER"]).stdout.base64EncodedString()
        let dns = try TestDNSServer(["inbox._domainkey.signed.test": [("TXT", "v=DKIM1; k=rsa; p=" + publicKey)]])
        defer { dns.stop() }
        let tmux = try launch(["serve", "--port", "0", "--tls-port", "0", "--dns-server", dns.address], width: 120, height: 34, password: nil)
        defer { tmux.stop() }
        let screen = try tmux.waitFor("SMTP (STARTTLS offered): 127.0.0.1:")
        let port = try #require(self.port(in: screen, after: "SMTP (STARTTLS offered): "))
        for (selector, subject) in [("inbox", "Signed and published"), ("unpublished", "Signed, key not published")] {
            let sent = try Program.run(TestPaths.mailtui, ["send", "--server", "127.0.0.1", "--port", port, "--security", "none", "--from", "a@signed.test",
                                                           "--to", "b@example.org", "--subject", subject, "--text", "hi", "--dkim-key", key, "--dkim-selector", selector],
                                       environment: TestPaths.hermeticEnvironment())
            #expect(sent.status == 0, "\(sent.out)\(sent.err)")
        }
        try tmux.waitFor("\"Signed, key not published\"")
        try tmux.press("Enter")
        let failed = try tmux.waitFor("DKIM: fail")
        #expect(failed.contains("no key at unpublished._domainkey.signed.test"), "\(failed)")
        try tmux.press("Escape", "Down", "Enter")
        let passed = try tmux.waitFor("DKIM: pass")
        #expect(passed.contains("DKIM: pass (d=signed.test, s=inbox, rsa-sha256)"), "\(passed)")
        try tmux.press("Escape", "F10")
        try tmux.waitFor("EXIT=0")
    }

    /// `send --count` on a terminal: a progress line while it runs; Ctrl-C stops it and prints the
    /// summary of what was done.
    @Test func aLoadRunShowsProgressAndCtrlCSummarisesWhatWasDone() throws {
        let server = try TestSMTPServer(["--mode", "plain"])
        defer { server.stop() }
        let tmux = try launch(["send", "--server", "127.0.0.1", "--port", String(server.port), "--security", "none", "--from", "a@example.com",
                               "--to", "b@example.com", "--text", "n {n}", "--count", "100000", "--rate", "50", "--transcript", "none"], password: nil)
        defer { tmux.stop() }
        let running = try tmux.waitFor(" msg/s, ETA ")
        #expect(running.contains(" sent, 0 failed, "), "\(running)")
        try tmux.press("C-c")
        let done = try tmux.waitFor("EXIT=")
        #expect(done.contains(" delivered, ") && done.contains("messages per second") && done.contains("EXIT=130"), "\(done)")
        #expect(server.messages().count > 0 && server.messages().count < 100_000)
    }

    /// The Count field: a load run on one connection to the local server, its summary on screen.
    @Test func theCountFieldSendsSeveralMessagesAndSummarises() throws {
        let tmux = try launch([], width: 110, height: 40, password: nil)
        defer { tmux.stop() }
        try tmux.waitFor("Local test server on 127.0.0.1:")
        try tab(tmux, from: "To", to: "Count")
        try tmux.type("3")
        try tmux.press("F5")
        let done = try tmux.waitFor("Load run: 3 of 3 messages on one connection")
        #expect(done.contains("3 delivered, 0 failed"), "\(done)")
        let inbox = try FileManager.default.contentsOfDirectory(atPath: dataHome + "/mailtui/inbox").filter { $0.hasSuffix(".eml") }
        #expect(inbox.count == 3)
    }

    /// A fault set in the F12 panel: the next F5 fails at that stage with that reply, the
    /// history keeps it, and the send after it goes through (the fault was for one message).
    @Test func aFaultSetInThePanelFailsTheNextSendAtItsStage() throws {
        let tmux = try launch([], width: 110, height: 40, password: nil)
        defer { tmux.stop() }
        try tmux.waitFor("Local test server on 127.0.0.1:")
        try tmux.press("F12")
        try tmux.waitFor("▸ Stage    ‹ rcpt ›")
        try tmux.press("Down", "Down", "C-u")
        try tmux.type("550 5.1.1 Nobody here by that name")
        try tmux.press("Enter")
        try tmux.waitFor("In force: rcpt=550 5.1.1 Nobody here by that name (once)")
        try tmux.press("Escape", "F5")
        let failed = try tmux.waitFor("Failed at")
        #expect(failed.contains("550 5.1.1 Nobody here by that name"), "the stage and the reply:\n\(failed)")
        #expect(failed.contains("RCPT"), "at RCPT TO:\n\(failed)")
        try tmux.press("F9")
        let history = try tmux.waitFor("History (newest first)")
        #expect(history.contains("550"), "the history keeps the failure:\n\(history)")
        try tmux.press("Escape", "F5")
        try tmux.waitFor("✓ Sent: 250 2.0.0 Ok: queued as")
    }

    /// A 20 MiB attachment goes out through the local server and is saved back from the inbox.
    @Test func aLargeAttachmentIsSavedFromTheInboxWhole() throws {
        let dir = TestPaths.temporaryDirectory("mailtui-big")
        var generator = SystemRandomNumberGenerator()
        let big = (0..<(20 << 20) / 8).reduce(into: Data(capacity: 20 << 20)) { data, _ in withUnsafeBytes(of: generator.next()) { data.append(contentsOf: $0) } }
        try big.write(to: URL(fileURLWithPath: dir + "/big.bin"))
        let tmux = try launch([], width: 110, height: 34, password: nil)
        defer { tmux.stop() }
        try tmux.waitFor("Local test server on 127.0.0.1:")
        try tab(tmux, from: "To", to: "Attach")
        try tmux.type(dir + "/big.bin")
        try tmux.press("Enter")
        try tmux.waitFor("big.bin (20 MiB")
        try tmux.press("F5")
        try tmux.waitFor("✓ Sent: 250 2.0.0 Ok: queued as", timeout: 60)
        try tmux.press("F2")
        try tmux.waitFor("\"Hello from mailtui\"")
        try tmux.press("Enter")
        try tmux.waitFor("over Gmail's limit of 25 MB", timeout: 60)
        try tmux.press("s", "C-u")
        try tmux.type(dir + "/saved.bin")
        try tmux.press("Enter")
        try tmux.waitFor("Saved " + dir + "/saved.bin", timeout: 60)
        let saved = try Data(contentsOf: URL(fileURLWithPath: dir + "/saved.bin"))
        #expect(saved.count == big.count)
        let sums = try Program.run("/usr/bin/sha256sum", [dir + "/big.bin", dir + "/saved.bin"]).out.split(separator: "\n").map { $0.prefix(64) }
        #expect(sums.count == 2 && sums[0] == sums[1], "sha256 of the saved file matches the sent one")
    }

    @Test func noLocalServerWhenAskedOrWhenAServerIsGiven() throws {
        let tmux = try launch(["--no-local-server"], password: nil)
        defer { tmux.stop() }
        let screen = try tmux.waitFor("Ready: no server yet")
        #expect(!screen.contains("Local test server"))
    }

    @Test func noLocalServerWhenTheConfigSaysSo() throws {
        try FileManager.default.createDirectory(atPath: configHome + "/mailtui", withIntermediateDirectories: true)
        try Data("local_server = false\n".utf8).write(to: URL(fileURLWithPath: configHome + "/mailtui/config.toml"))
        let tmux = try launch([], password: nil)
        defer { tmux.stop() }
        let screen = try tmux.waitFor("Ready: no server yet")
        #expect(!screen.contains("Local test server"))
        try tmux.press("F8")
        #expect(try !tmux.waitFor("Profiles (config.toml").contains("Local test server"))
    }

    @Test func emojiAreShownWholeAndTheCursorStaysWhereTheTerminalDrawsIt() throws {
        let tmux = try launch(["--fresh", "--server", "smtp.example.com"], password: nil)
        defer { tmux.stop() }
        try tmux.waitFor("Ready: smtp.example.com")
        try tmux.type("a👍🏽b🇩🇪c👨\u{200D}👩\u{200D}👧d東e")
        let screen = try tmux.waitFor("d東e")
        #expect(screen.contains("From a👍🏽b🇩🇪c👨👩👧d東e"), "\(screen)")
        let row = try #require(screen.split(separator: "\n").firstIndex { $0.contains("From a") })
        #expect(try tmux.cursor() == (11 + 19, row), "the cursor after e, counted as the terminal counts")
        try tmux.press("Left", "Left", "Left")
        try tmux.waitUntil("the cursor after the family") { _ in (try? tmux.cursor().x) == 11 + 15 }
        try tmux.press("BSpace")
        try tmux.waitFor("From a👍🏽b🇩🇪cd東e")
        try tmux.press("F10")
        try tmux.waitFor("EXIT=0")
        let draft = try String(contentsOfFile: stateHome + "/mailtui/draft.json", encoding: .utf8)
        #expect(draft.contains("a👍🏽b🇩🇪cd東e"), "Backspace took the whole cluster, and the draft holds no piece of it")
    }

    @Test func aKilledSessionLeavesItsDraft() throws {
        let tmux = try launch(["--fresh", "--server", "smtp.example.com"], password: nil)
        try tmux.waitFor("Ready: smtp.example.com")
        try tmux.type("me@example.com")
        try tab(tmux, from: "From", to: "To")
        try tmux.type("you@example.com")
        try tab(tmux, from: "To", to: "Subject")
        try tmux.type("Entwurf überlebt kill -9 ✓")
        try tab(tmux, from: "Subject", to: "Body")
        try tmux.type("body text survives")
        try tmux.waitFor("body text survives")
        // The draft is written shortly after the last change: wait for it, not for a fixed time.
        #expect(Wait.forFile(stateHome + "/mailtui/draft.json", containing: "body text survives"), "the draft was written")
        let pid = try #require(try tmux.programPID())
        kill(pid, SIGKILL)
        try tmux.waitFor("EXIT=137")
        tmux.stop()

        let again = try launch([], password: nil)
        defer { again.stop() }
        let screen = try again.waitFor("Entwurf überlebt kill -9 ✓")
        #expect(screen.contains("me@example.com") && screen.contains("you@example.com"))
        #expect(screen.contains("smtp.example.com"))
        try again.press("F10")
        try again.waitFor("EXIT=0")
    }

    @Test func probeShowsWhatTheServerOffers() throws {
        let server = try TestSMTPServer(["--mode", "starttls", "--auth", "alice:\(Self.password)"])
        defer { server.stop() }
        let tmux = try launch(["--fresh"] + serverArguments(server) + ["--user", "alice"], width: 120, height: 60)
        defer { tmux.stop() }
        try tmux.waitFor("Ready: 127.0.0.1")
        try tmux.press("F6")
        let screen = try tmux.waitFor("Probe done")
        #expect(screen.contains("AUTH        before STARTTLS: none; after: LOGIN, PLAIN"))
        #expect(screen.contains("largest message accepted: 32 MiB"))
        #expect(screen.contains("issuer CN = mailtui Test CA"))
        #expect(screen.contains("Login       accepted"))
        #expect(server.messages().isEmpty)
    }

    @Test func saveAProfileFromTheFormAndReopenASendFromHistory() throws {
        let server = try TestSMTPServer(["--mode", "plain"])
        defer { server.stop() }
        let tmux = try launch(["--fresh", "--server", "127.0.0.1", "--port", String(server.port), "--security", "none",
                               "--from", "a@example.com", "--to", "b@example.com", "--subject", "remember me"], width: 110, height: 40)
        defer { tmux.stop() }
        try tmux.waitFor("Ready: 127.0.0.1")
        try tmux.press("F5")
        try tmux.waitFor("✓ Sent")
        try tmux.press("F8")
        try tmux.waitFor("No profiles yet")
        try tmux.press("s")
        try tmux.type("local-test")
        try tmux.press("Enter")
        try tmux.waitFor("Saved profile local-test")
        let config = try String(contentsOfFile: configHome + "/mailtui/profiles.toml", encoding: .utf8)
        #expect(config.contains("[profiles.local-test]") && config.contains("server = \"127.0.0.1\"") && config.contains("from = \"a@example.com\""))
        try tmux.press("Escape")
        // Change the subject, then bring the sent one back from the history.
        try tmux.press("BTab", "BTab", "BTab", "BTab", "BTab", "BTab", "BTab", "BTab", "BTab")
        try tmux.press("C-u")
        try tmux.type("changed")
        try tmux.press("F9")
        try tmux.waitFor("\"remember me\"  ok: 250")
        try tmux.press("Enter")
        let screen = try tmux.waitFor("Re-opened send")
        #expect(screen.contains("Subject remember me"))
    }

    @Test func theEditorKeyRoundTripsTheBody() throws {
        let script = TestPaths.temporaryDirectory() + "/editor.sh"
        TestFiles.write(script, Data("#!/bin/sh\nprintf 'written in the editor ✓\\n' >> \"$1\"\n".utf8), mode: 0o755)
        let command = ([TestPaths.mailtui, "--fresh", "--server", "smtp.example.com"]).map(shellQuote).joined(separator: " ")
        let tmux = try Tmux(command, environment: ["XDG_STATE_HOME": stateHome, "XDG_CONFIG_HOME": configHome, "EDITOR": script, "VISUAL": ""])
        defer { tmux.stop() }
        try tmux.waitFor("Ready: smtp.example.com")
        // The focus starts at From when the server is known.
        try tab(tmux, from: "From", to: "Body")
        try tmux.type("typed first")
        try tmux.press("F4")
        let screen = try tmux.waitFor("written in the editor ✓")
        #expect(screen.contains("typed first"))
        #expect(screen.contains("─ Server"), "the screen is repainted after the editor")
    }

    @Test func theSendCommandAsksForThePasswordWithoutEchoingIt() throws {
        let server = try TestSMTPServer(["--mode", "starttls", "--auth", "alice:\(Self.password)"])
        defer { server.stop() }
        let command = ([TestPaths.mailtui, "send"] + serverArguments(server) + ["--user", "alice", "--from", "a@example.com", "--to", "b@example.com", "--text", "x"])
            .map(shellQuote).joined(separator: " ")
        let tmux = try Tmux(command, environment: ["XDG_STATE_HOME": stateHome, "XDG_CONFIG_HOME": configHome])
        defer { tmux.stop() }
        try tmux.waitFor("Password for alice:")
        try tmux.type(Self.password)
        try tmux.press("Enter")
        let screen = try tmux.waitFor("EXIT=")
        #expect(screen.contains("EXIT=0"), "\(screen)")
        #expect(!screen.contains(Self.password), "the typed password is not echoed")
        #expect(server.messages().count == 1)
    }

    @Test func optionsOverlayARestoredDraft() throws {
        let first = try launch(["--fresh", "--server", "smtp.draft.example", "--port", "2525", "--security", "none"], password: nil)
        try first.waitFor("Ready: smtp.draft.example:2525")
        try first.type("me@example.com")
        try first.waitFor("me@example.com")
        #expect(Wait.forFile(stateHome + "/mailtui/draft.json", containing: "me@example.com"), "the draft was written")
        try first.press("F10")
        try first.waitFor("EXIT=0")
        first.stop()
        let again = try launch(["--user", "bob"], password: nil)
        defer { again.stop() }
        let screen = try again.waitFor("Ready: smtp.draft.example:2525 none")
        #expect(screen.contains("User bob"))
        #expect(screen.contains("me@example.com"))
    }

    @Test func aVanishedTerminalEndsTheProgramAndKeepsTheDraft() throws {
        let tmux = try launch(["--fresh", "--server", "smtp.example.com"], password: nil)
        defer { tmux.stop() }
        try tmux.waitFor("Ready: smtp.example.com")
        try tmux.type("gone@example.com")
        try tmux.waitFor("gone@example.com")
        let pid = try #require(try tmux.programPID())
        // The terminal disappears without a signal reaching the program: only the hang-up of its input tells.
        tmux.killServerOnly()
        Wait.until(timeout: 60) { kill(pid, 0) != 0 }
        #expect(kill(pid, 0) != 0, "mailtui must exit when its terminal is gone, not spin")
        if kill(pid, 0) == 0 { kill(pid, SIGKILL) }
        let draft = try String(contentsOfFile: stateHome + "/mailtui/draft.json", encoding: .utf8)
        #expect(draft.contains("gone@example.com"))
    }

    @Test func aFailedSendShowsTheStageTheReplyAndWhatToTry() throws {
        let server = try TestSMTPServer(["--mode", "starttls", "--auth", "alice:right-password"])
        defer { server.stop() }
        let tmux = try launch(["--fresh"] + serverArguments(server) + ["--user", "alice", "--from", "a@example.com", "--to", "b@example.com"])
        defer { tmux.stop() }
        try tmux.waitFor("Ready: 127.0.0.1")
        try tmux.press("F5")
        let screen = try tmux.waitFor("✗ Failed at AUTH")
        #expect(screen.contains("Server said: 535"))
        #expect(screen.contains("Try: Check the username (User, MAIL_USERNAME)"), "the advice names the form's fields")
        #expect(screen.contains("Failed at AUTH: username or password refused"))
        #expect(server.messages().isEmpty)
    }
}

/// Issue 21: the local test server across starts and beside a `mailtui serve`, drafts of screens
/// that are gone, and where the history's report goes.
extension ComposeScreenTests {
    @Test func aSecondStartStillSendsToTheLocalServerWithAnyPassword() throws {
        let port = String(unusedPort())
        let first = try launch([], width: 110, height: 34, password: nil, environment: ["MAILTUI_LOCAL_PORT": port])
        try first.waitFor("Local test server on 127.0.0.1:")
        try first.press("F10")
        try first.waitFor("EXIT=0")
        first.stop()
        let second = try launch([], width: 110, height: 34, password: nil, environment: ["MAILTUI_LOCAL_PORT": port])
        defer { second.stop() }
        let start = try second.waitFor("Local test server on 127.0.0.1:")
        #expect(start.contains("(any password works here)"), "the form knows it is the local server:\n\(start)")
        try second.press("F5")
        try second.waitFor("✓ Sent: 250 2.0.0 Ok: queued as")
    }

    @Test func aServeFromAnotherDataFolderLendsItsCAAndInbox() throws {
        let otherData = TestPaths.temporaryDirectory("mailtui-serve-data")
        let serve = Process()
        let output = Pipe()
        serve.executableURL = URL(fileURLWithPath: TestPaths.mailtui)
        serve.arguments = ["serve", "--json", "--port", "0", "--tls-port", "off", "--host", "127.0.0.1"]
        serve.environment = TestPaths.hermeticEnvironment(["XDG_DATA_HOME": otherData, "XDG_RUNTIME_DIR": runtimeDirectory])
        serve.standardOutput = output
        serve.standardError = FileHandle.nullDevice
        try serve.run()
        defer { kill(serve.processIdentifier, SIGKILL); serve.waitUntilExit() }
        var pending = Data()
        let listening = try #require(ServeCommandTests.Serve.readLine(output.fileHandleForReading, &pending))
        let port = try #require(listening.split(separator: "\"").first { $0.hasPrefix("127.0.0.1:") }?.split(separator: ":").last.map(String.init))
        let file = runtimeDirectory + "/mailtui/serve-\(port).json"
        try #require(Wait.until { FileManager.default.fileExists(atPath: file) }, "serve never wrote \(file)")

        let tmux = try launch([], width: 110, height: 34, password: nil, environment: ["MAILTUI_LOCAL_PORT": port])
        defer { tmux.stop() }
        try tmux.waitFor("Local test server on 127.0.0.1:\(port) (a running mailtui serve)")
        // Sent with the certificate verified: the form trusts serve's CA, not this data folder's.
        try tmux.press("F5")
        try tmux.waitFor("✓ Sent: 250 2.0.0 Ok: queued as")
        let stored = try FileManager.default.contentsOfDirectory(atPath: otherData + "/mailtui/inbox").filter { $0.hasSuffix(".eml") }
        #expect(stored.count == 1, "stored in serve's inbox")
        try tmux.press("F2")
        try tmux.waitFor("\"Hello from mailtui\"")
        kill(serve.processIdentifier, SIGTERM)
        serve.waitUntilExit()
        #expect(!FileManager.default.fileExists(atPath: file), "serve removes its file when it stops")
    }

    @Test func aKilledScreensDraftIsOfferedAtTheNextStart() throws {
        let first = try launch(["--fresh", "--server", "smtp.example.com"], password: nil)
        defer { first.stop() }
        try first.waitFor("Ready: smtp.example.com")
        let second = try launch(["--fresh", "--server", "smtp.example.com"], password: nil)
        try second.waitFor("Another mailtui is open")
        try second.type("kept@example.com")
        let pid = try #require(try second.programPID())
        let path = stateHome + "/mailtui/draft.\(pid).json"
        let deadline = Date().addingTimeInterval(20)
        while (try? String(contentsOfFile: path, encoding: .utf8))?.contains("kept@example.com") != true {
            guard Date() < deadline else { throw TmuxError.timedOut(waitingFor: "the second screen's draft in \(path)", screen: try second.screen()) }
            usleep(20_000)
        }
        kill(pid, SIGKILL)
        try second.waitFor("EXIT=137")
        second.stop()
        try first.press("F10")
        try first.waitFor("EXIT=0")

        let third = try launch([], password: nil)
        defer { third.stop() }
        try third.waitFor("A draft from an earlier screen (closed or killed) is kept (draft.\(pid).json): Ctrl-R opens it")
        try third.press("C-r")
        try third.waitFor("Drafts kept from earlier screens")
        try third.press("Enter")
        let screen = try third.waitFor("Opened the draft of an earlier screen")
        #expect(screen.contains("From kept@example.com"), "\(screen)")
        try third.press("F10")
        try third.waitFor("EXIT=0")
        #expect(!FileManager.default.fileExists(atPath: path), "the form had nothing typed: the kept file is gone, its draft is the screen's own now")
        #expect(try String(contentsOfFile: stateHome + "/mailtui/draft.json", encoding: .utf8).contains("kept@example.com"))
    }

    @Test func theHistorysReportSaysItsWholePath() throws {
        let server = try TestSMTPServer(["--mode", "plain"])
        defer { server.stop() }
        let folder = TestPaths.temporaryDirectory("mailtui-report")
        let tmux = try launch(["--fresh", "--server", "127.0.0.1", "--port", String(server.port), "--security", "none",
                               "--from", "a@example.com", "--to", "b@example.com", "--subject", "report me"], width: 160, height: 40, directory: folder)
        defer { tmux.stop() }
        try tmux.waitFor("Ready: 127.0.0.1")
        try tmux.press("F5")
        try tmux.waitFor("✓ Sent")
        try tmux.press("F9")
        try tmux.waitFor("\"report me\"  ok: 250")
        try tmux.press("s")
        let screen = try tmux.waitFor("Wrote /")
        let reports = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasPrefix("mailtui-report-") }
        #expect(reports.count == 1)
        let resolved = URL(fileURLWithPath: folder).resolvingSymlinksInPath().path
        #expect(reports.first.map { screen.contains("Wrote \(resolved)/\($0)") || screen.contains("Wrote \(folder)/\($0)") } == true, "\(screen)")
    }
}

extension ComposeScreenTests {
    /// A key whose sequence the terminal's terminfo does not list reaches curses as ESC and bytes:
    /// none of them may land in the field.
    @Test func anUnknownEscapeSequenceIsNotTyped() throws {
        let tmux = try launch(["--fresh", "--server", "smtp.example.com"], password: nil)
        defer { tmux.stop() }
        try tmux.waitFor("Ready: smtp.example.com")
        try tmux.type("a")
        try tmux.waitFor("From a")
        // One send-keys: the bytes reach the terminal together, as a key's sequence does.
        try tmux.press("Escape", "[", "9", "9", "~", "Escape", "[", "2", "0", "0", "~", "b")
        let screen = try tmux.waitUntil("the b after the sequences") { $0.split(separator: "\n").contains { $0.contains("From a") && $0.hasSuffix("b") } }
        #expect(screen.split(separator: "\n").contains { $0.hasSuffix("From ab") }, "nothing of the sequences typed:\n\(screen)")
    }
}
