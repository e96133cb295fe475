import Foundation
import Testing
import TestSupport

/// `mailtui send` as a script runs it: the real binary, real servers, exit statuses and output.
@Suite struct SendCommandTests {
    static let password = "Tr0ub4dor&3-ü"

    func mailtui(_ arguments: [String], input: String? = nil, environment: [String: String] = [:]) throws -> ProgramResult {
        var env = TestPaths.hermeticEnvironment()
        env["NO_COLOR"] = "1"
        for (key, value) in environment { env[key] = value }
        return try Program.run(TestPaths.mailtui, arguments, input: input.map { Data($0.utf8) }, environment: env)
    }

    func serverArguments(_ server: TestSMTPServer, security: String) -> [String] {
        ["--server", "127.0.0.1", "--port", String(server.port), "--security", security,
         "--ca-file", TestCertificates.path("ca.pem"), "--helo", "client.test.invalid"]
    }

    @Test func dryRunPrintsTheExactMessageAndTheEnvelope() throws {
        let result = try mailtui(["send", "--dry-run", "--from", "Zoë <z@example.com>", "--to", "a@example.com",
                                  "--bcc", "b@example.com", "--subject", "Grüße", "--text", "Hallo ✓", "--header", "X-Test: 1"])
        #expect(result.status == 0)
        #expect(result.err.contains("MAIL FROM:<z@example.com>"))
        #expect(result.err.contains("RCPT TO:<b@example.com>"))
        let parsed = try ParsedEmail.parse(result.stdout)
        #expect(parsed.subject == "Grüße")
        #expect(parsed.leafParts.first?.text == "Hallo ✓\n")
        #expect(parsed.extra["X-Test"] == "1")
        #expect(!parsed.has_bcc)
        #expect(!parsed.bare_lf)
    }

    /// `--json` without `--count`: every line on standard output is one JSON object, the transcript
    /// line by line, then the result; a refused send too.
    @Test func jsonWithoutCountPrintsOnlyJSONLines() throws {
        let server = try TestSMTPServer(["--mode", "starttls"])
        defer { server.stop() }
        let result = try mailtui(["send"] + serverArguments(server, security: "starttls") + ["--from", "a@example.com", "--to", "b@example.com",
                                  "--subject", "json", "--text", "hello", "--json"])
        #expect(result.status == 0, "\(result.err)\(result.out)")
        let lines = result.out.split(separator: "\n")
        let objects = lines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(objects.count == lines.count && lines.count > 5, "every line is JSON: \(result.out)")
        let transcript = objects.dropLast()
        #expect(transcript.allSatisfy { $0["event"] as? String == "line" && $0["text"] is String && $0["speaker"] is String && $0["stage"] is String })
        #expect(transcript.contains { ($0["text"] as? String)?.hasPrefix("220") == true && $0["speaker"] as? String == "server" })
        #expect(transcript.contains { $0["text"] as? String == "STARTTLS" && $0["inTLS"] as? Bool == false && $0["elapsed"] is Double })
        let summary = try #require(objects.last)
        #expect(summary["event"] as? String == "result" && summary["ok"] as? Bool == true && summary["exitStatus"] as? Int == 0)
        #expect(summary["stage"] == nil && summary["curlCode"] == nil, "an absent value is left out, not null")
        #expect((summary["reply"] as? String)?.hasPrefix("250") == true)
        #expect(summary["accepted"] as? [String] == ["b@example.com"])
        #expect(server.messages().count == 1)

        // A refused connection: still only JSON, the result says where and why.
        let closed = try mailtui(["send", "--server", "127.0.0.1", "--port", "1", "--security", "none", "--from", "a@example.com", "--to", "b@example.com",
                                  "--text", "x", "--json"])
        #expect(closed.status == 3, "\(closed.err)\(closed.out)")
        let closedLines = closed.out.split(separator: "\n")
        let closedObjects = closedLines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(closedObjects.count == closedLines.count && !closedLines.isEmpty, "\(closed.out)")
        #expect(closedObjects.last?["ok"] as? Bool == false && closedObjects.last?["stage"] as? String == "connect" && closedObjects.last?["exitStatus"] as? Int == 3)
        #expect(closedObjects.last?["curlCode"] as? Int == 7 && closedObjects.last?["exit_status"] == nil, "\(closed.out)")
        #expect(closedObjects.last?["explanation"] is String)
        let dry = try mailtui(["send", "--dry-run", "--json", "--to", "b@example.com"])
        #expect(dry.status == 2 && dry.err.contains("--json"))
    }

    /// `--count`: a load run against aiosmtpd (a server we did not write); every message lands,
    /// numbered, with its own Message-ID; the summary is one JSON object.
    @Test func aLoadRunDeliversEveryNumberedMessage() throws {
        let server = try TestSMTPServer(["--mode", "starttls"])
        defer { server.stop() }
        let result = try mailtui(["send"] + serverArguments(server, security: "starttls") + ["--from", "a@example.com", "--to", "b@example.com",
                                  "--subject", "load {n}", "--text", "message {n}", "--count", "20", "--connections", "3", "--json"])
        #expect(result.status == 0, "\(result.err)\(result.out)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any])
        #expect(summary["delivered"] as? Int == 20 && summary["failed"] as? Int == 0)
        #expect((summary["messagesPerSecond"] as? Double ?? 0) > 0)
        let stored = server.messages()
        #expect(stored.count == 20)
        let parsed = try stored.map { try ParsedEmail.parse($0.bytes) }
        #expect(Set(parsed.map(\.subject)) == Set((1...20).map { "load \($0)" }))
        let ids = stored.compactMap { String(decoding: $0.bytes, as: UTF8.self).split(separator: "\r\n").first { $0.hasPrefix("Message-ID:") } }
        #expect(Set(ids).count == 20, "each its own Message-ID")
        let bad = try mailtui(["send", "--count", "0", "--to", "b@example.com"])
        #expect(bad.status == 2 && bad.err.contains("--count takes 1 to 10000000"))
        for options in [["--rate", "1e-300"], ["--rate", "inf"], ["--rate", "nan"], ["--rate", "-1"], ["--connections", "0"], ["--transcript", "some"],
                        ["--count", "99999999999999999999"], ["--count", "2", "--quit-after", "rcpt"]] {
            let refused = try mailtui(["send", "--to", "b@example.com", "--count", "5"] + options)
            #expect(refused.status == 2, "\(options): \(refused.err)")
        }
    }

    @Test func badInputExitsWithStatusTwoAndSaysWhatIsWrong() throws {
        let bad = try mailtui(["send", "--dry-run", "--from", "a@example.com", "--to", "not-an-address"])
        #expect(bad.status == 2)
        #expect(bad.err.contains("To:") && bad.err.contains("not-an-address") && bad.err.contains("'@'"))
        let injected = try mailtui(["send", "--dry-run", "--from", "a@example.com", "--to", "b@example.com", "--header", "X-A: 1\r\nBcc: evil@example.com"])
        #expect(injected.status == 2)
        #expect(injected.err.contains("carriage return"))
        let noSuchOption = try mailtui(["send", "--password", "hunter2", "--to", "b@example.com"])
        #expect(noSuchOption.status == 2, "there must be no option that takes a password")
        let missingFile = try mailtui(["send", "--dry-run", "--from", "a@example.com", "--to", "b@example.com", "--attach", "/nonexistent/file.pdf"])
        #expect(missingFile.status == 2)
        #expect(missingFile.err.contains("/nonexistent/file.pdf: no such file"))
    }

    @Test(arguments: ["inf", "nan", "1e16", "0", "-5", "3601"])
    func anUnusableTimeoutIsRefusedNotATrap(_ value: String) throws {
        let result = try mailtui(["send", "--server", "127.0.0.1", "--port", "9", "--from", "a@example.com", "--to", "b@example.com",
                                  "--timeout=\(value)"])
        #expect(result.status == 2, "\(result.err)")
        #expect(result.err.contains("--timeout") && result.err.contains("1 to 3600 seconds"), "\(result.err)")
    }

    @Test func aBadTimeoutInTheConfigBlocksOnlyWhatNeedsTheConfig() throws {
        let config = TestPaths.temporaryDirectory("mailtui-config")
        try FileManager.default.createDirectory(atPath: config + "/mailtui", withIntermediateDirectories: true)
        TestFiles.write(config + "/mailtui/config.toml", Data("default_profile = \"w\"\n[profiles.w]\nserver = \"h\"\ntimeout = inf\n".utf8))
        let server = try TestSMTPServer(["--mode", "plain"])
        defer { server.stop() }
        let explicit = try mailtui(["send", "--server", "127.0.0.1", "--port", String(server.port), "--security", "none",
                                    "--from", "a@example.com", "--to", "b@example.com", "--text", "x"], environment: ["XDG_CONFIG_HOME": config])
        #expect(explicit.status == 0, "a send with every option given does not need config.toml: \(explicit.err)")
        #expect(explicit.err.contains("config.toml:4"), "but the broken line is still named: \(explicit.err)")
        #expect(server.messages().count == 1)
        let usesProfile = try mailtui(["send", "--profile", "w", "--from", "a@example.com", "--to", "b@example.com"],
                                      environment: ["XDG_CONFIG_HOME": config])
        #expect(usesProfile.status == 2)
        #expect(usesProfile.err.contains("config.toml:4") && usesProfile.err.contains("1 to 3600"), "\(usesProfile.err)")
    }

    @Test func aBodyFileIsStreamedNotHeldAndStaysOutOfTheHistory() throws {
        let folder = TestPaths.temporaryDirectory("mailtui-body")
        // 80 MiB of text with umlauts (so quoted-printable) and every kind of line ending.
        var line = Data("Zeile mit Umlauten äöü und einem Gleichheitszeichen = am Ende \r\n".utf8)
        line += Data(String(repeating: "lang ", count: 300).utf8) + Data("\n".utf8) + Data("cr only\r".utf8)
        var body = Data()
        while body.count < 80 * 1024 * 1024 { body += line }
        try body.write(to: URL(fileURLWithPath: folder + "/body.txt"))
        let server = try TestSMTPServer.faulty(["--size", String(400 * 1024 * 1024)])
        defer { server.stop() }
        let state = TestPaths.temporaryDirectory("mailtui-state")
        let result = try Program.run("/usr/bin/time", ["-f", "peak-kib=%M", TestPaths.mailtui, "send", "--server", "127.0.0.1", "--port", String(server.port),
                                                       "--security", "none", "--from", "a@example.com", "--to", "b@example.com",
                                                       "--text-file", folder + "/body.txt"],
                                     environment: TestPaths.hermeticEnvironment(["XDG_STATE_HOME": state, "NO_COLOR": "1"]))
        #expect(result.status == 0, "\(result.err)")
        let peak = Int(result.err.split(separator: "\n").last { $0.hasPrefix("peak-kib=") }?.dropFirst(9) ?? "") ?? Int.max
        #expect(peak < 64 * 1024, "peak RSS \(peak / 1024) MiB for an 80 MiB body")
        #expect(server.commandLog.contains("DATA"))
        let history = (try? Data(contentsOf: URL(fileURLWithPath: state + "/mailtui/history.jsonl"))) ?? Data()
        #expect(history.count < 64 * 1024, "the history keeps the path, not the body: \(history.count) bytes")
        #expect(String(decoding: history, as: UTF8.self).contains("body.txt"))
    }

    @Test func aBodyFileArrivesExactly() throws {
        let folder = TestPaths.temporaryDirectory("mailtui-body")
        let text = "Grüße ✓\r\nline two\rline three\n" + String(repeating: "long ", count: 400) + "\n.dot line\n"
        try Data(text.utf8).write(to: URL(fileURLWithPath: folder + "/body.txt"))
        try Data("<p>Hällo</p>".utf8).write(to: URL(fileURLWithPath: folder + "/body.html"))
        let server = try TestSMTPServer(["--mode", "plain"])
        defer { server.stop() }
        let result = try mailtui(["send", "--server", "127.0.0.1", "--port", String(server.port), "--security", "none", "--from", "a@example.com",
                                  "--to", "b@example.com", "--text-file", folder + "/body.txt", "--html-file", folder + "/body.html"])
        #expect(result.status == 0, "\(result.err)")
        let parsed = try ParsedEmail.parse(try #require(server.messages().first).bytes)
        #expect(parsed.leafParts[0].text == text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n"))
        #expect(parsed.leafParts[1].text.hasPrefix("<p>Hällo</p>"))
        let missing = try mailtui(["send", "--dry-run", "--from", "a@example.com", "--to", "b@example.com", "--text-file", folder + "/nope.txt"])
        #expect(missing.status == 2)
        #expect(missing.err.contains("nope.txt: no such file"), "\(missing.err)")
    }

    @Test func thePasswordCommandRunsOnlyWhenALoginWillHappen() throws {
        let server = try TestSMTPServer(["--mode", "plain"])
        defer { server.stop() }
        let mark = TestPaths.temporaryDirectory("mailtui-mark") + "/ran"
        let result = try mailtui(["send", "--server", "127.0.0.1", "--port", String(server.port), "--security", "none", "--user", "alice",
                                  "--password-cmd", "touch \(mark); echo pw", "--quit-after", "ehlo",
                                  "--from", "a@example.com", "--to", "b@example.com"])
        #expect(result.status == 0, "\(result.err)")
        #expect(!FileManager.default.fileExists(atPath: mark), "--quit-after ehlo never reaches AUTH, so no password is needed")
    }

    @Test func aProbeWorksWithoutAPassword() throws {
        let server = try TestSMTPServer(["--mode", "starttls", "--auth", "alice:pw"])
        defer { server.stop() }
        let result = try mailtui(["probe"] + serverArguments(server, security: "starttls") + ["--user", "alice"])
        #expect(result.status == 0, "\(result.out)\(result.err)")
        #expect(result.out.contains("Login       not tested: no password was given"), "\(result.out)")
        #expect(result.out.contains("--password-env VAR") && !result.out.contains("Password field"), "the command line has no fields: \(result.out)")
        #expect(result.out.contains("AUTH"))
        #expect(!result.err.contains("Usage:"))
        let noProfile = try mailtui(["send", "--profile", "nope", "--to", "b@example.com"])
        #expect(noProfile.status == 2)
        #expect(noProfile.err.contains("No profile \"nope\"") && !noProfile.err.contains("Usage: mailtui <subcommand>"), "\(noProfile.err)")
    }

    @Test func aFileNameThatIsNotUTF8CanBeAttached() throws {
        let folder = TestPaths.temporaryDirectory("mailtui-latin1")
        // caf\xE9.txt, a Latin-1 name: made and passed by bash, since Swift strings cannot hold it.
        let script = "cd \(shellQuote(folder)) && printf 'content' > \"$(printf 'caf\\351.txt')\" && "
            + "\(shellQuote(TestPaths.mailtui)) send --dry-run --from a@example.com --to b@example.com --attach \"$PWD/$(printf 'caf\\351.txt')\""
        let result = try Program.run("/bin/bash", ["-c", script], environment: TestPaths.hermeticEnvironment())
        #expect(result.status == 0, "\(result.err)")
        let parsed = try ParsedEmail.parse(result.stdout)
        let attachment = try #require(parsed.leafParts.last)
        #expect(attachment.filename == "café.txt", "read as Latin-1 for the recipient")
        #expect(attachment.payload == Data("content".utf8))
        let missing = try Program.run("/bin/bash", ["-c", "\(shellQuote(TestPaths.mailtui)) send --dry-run --from a@example.com --to b@example.com --attach \"$(printf '/nope/\\351')\""],
                                      environment: TestPaths.hermeticEnvironment())
        #expect(missing.err.contains("/nope/\\xE9: no such file"), "the byte is shown, not lost: \(missing.err)")
    }

    @Test func aDotenvIsReadWithFlaskMailsDefaultsAndNothingElse() throws {
        let server = try TestSMTPServer(["--mode", "plain"])
        defer { server.stop() }
        // A default profile that must not leak in: another server, a login, a CA file, a sender.
        let config = TestPaths.temporaryDirectory("mailtui-config")
        try FileManager.default.createDirectory(atPath: config + "/mailtui", withIntermediateDirectories: true)
        TestFiles.write(config + "/mailtui/config.toml", Data("""
        default_profile = "work"
        [profiles.work]
        server = "smtp.example.com"
        user = "app@example.com"
        ca_file = "/nonexistent/ca.pem"
        from = "Work <work@example.com>"
        """.utf8))
        let env = TestPaths.temporaryDirectory("mailtui-env") + "/.env"
        TestFiles.write(env, Data("MAIL_SERVER=127.0.0.1\nMAIL_PORT=\(server.port)\n".utf8))
        let result = try mailtui(["send", "--env-file", env, "--from", "app@example.com", "--to", "b@example.com", "--text", "x"],
                                 environment: ["XDG_CONFIG_HOME": config])
        #expect(result.status == 0, "MAIL_USE_TLS defaults to False, as in Flask-Mail: \(result.out)\(result.err)")
        #expect(!result.out.contains("STARTTLS") && !result.out.contains("AUTH"), "no TLS and no login from the profile")
        #expect(server.messages().first?.envelope.mail_from == "app@example.com")
    }

    @Test func reportsSayWhatHappened() throws {
        let server = try TestSMTPServer(["--mode", "plain", "--reject", "gone@example.com", "--auth", "alice:pw", "--auth-plaintext"])
        defer { server.stop() }
        let base = ["send", "--server", "127.0.0.1", "--port", String(server.port), "--security", "none", "--from", "a@example.com", "--text", "x"]
        let partial = try mailtui(base + ["--to", "b@example.com, gone@example.com", "--allow-partial"])
        #expect(partial.status == 0, "\(partial.err)")
        #expect(partial.out.contains("sent to 1 of 2 recipients"), "\(partial.out)")
        let all = try mailtui(base + ["--to", "b@example.com"])
        #expect(all.out.contains("sent to 1 recipient in"), "\(all.out)")
        let cram = try mailtui(base + ["--to", "b@example.com", "--user", "alice", "--auth", "cram-md5"], environment: ["MAIL_PASSWORD": "pw"])
        #expect(cram.status != 0)
        #expect(cram.out.contains("does not offer the login mechanism chosen (cram-md5)"), "\(cram.out)")
        #expect(!cram.out.contains("rejected the username or password"))
        #expect(!cram.out.contains("-> AUTH"), "no AUTH was sent")
    }

    @Test func controlBytesFromLocalInputNeverReachTheTerminal() throws {
        let evil = "x\u{1B}]0;pwned\u{07}\u{1B}[2J\u{9B}1m\u{202E}"
        let attach = try mailtui(["send", "--dry-run", "--from", "a@example.com", "--to", "b@example.com", "--attach", "/tmp/\(evil)"])
        let header = try mailtui(["send", "--dry-run", "--from", "a@example.com", "--to", "b@example.com", "--header", "X-A\(evil): 1"])
        let server = try TestSMTPServer(["--mode", "plain"])
        defer { server.stop() }
        let state = TestPaths.temporaryDirectory("mailtui-state")
        let environment = ["XDG_STATE_HOME": state]
        _ = try mailtui(["send", "--server", "127.0.0.1", "--port", String(server.port), "--security", "none", "--from", "a@example.com",
                         "--to", "b@example.com", "--subject", "s \(evil)", "--text", "x"], environment: environment)
        let history = try mailtui(["history"], environment: environment)
        let historyJSON = try mailtui(["history", "--json"], environment: environment)
        #expect(history.out.contains("s x^[]0;pwned^G"), "\(history.out)")
        for output in [attach.err, header.err, history.out, historyJSON.out] {
            #expect(!output.unicodeScalars.contains { ($0.value < 32 && $0 != "\n") || (0x7F...0x9F).contains($0.value) || $0 == "\u{202E}" },
                    "\(output.debugDescription)")
        }
    }

    @Test func aFullDiskLeavesTheHistoryWholeAndSaysWhy() throws {
        let server = try TestSMTPServer(["--mode", "plain"])
        defer { server.stop() }
        let state = TestPaths.temporaryDirectory("mailtui-state")
        let arguments = ["send", "--server", "127.0.0.1", "--port", String(server.port), "--security", "none", "--from", "a@example.com",
                         "--to", "b@example.com", "--text", "x"]
        _ = try mailtui(arguments, environment: ["XDG_STATE_HOME": state])
        let file = state + "/mailtui/history.jsonl"
        let before = try Data(contentsOf: URL(fileURLWithPath: file))
        var env = TestPaths.hermeticEnvironment(["XDG_STATE_HOME": state, "NO_COLOR": "1"])
        env["XDG_STATE_HOME"] = state
        let limited = try Program.run("/usr/bin/prlimit", ["--fsize=\(before.count + 100)", TestPaths.mailtui] + arguments, environment: env)
        #expect(limited.status == 0, "the mail went; only the history failed: \(limited.err)")
        #expect(limited.err.contains("history not saved") && limited.err.contains("File too large"), "\(limited.err)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: file)) == before, "no cut line left behind")
    }

    @Test func sendsWithStarttlsAndAuthAndPrintsASafeTranscript() throws {
        let server = try TestSMTPServer(["--mode", "starttls", "--require-starttls", "--auth", "alice:\(Self.password)"])
        defer { server.stop() }
        let result = try mailtui(["send"] + serverArguments(server, security: "starttls") + [
            "--user", "alice", "--password-env", "APP_SMTP_PASSWORD",
            "--from", "a@example.com", "--to", "b@example.com", "--subject", "CLI", "--text", "hello",
        ], environment: ["APP_SMTP_PASSWORD": Self.password])
        #expect(result.status == 0, "\(result.out)\(result.err)")
        #expect(result.out.contains("-> STARTTLS"))
        #expect(result.out.contains("~> AUTH PLAIN [credentials hidden]"))
        #expect(result.out.contains("<~ 250 2.0.0 Ok: queued as TEST001"))
        #expect(result.out.contains("OK  sent to 1 recipient in"))
        let everything = result.out + result.err
        #expect(!everything.contains(Self.password))
        #expect(!everything.contains(Data("\0alice\0\(Self.password)".utf8).base64EncodedString()))
        #expect(!everything.contains("\u{1B}["), "no colour with NO_COLOR or without a terminal")
        #expect(server.messages().count == 1)
    }

    @Test func passwordFromStandardInputAndFromMailPassword() throws {
        let server = try TestSMTPServer(["--mode", "starttls", "--auth", "alice:\(Self.password)"])
        defer { server.stop() }
        let common = ["send"] + serverArguments(server, security: "starttls") + ["--user", "alice", "--from", "a@example.com", "--to", "b@example.com", "--text", "x"]
        let stdin = try mailtui(common + ["--password-stdin"], input: Self.password + "\n")
        #expect(stdin.status == 0, "\(stdin.out)\(stdin.err)")
        let env = try mailtui(common, environment: ["MAIL_PASSWORD": Self.password])
        #expect(env.status == 0, "\(env.out)\(env.err)")
        let command = try mailtui(common + ["--password-cmd", "printf '%s\\n' \(shellQuote(Self.password))"])
        #expect(command.status == 0, "\(command.out)\(command.err)")
        let failingCommand = try mailtui(common + ["--password-cmd", "exit 3"])
        #expect(failingCommand.status == 2)
        #expect(failingCommand.err.contains("the command failed (exit status 3)"))
        let none = try mailtui(common)
        #expect(none.status == 2)
        #expect(none.err.contains("MAIL_PASSWORD"))
        #expect(server.messages().count == 3)
    }

    @Test func eachFailingStageHasItsOwnExitStatus() throws {
        let refused = try mailtui(["send", "--server", "127.0.0.1", "--port", String(unusedPort()), "--security", "none",
                                   "--from", "a@example.com", "--to", "b@example.com", "--text", "x"])
        #expect(refused.status == 3)
        #expect(refused.out.contains("FAILED at connect"))
        #expect(refused.out.contains("try: "))

        let server = try TestSMTPServer(["--mode", "starttls", "--auth", "alice:right", "--reject", "nobody@example.com"])
        defer { server.stop() }
        let auth = try mailtui(["send"] + serverArguments(server, security: "starttls") + ["--user", "alice", "--password-stdin",
                               "--from", "a@example.com", "--to", "b@example.com", "--text", "x"], input: "wrong\n")
        #expect(auth.status == 7)
        #expect(auth.out.contains("FAILED at AUTH"))
        #expect(auth.out.contains("server said: 535"))

        let rcpt = try mailtui(["send"] + serverArguments(server, security: "starttls") + ["--from", "a@example.com", "--to", "nobody@example.com", "--text", "x"])
        #expect(rcpt.status == 9)
        #expect(rcpt.out.contains("nobody@example.com"))

        let plain = try TestSMTPServer(["--mode", "plain"])
        defer { plain.stop() }
        let tls = try mailtui(["send"] + serverArguments(plain, security: "starttls") + ["--from", "a@example.com", "--to", "b@example.com", "--text", "x"])
        #expect(tls.status == 6)
        #expect(tls.out.contains("does not offer STARTTLS"))
    }

    @Test func helpListsTheExitStatuses() throws {
        let help = try mailtui(["send", "--help"])
        #expect(help.status == 0)
        for line in ["0  success", "3  connect failed", "7  AUTH", "9  RCPT TO", "11  timeout", "130  cancelled"] {
            #expect(help.out.contains(line), "missing \(line)")
        }
        for option in ["--server", "--port", "--security", "--insecure", "--ca-file", "--helo", "--user", "--password-env", "--password-cmd",
                       "--password-stdin", "--auth", "--from", "--to", "--cc", "--bcc", "--reply-to", "--subject", "--text", "--text-file",
                       "--html", "--html-file", "--attach", "--header", "--timeout", "--allow-partial", "--dry-run"] {
            #expect(help.out.contains(option), "missing \(option)")
        }
    }
}
