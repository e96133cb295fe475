import Foundation
import Testing
import TestSupport

/// `mailtui relay` as a developer runs it: the real binary between real apps (a Flask-Mail app,
/// smtplib, swaks, curl) and real upstreams (aiosmtpd with STARTTLS and AUTH, `mailtui serve`).
@Suite(.serialized) struct RelayCommandTests {
    static let password = "Right-Pa55word"

    /// The relay in the background, stopped by its PID.
    final class Relay: @unchecked Sendable {
        let process = Process()
        let output = Pipe()
        let errors = Pipe()
        let listening: [String: Any]
        let data = TestPaths.temporaryDirectory("mailtui-data")
        private var pending = Data()
        /// Every event line read so far.
        private(set) var seen: [String] = []

        init(_ arguments: [String], environment: [String: String] = [:], host: Bool = true) throws {
            process.executableURL = URL(fileURLWithPath: TestPaths.mailtui)
            process.arguments = ["relay", "--json", "--listen", "0", "--listen-tls", "0"] + (host ? ["--host", "127.0.0.1"] : []) + arguments
            process.environment = TestPaths.hermeticEnvironment(["XDG_DATA_HOME": data].merging(environment) { $1 })
            process.standardOutput = output
            process.standardError = errors
            try process.run()
            let line = ServeCommandTests.Serve.readLine(output.fileHandleForReading, &pending) ?? ""
            listening = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] ?? [:]
        }

        /// The next JSON event.
        func next() -> [String: Any]? {
            guard let line = ServeCommandTests.Serve.readLine(output.fileHandleForReading, &pending) else { return nil }
            seen.append(line)
            return (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
        }

        /// The next event of this kind (a `session` event may come first).
        func next(_ kind: String) -> [String: Any]? {
            while let event = next() { if event["event"] as? String == kind { return event } }
            return nil
        }

        var port: String { (listening["smtp"] as? String ?? ":").split(separator: ":").last.map(String.init) ?? "" }
        var ca: String { listening["ca"] as? String ?? "" }
        var store: String { listening["store"] as? String ?? "" }

        /// Everything the relay keeps, as text: the inbox's records and messages.
        var storedText: String {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: store)) ?? []
            return files.compactMap { FileManager.default.contents(atPath: store + "/" + $0) }.map { String(decoding: $0, as: UTF8.self) }.joined()
        }

        /// Stops it; what it said on standard error.
        func stop() -> String {
            if process.isRunning {
                kill(process.processIdentifier, SIGTERM)
                if !Wait.until(timeout: 60, { !process.isRunning }) { kill(process.processIdentifier, SIGKILL) }
            }
            process.waitUntilExit()
            return String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        }

        deinit { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
    }

    /// The relay's arguments for an aiosmtpd (or fault server) upstream speaking STARTTLS.
    static func to(_ upstream: TestSMTPServer, _ more: [String] = []) -> [String] {
        ["--server", "127.0.0.1", "--port", String(upstream.port), "--security", "starttls", "--ca-file", TestCertificates.path("ca.pem")] + more
    }

    /// A Flask app with Flask-Mail that sends one password-reset mail through the relay over
    /// STARTTLS with a login; prints `sent`, or the exception smtplib raised.
    static let flaskApp = """
    import sys
    from flask import Flask
    from flask_mail import Mail, Message
    app = Flask(__name__)
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=int(sys.argv[1]), MAIL_USE_TLS=True, MAIL_USE_SSL=False,
                      MAIL_USERNAME="alice", MAIL_PASSWORD=sys.argv[2], MAIL_DEFAULT_SENDER="App <noreply@example.com>")
    mail = Mail(app)
    with app.app_context():
        try:
            mail.send(Message("Reset your password", recipients=["ada@example.org"], body="Your link: https://example.com/r/1"))
            print("sent")
        except Exception as e:
            print(type(e).__name__, getattr(e, "smtp_code", ""), getattr(e, "smtp_error", b"").decode())
    """

    static func runFlask(port: String, password: String) throws -> String {
        let path = TestPaths.temporaryDirectory("mailtui-flask") + "/app.py"
        try Data(flaskApp.utf8).write(to: URL(fileURLWithPath: path))
        let result = try Program.run("/usr/bin/env", ["python3", path, port, password])
        return result.out.trimmingCharacters(in: .whitespacesAndNewlines) + result.err
    }

    @Test func flaskMailSeesTheProviders535WordForWordAndAGoodPasswordDelivers() throws {
        let upstream = try TestSMTPServer(["--mode", "starttls", "--auth", "alice:" + Self.password])
        let relay = try Relay(Self.to(upstream))
        #expect(relay.listening["event"] as? String == "listening")
        #expect(relay.listening["upstream"] as? String == "127.0.0.1:\(upstream.port)")

        // aiosmtpd's own words for a refused login, as smtplib raised them in the app.
        #expect(try Self.runFlask(port: relay.port, password: "wrong-" + Self.password) == "SMTPAuthenticationError 535 5.7.8 Authentication credentials invalid")
        #expect(upstream.messages().isEmpty)
        // The failed attempt is stored (no message was sent), and told with its id and the diagnosis.
        let refusal = try #require(relay.next("relayed"))
        #expect(refusal["id"] is String)
        let refused = try #require(refusal["upstream"] as? [String: Any])
        #expect(refused["stage"] as? String == "auth" && refused["delivered"] as? Bool == false)
        #expect(refused["reply"] as? String == "535 5.7.8 Authentication credentials invalid")
        #expect((refused["diagnosis"] as? String)?.isEmpty == false)

        #expect(try Self.runFlask(port: relay.port, password: Self.password) == "sent")
        let stored = try #require(upstream.messages().first, "the provider stored it")
        #expect(stored.text.contains("Subject: Reset your password") && stored.text.contains("https://example.com/r/1"))
        #expect(stored.envelope.authenticated && stored.envelope.rcpt_tos == ["ada@example.org"])

        // smtplib tried each mechanism with the wrong password: each refusal is an attempt of its own.
        var message = try #require(relay.next("message"))
        while (message["subject"] as? String)?.hasPrefix("[not sent]") == true { message = try #require(relay.next("message")) }
        let relayed = try #require(relay.next())
        #expect(relayed["event"] as? String == "relayed" && relayed["id"] as? String == message["id"] as? String)
        let leg = try #require(relayed["upstream"] as? [String: Any])
        #expect(leg["server"] as? String == "127.0.0.1:\(upstream.port)")
        #expect(leg["reply"] as? String == "250 2.0.0 Ok: queued as TEST001")
        #expect(leg["stage"] as? String == "quit" && leg["delivered"] as? Bool == true)

        // Both legs in the record: the app's session as serve keeps it, and mailtui's with the provider.
        let recordPath = (message["path"] as? String ?? "").replacingOccurrences(of: ".eml", with: ".json")
        let record = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: recordPath))) as? [String: Any])
        let appLeg = (record["transcript"] as? [[String: Any]] ?? []).compactMap { $0["text"] as? String }
        let upstreamLeg = ((record["relayed"] as? [String: Any])?["transcript"] as? [[String: Any]] ?? []).compactMap { $0["text"] as? String }
        #expect(appLeg.contains { $0.uppercased().hasPrefix("MAIL FROM:<NOREPLY@EXAMPLE.COM>") }, "smtplib says `mail FROM:`: \(appLeg)")
        #expect(upstreamLeg.contains("STARTTLS") && upstreamLeg.contains { $0.hasPrefix("MAIL FROM:<noreply@example.com>") })
        #expect(upstreamLeg.contains { $0.hasPrefix("AUTH") && $0.contains("[credentials hidden]") }, "\(upstreamLeg)")

        let errors = relay.stop()
        #expect(errors.contains("Relaying for real to 127.0.0.1:\(upstream.port) (STARTTLS) as whoever the app logs in as"))
        for text in [relay.storedText, errors, relay.seen.joined()] {
            #expect(!text.contains(Self.password))
            #expect(!text.contains(Data("\0alice\0\(Self.password)".utf8).base64EncodedString()))
            #expect(!text.contains(Data(Self.password.utf8).base64EncodedString()))
        }
    }

    @Test func aRecipientRefusedUpstreamReachesSmtplibAsThatRefusal() throws {
        let upstream = try TestSMTPServer(["--mode", "starttls", "--reject", "nobody@example.com"])
        let relay = try Relay(Self.to(upstream))
        defer { _ = relay.stop() }
        let script = """
        import smtplib, sys
        s = smtplib.SMTP("127.0.0.1", int(sys.argv[1]))
        refused = s.sendmail("app@example.com", ["nobody@example.com", "ada@example.org"], "Subject: hi\\r\\n\\r\\nbody\\r\\n")
        print(refused["nobody@example.com"][0], refused["nobody@example.com"][1].decode())
        s.quit()
        """
        let result = try Program.run("/usr/bin/env", ["python3", "-c", script, relay.port])
        #expect(result.out.trimmingCharacters(in: .whitespacesAndNewlines) == "550 5.1.1 <nobody@example.com>: Recipient address rejected: User unknown", "\(result.err)")
        #expect(upstream.messages().first?.envelope.rcpt_tos == ["ada@example.org"])
    }

    /// The failure a developer chases: the app's attempt, refused before DATA, is in the store with
    /// the envelope so far, both legs and the provider's words.
    @Test func aTransactionRefusedBeforeDataIsStoredWithBothLegs() throws {
        let upstream = try TestSMTPServer(["--mode", "starttls", "--reject", "nobody@example.com"])
        let relay = try Relay(Self.to(upstream))
        defer { _ = relay.stop() }
        let script = """
        import smtplib, sys
        s = smtplib.SMTP("127.0.0.1", int(sys.argv[1]))
        try:
            s.sendmail("app@example.com", ["nobody@example.com"], "Subject: reset\\r\\n\\r\\nYour link\\r\\n")
        except smtplib.SMTPRecipientsRefused as e:
            code, words = e.recipients["nobody@example.com"]
            print(code, words.decode())
        s.quit()
        """
        let words = "550 5.1.1 <nobody@example.com>: Recipient address rejected: User unknown"
        let result = try Program.run("/usr/bin/env", ["python3", "-c", script, relay.port])
        #expect(result.out.trimmingCharacters(in: .whitespacesAndNewlines) == words, "\(result.err)")
        #expect(upstream.messages().isEmpty)

        let message = try #require(relay.next("message"))
        let relayed = try #require(relay.next())
        #expect(relayed["event"] as? String == "relayed" && relayed["id"] as? String == message["id"] as? String)
        let leg = try #require(relayed["upstream"] as? [String: Any])
        #expect(leg["stage"] as? String == "rcpt" && leg["reply"] as? String == words && leg["delivered"] as? Bool == false)
        #expect((leg["diagnosis"] as? String)?.isEmpty == false)
        #expect((message["subject"] as? String)?.hasPrefix("[not sent] 127.0.0.1:\(upstream.port) refused RCPT TO: 550 5.1.1") == true, "\(message)")

        let path = try #require(message["path"] as? String)
        #expect(try String(contentsOfFile: path, encoding: .utf8).contains(words), "the .eml is mailtui's note, naming the refusal")
        let record = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path.replacingOccurrences(of: ".eml", with: ".json")))) as? [String: Any])
        #expect(record["from"] as? String == "app@example.com")
        #expect((record["recipients"] as? [[String: Any]])?.compactMap { $0["address"] as? String } == ["nobody@example.com"])
        let appLeg = (record["transcript"] as? [[String: Any]] ?? []).compactMap { $0["text"] as? String }
        let stored = try #require(record["relayed"] as? [String: Any])
        let upstreamLeg = (stored["transcript"] as? [[String: Any]] ?? []).compactMap { $0["text"] as? String }
        #expect(stored["reply"] as? String == words && stored["stage"] as? String == "rcpt")
        #expect(appLeg.contains { $0.uppercased() == "RCPT TO:<NOBODY@EXAMPLE.COM>" } && appLeg.contains(words), "\(appLeg)")
        #expect(upstreamLeg.contains("RCPT TO:<nobody@example.com>") && upstreamLeg.contains(words), "\(upstreamLeg)")
    }

    @Test func aFaultStrikesBeforeTheUpstreamIsAsked() throws {
        let upstream = try TestSMTPServer.faulty([])
        let relay = try Relay(Self.to(upstream, ["--fault", "rcpt=550 5.1.1 Invented by mailtui"]))
        defer { _ = relay.stop() }
        let result = try Program.run("/usr/bin/swaks", ["--server", "127.0.0.1", "--port", relay.port, "--from", "app@example.com",
                                                        "--to", "ada@example.org", "--body", "x"])
        #expect(result.status != 0)
        #expect(result.out.contains("550 5.1.1 Invented by mailtui"), "\(result.out)")
        #expect(upstream.commandLog.contains("MAIL FROM"), "MAIL was relayed")
        #expect(!upstream.commandLog.contains("RCPT"), "the fault answered RCPT; the upstream was never asked: \(upstream.commandLog)")
    }

    @Test func anUpstreamThatHangsGivesCurlA4xxWithinTheLimit() throws {
        let upstream = try TestSMTPServer.faulty(["--hang", "data"])
        let relay = try Relay(Self.to(upstream, ["--timeout", "2"]))
        defer { _ = relay.stop() }
        let file = TestPaths.temporaryDirectory("mailtui-curl") + "/m.eml"
        try Data("Subject: hang\r\n\r\nbody\r\n".utf8).write(to: URL(fileURLWithPath: file))
        let start = Date()
        let result = try Program.run("/usr/bin/curl", ["-sv", "--max-time", "120", "smtp://127.0.0.1:\(relay.port)", "--mail-from", "app@example.com",
                                                       "--mail-rcpt", "ada@example.org", "--upload-file", file])
        #expect(Date().timeIntervalSince(start) < 60, "bounded by the 2 s reply limit, with room for a busy machine")
        #expect(result.status != 0)
        #expect(result.err.contains("< 451 4.4.1 mailtui relay: 127.0.0.1:\(upstream.port) failed at DATA"), "\(result.err)")
        // The app never sent the message: its attempt is stored, and the event says why.
        let told = try #require(relay.next("relayed"))
        let leg = try #require(told["upstream"] as? [String: Any])
        #expect(told["id"] is String && leg["stage"] as? String == "data" && leg["delivered"] as? Bool == false)
        #expect((leg["diagnosis"] as? String)?.isEmpty == false, "\(leg)")
    }

    @Test func itListensOnLoopbackAndBeyondOnlyWhereEachAppMustLogInUpstream() throws {
        let relay = try Relay(["--server", "127.0.0.1", "--port", "1", "--security", "none"], host: false)
        let addresses = relay.listening["addresses"] as? [String] ?? []
        #expect(!addresses.isEmpty && addresses.allSatisfy { $0.hasPrefix("127.0.0.1:") || $0.hasPrefix("[::1]:") }, "\(addresses)")
        _ = relay.stop()
        // mailtui's own login beyond loopback would let anyone send as that user: refused before listening.
        let refused = try Program.run(TestPaths.mailtui, ["relay", "--server", "127.0.0.1", "--port", "1", "--user", "me", "--password-env", "P",
                                                          "--host", "0.0.0.0", "--listen", "0", "--listen-tls", "off"],
                                      environment: TestPaths.hermeticEnvironment(["P": "pw"]))
        #expect(refused.status != 0 && refused.err.contains("only in pass-through mode"), "\(refused.err)")
    }

    @Test func mailtuiServeAsTheUpstreamWithSwaksLoggingInThroughIt() throws {
        let serve = try ServeCommandTests.Serve(["--user", "dave:" + Self.password])
        defer { _ = serve.stop() }
        let relay = try Relay(["--server", "127.0.0.1", "--port", serve.port, "--security", "starttls", "--ca-file", serve.ca])
        let result = try Program.run("/usr/bin/swaks", ["--server", "127.0.0.1", "--port", relay.port, "--tls", "--tls-ca-path", relay.ca,
                                                        "--auth", "PLAIN", "--auth-user", "dave", "--auth-password", Self.password,
                                                        "--from", "swaks@example.com", "--to", "r@example.com", "--body", "through the relay"])
        #expect(result.status == 0, "\(result.out)")
        let upstreamMessage = try #require(serve.next("message"))
        #expect(upstreamMessage["authUser"] as? String == "dave", "the login was replayed upstream")
        #expect(try String(contentsOfFile: upstreamMessage["path"] as? String ?? "", encoding: .utf8).contains("through the relay"))
        _ = try #require(relay.next("message"))
        let relayed = try #require(relay.next())
        #expect((relayed["upstream"] as? [String: Any])?["delivered"] as? Bool == true)
        _ = relay.stop()
        #expect(!relay.storedText.contains(Self.password))
    }
}

extension ServeCommandTests.Serve {
    /// The next event of this kind.
    func next(_ kind: String) -> [String: Any]? {
        while let event = next() { if event["event"] as? String == kind { return event } }
        return nil
    }
}
