import Foundation
import Testing
import TestSupport

/// `mailtui sendmail` as PHP, cron and git run it: the real binary reads the message on standard
/// input and sends it to a real server (aiosmtpd, the fault server, `mailtui serve`); the tests
/// check the bytes and the envelope the server stored, the exit status and the history.
@Suite struct SendmailCommandTests {
    let config = TestPaths.temporaryDirectory("mailtui-config")
    let state = TestPaths.temporaryDirectory("mailtui-state")
    /// No `mailtui serve` of the machine's is ever found: the runtime folder is the test's own.
    let runtime = TestPaths.temporaryDirectory("mailtui-runtime")

    func run(_ arguments: [String], input: String, program: String = TestPaths.mailtui, environment: [String: String] = [:]) throws -> ProgramResult {
        try run(arguments, input: Data(input.utf8), program: program, environment: environment)
    }

    func run(_ arguments: [String], input: Data, program: String = TestPaths.mailtui, environment: [String: String] = [:]) throws -> ProgramResult {
        var env = TestPaths.hermeticEnvironment(["XDG_CONFIG_HOME": config, "XDG_STATE_HOME": state, "XDG_RUNTIME_DIR": runtime,
                                                 "MAILTUI_LOCAL_PORT": String(unusedPort()), "NO_COLOR": "1"])
        for (key, value) in environment { env[key] = value }
        return try Program.run(program, arguments, input: input, environment: env)
    }

    func sendmail(_ arguments: [String], input: String, environment: [String: String] = [:]) throws -> ProgramResult {
        try run(["sendmail"] + arguments, input: input, environment: environment)
    }

    /// config.toml with a default profile for `server`, as a cron user would write it.
    func useProfile(port: Int, security: String = "starttls", extra: String = "") throws {
        try FileManager.default.createDirectory(atPath: config + "/mailtui", withIntermediateDirectories: true)
        let toml = """
        default_profile = "relay"
        [profiles.relay]
        server = "127.0.0.1"
        port = \(port)
        security = "\(security)"
        ca_file = "\(TestCertificates.path("ca.pem"))"
        helo = "client.test.invalid"
        timeout = 10
        \(extra)
        """
        TestFiles.write(config + "/mailtui/config.toml", Data(toml.utf8), mode: 0o600)
    }

    func history() throws -> [[String: Any]] {
        let list = try run(["history", "list", "--json"], input: "")
        return list.out.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    static let withBcc = """
    From: Cron <cron@example.com>
    To: ops@example.com
    Bcc: secret@example.com
    Subject: nightly backup

    All good.
    """

    @Test func withTTheBccRecipientIsInTheEnvelopeAndNotInTheHeader() throws {
        let server = try TestSMTPServer(["--mode", "starttls"])
        defer { server.stop() }
        try useProfile(port: server.port)
        let result = try sendmail(["-t", "-i"], input: Self.withBcc + "\n")
        #expect(result.status == 0, "\(result.err)")
        #expect(result.out.isEmpty && result.err.isEmpty, "silent when the mail goes (cron mails any output)")
        let stored = try #require(server.messages().first)
        #expect(Set(stored.envelope.rcpt_tos) == ["ops@example.com", "secret@example.com"])
        #expect(stored.envelope.mail_from == "cron@example.com")
        #expect(stored.envelope.tls)
        #expect(!stored.text.contains("secret@example.com") && !stored.text.lowercased().contains("bcc:"), "\(stored.text)")
        #expect(stored.text.hasPrefix("From: Cron <cron@example.com>\r\nTo: ops@example.com\r\nSubject: nightly backup\r\n"))
        #expect(stored.text.contains("\r\nDate: ") && stored.text.contains("\r\nMessage-ID: <"), "added when missing")
        #expect(stored.text.hasSuffix("\r\n\r\nAll good.\r\n"))

        let entry = try #require(try history().first)
        #expect(entry["kind"] as? String == "sendmail" && entry["succeeded"] as? Bool == true)
        #expect(entry["recipients"] as? [String] == ["ops@example.com", "secret@example.com"])
        #expect(entry["profile"] as? String == "relay")
        let transcript = entry["transcript"] as? [[String: Any]] ?? []
        #expect(transcript.contains { ($0["text"] as? String)?.hasPrefix("RCPT TO:<secret@example.com>") == true }, "the conversation is kept")
        let show = try run(["history", "show", try #require(entry["id"] as? String)], input: "")
        #expect(show.out.hasPrefix("sendmail ") && show.out.contains("subject  nightly backup"), "\(show.out)")
    }

    @Test func fSetsMailFromAndILeavesALoneDotInTheMessage() throws {
        let server = try TestSMTPServer(["--mode", "starttls"])
        defer { server.stop() }
        try useProfile(port: server.port)
        let body = "Subject: dots\n\nbefore\n.\nafter\n"
        let kept = try sendmail(["-oi", "-f", "bounces@example.com", "a@example.com"], input: body)
        #expect(kept.status == 0, "\(kept.err)")
        let first = try #require(server.messages().first)
        #expect(first.envelope.mail_from == "bounces@example.com" && first.envelope.rcpt_tos == ["a@example.com"])
        #expect(first.text.hasSuffix("\r\n\r\nbefore\r\n.\r\nafter\r\n"), "\(first.text)")
        #expect(first.text.contains("From: <bounces@example.com>") || first.text.contains("From: bounces@example.com"), "\(first.text)")

        // Without -i the lone dot ends the message, as with sendmail.
        let ended = try sendmail(["-fbounces@example.com", "-FNightly Job", "-v", "a@example.com"], input: body)
        #expect(ended.status == 0, "\(ended.err)")
        // -v: what was added, and the conversation as it happens (inside TLS: ~>).
        #expect(ended.err.contains("added From: Nightly Job <bounces@example.com>") && ended.err.contains("~> MAIL FROM:<bounces@example.com>"), "\(ended.err)")
        #expect(Wait.until { server.messages().count == 2 })
        let second = server.messages()[1]
        #expect(second.text.hasSuffix("\r\n\r\nbefore\r\n") && !second.text.contains("after"), "\(second.text)")
        #expect(second.text.contains("From: Nightly Job <bounces@example.com>"), "\(second.text)")
    }

    @Test func aSymlinkNamedSendmailIsMailtuiSendmail() throws {
        let server = try TestSMTPServer(["--mode", "starttls"])
        defer { server.stop() }
        try useProfile(port: server.port)
        let folder = TestPaths.temporaryDirectory("mailtui-bin")
        try FileManager.default.createSymbolicLink(atPath: folder + "/sendmail", withDestinationPath: TestPaths.mailtui)
        // What PHP's mail() runs with sendmail_path = "sendmail -t -i", and cron's -oi -oem -odi.
        let result = try run(["-t", "-i", "-oem", "-odi", "-bm"], input: "To: php@example.com\nSubject: mail()\n\nhello\n", program: folder + "/sendmail")
        #expect(result.status == 0, "\(result.err)")
        #expect(server.messages().first?.envelope.rcpt_tos == ["php@example.com"])
        let help = try run(["--help"], input: "", program: folder + "/sendmail")
        #expect(help.status == 0 && help.out.contains("75  temporary"), "\(help.out)")
        let unknown = try run(["-Z"], input: "", program: folder + "/sendmail")
        #expect(unknown.status == 64 && unknown.err.contains("-Z"), "\(unknown.err)")
    }

    @Test func aRecipientRefusedForGoodIs67WithTheServersWords() throws {
        let server = try TestSMTPServer(["--mode", "starttls", "--reject", "gone@example.com"])
        defer { server.stop() }
        try useProfile(port: server.port)
        let result = try sendmail(["gone@example.com"], input: "Subject: x\n\nbody\n")
        #expect(result.status == 67, "\(result.err)")
        #expect(result.err.contains("RCPT TO") && result.err.contains("550 5.1.1"), "the stage and the server's words: \(result.err)")
        #expect(result.err.contains("try:"), "what to try: \(result.err)")
        #expect(result.err.contains("mailtui history show "), "\(result.err)")
        #expect(server.messages().isEmpty)
        let entry = try #require(try history().first)
        #expect(entry["kind"] as? String == "sendmail" && entry["succeeded"] as? Bool == false && entry["failureStage"] as? String == "rcpt")
        // As the diagnosis offers: --allow-partial delivers to the others, and names the refused one.
        let partial = try sendmail(["--allow-partial", "gone@example.com", "ok@example.com"], input: "Subject: x\n\nbody\n")
        #expect(partial.status == 0, "\(partial.err)")
        #expect(partial.err.contains("sent to 1 of 2 recipients") && partial.err.contains("gone@example.com 550 5.1.1"), "\(partial.err)")
        #expect(server.messages().first?.envelope.rcpt_tos == ["ok@example.com"])
    }

    @Test func aTemporaryRefusalIs75() throws {
        let server = try TestSMTPServer.faulty(["--reply", "mail", "451 4.7.1 Greylisted, try again later", "--no-starttls"])
        defer { server.stop() }
        try useProfile(port: server.port, security: "none")
        let result = try sendmail(["-t"], input: "To: a@example.com\n\nx\n")
        #expect(result.status == 75, "\(result.err)")
        #expect(result.err.contains("451 4.7.1 Greylisted"), "\(result.err)")
    }

    @Test func aRefusedLoginIs77() throws {
        let server = try TestSMTPServer(["--mode", "starttls", "--auth", "alice:right"])
        defer { server.stop() }
        try useProfile(port: server.port, extra: "user = \"alice\"\npassword_env = \"RELAY_PASSWORD\"")
        let result = try sendmail(["a@example.com"], input: "Subject: x\n\nx\n", environment: ["RELAY_PASSWORD": "wrong-Pa55"])
        #expect(result.status == 77, "\(result.err)")
        #expect(result.err.contains("535"), "\(result.err)")
        #expect(!result.err.contains("wrong-Pa55"))
        let history = try String(contentsOfFile: state + "/mailtui/history.jsonl", encoding: .utf8)
        #expect(!history.contains("wrong-Pa55") && history.contains("\"sendmail\""))
        // The right password delivers.
        let good = try sendmail(["a@example.com"], input: "Subject: x\n\nx\n", environment: ["RELAY_PASSWORD": "right"])
        #expect(good.status == 0, "\(good.err)")
        #expect(server.messages().first?.envelope.authenticated == true)
    }

    @Test func aBadConfigurationIs78AndSaysWhatToDo() throws {
        // No profile, no default profile, no mailtui serve running.
        let nothing = try sendmail(["a@example.com"], input: "Subject: x\n\nx\n")
        #expect(nothing.status == 78, "\(nothing.err)")
        #expect(nothing.err.contains("no server to send through") && nothing.err.contains("mailtui serve"), "\(nothing.err)")
        let unknown = try sendmail(["--profile", "nope", "a@example.com"], input: "x\n")
        #expect(unknown.status == 78 && unknown.err.contains("nope"), "\(unknown.err)")
        try useProfile(port: 25, extra: "user = \"alice\"")
        let noPassword = try sendmail(["a@example.com"], input: "x\n")
        #expect(noPassword.status == 78 && noPassword.err.contains("password"), "\(noPassword.err)")
        // Usage mistakes are 64, a bad address in the message 65: both before any connection.
        #expect(try sendmail([], input: "Subject: nobody\n\nx\n").status == 64)
        #expect(try sendmail(["-t"], input: "To: not an address\n\nx\n").status == 65)
    }

    @Test func withoutAProfileItSendsToTheRunningMailtuiServe() throws {
        let serve = try ServeCommandTests.Serve([], environment: ["XDG_RUNTIME_DIR": runtime])
        defer { _ = serve.stop() }
        #expect(Wait.until { FileManager.default.fileExists(atPath: runtime + "/mailtui/serve-\(serve.port).json") })
        let result = try sendmail(["-t"], input: "From: app@example.com\nTo: dev@example.com\nSubject: caught\n\nhi\n",
                                  environment: ["MAILTUI_LOCAL_PORT": serve.port])
        #expect(result.status == 0, "\(result.err)")
        let event = try #require(serve.next())
        #expect(event["event"] as? String == "message", "\(event)")
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: serve.store)) ?? []).contains { $0.hasSuffix(".eml") })
    }

    /// A PNG piped in by mistake, or any input with NUL bytes, is no message a server takes: it is
    /// refused here with EX_DATAERR (65), saying what to do instead, and no server is contacted.
    @Test func binaryInputIsRefusedBeforeAnyConnection() throws {
        let listener = try SilentListener()
        try useProfile(port: listener.port, security: "none")
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0]
        let result = try run(["sendmail", "-t"], input: Data(Array("To: ops@example.com\nSubject: chart\n\n".utf8) + png))
        #expect(result.status == 65, "\(result.err)")
        #expect(result.err.contains("NUL byte (line 6, byte 45)"), "what is wrong, and where: \(result.err)")
        #expect(result.err.contains("mailtui send") && result.err.contains("--attach"), "what to do: \(result.err)")
        #expect(!listener.connected, "refused before any connection")
        #expect(try history().isEmpty, "nothing was sent, nothing to look up")
    }

    /// What a server with 8BITMIME takes is not refused: UTF-8 text, a bare CR (it becomes a line
    /// break), a few control characters in a job's output (an escape, a backspace, a form feed).
    @Test func eightBitTextAndStrayControlsStillGo() throws {
        let server = try TestSMTPServer(["--mode", "starttls"])
        defer { server.stop() }
        try useProfile(port: server.port)
        let body = "Grüße aus Köln, 東京\rcolour \u{1B}[1mbold\u{1B}[0m, over\u{08}\u{08}\u{08}\u{08}____\u{0C}\n"
        let result = try sendmail(["a@example.com"], input: "Subject: 8-bit\n\n" + body)
        #expect(result.status == 0, "\(result.err)")
        let stored = try #require(server.messages().first)
        #expect(stored.text.hasSuffix("\r\n\r\nGrüße aus Köln, 東京\r\ncolour \u{1B}[1mbold\u{1B}[0m, over\u{08}\u{08}\u{08}\u{08}____\u{0C}\r\n"), "\(stored.text)")
    }
}
