import Foundation
import Synchronization
import Testing
import MailCore
@testable import MailServer
import TestSupport

/// Real clients against the capture server: the bytes it stores are the bytes sent.
@Suite struct CaptureTests {
    @Test(arguments: [SecurityMode.none, .starttls, .tls])
    func mailtuiSendsAndTheServerStoresWhatWasSent(_ security: SecurityMode) throws {
        let harness = try ServerHarness()
        let message = try MessageDraft(from: "a@example.com", to: "b@example.com, c@example.com", subject: "Grüße", textBody: "Hallo\n.dot line\n").validated()
        let rendered = try MessageRenderer(options: .deterministic).render(message).readAll()
        CurlRuntime.initialize()
        // In the clear, this server offers no AUTH (and mailtui would refuse to send without it).
        let user: String? = security == .none ? nil : "alice"
        let report = SMTPSession().run(SessionRequest(settings: harness.settings(security, user: user), secret: user.map { _ in Secret("pw") },
                                                      purpose: .send(envelopeFrom: "a@example.com", recipients: message.envelopeRecipients,
                                                                     message: MessageRenderer(options: .deterministic).render(message)))) { _ in }
        #expect(report.succeeded, "\(report.failure?.description ?? "")")
        let stored = try #require(harness.stored.first)
        #expect(harness.storedBytes(stored) == Data(rendered), "exactly the bytes sent, dot-unstuffed")
        #expect(stored.from == "a@example.com")
        #expect(stored.recipients.map(\.address) == ["b@example.com", "c@example.com"])
        #expect(stored.recipients.first?.parameters == [])
        #expect(stored.fromParameters.contains { $0.hasPrefix("SIZE=") })
        #expect(stored.authUser == (security == .none ? nil : "alice"), "AUTH is offered only inside TLS")
        #expect(stored.tls == (security == .none ? nil : "TLSv1.3"))
        #expect(security == .none ? stored.cipher == nil : stored.cipher?.hasPrefix("TLS_") == true)
        #expect(stored.helo == "client.test.invalid")
        #expect(!stored.transcript.map(\.tagged).joined().contains("pw") || security == .none)
        #expect(stored.transcript.contains { $0.tagged.contains("[credentials hidden]") } || security == .none)
        // The server's lines say what the client's say: the stage, and whether inside TLS.
        #expect(stored.transcript.first { $0.text.hasPrefix("RCPT TO") }?.stage == .rcpt)
        #expect(stored.transcript.first { $0.text == "STARTTLS" }?.inTLS != true)
        #expect(stored.transcript.last?.inTLS == (security != .none), "\(stored.transcript.map(\.tagged))")
        #expect(stored.transcript.map(\.elapsed) == stored.transcript.map(\.elapsed).sorted())
    }

    @Test func loginsAreCheckedWhenUsersAreGiven() throws {
        let harness = try ServerHarness { $0.users = ["alice": "right"] }
        for mechanism in [AuthMechanism.plain, .login, .cramMD5, .xoauth2] {
            CurlRuntime.initialize()
            var settings = harness.settings(.starttls, user: "alice")
            settings.authMechanism = mechanism
            let message = try MessageDraft(from: "a@example.com", to: "b@example.com", textBody: "x").validated()
            let good = SMTPSession().run(.send(message, settings: settings, secret: Secret("right"))) { _ in }
            #expect(good.succeeded, "\(mechanism): \(good.failure?.description ?? "")")
            let bad = SMTPSession().run(.send(message, settings: settings, secret: Secret("wrong"))) { _ in }
            #expect(bad.failure?.kind == .authFailed, "\(mechanism)")
        }
        #expect(harness.stored.count == 4)
        #expect(harness.stored.allSatisfy { $0.authUser == "alice" })
    }

    @Test func curlWithTheCAItPrintsOverStarttlsAndImplicitTLS() throws {
        let harness = try ServerHarness()
        let file = TestPaths.temporaryDirectory("mailtui-curl") + "/m.eml"
        let body = "From: x@example.com\r\nTo: y@example.com\r\nSubject: curl\r\n\r\nline one\r\n.leading dot\r\n"
        try Data(body.utf8).write(to: URL(fileURLWithPath: file))
        for url in ["smtp://127.0.0.1:\(harness.port)", "smtps://127.0.0.1:\(harness.tlsPort)"] {
            let result = try Program.run("/usr/bin/curl", ["-sS", "--ssl-reqd", "--cacert", harness.certificates.caPath, url, "--mail-from", "x@example.com",
                                                           "--mail-rcpt", "y@example.com", "-u", "bob:secret", "-T", file])
            #expect(result.status == 0, "\(url): \(result.err)")
        }
        #expect(harness.stored.count == 2)
        for message in harness.stored {
            #expect(String(decoding: harness.storedBytes(message), as: UTF8.self) == body)
            #expect(message.authUser == "bob")
        }
    }

    @Test func pythonsSmtplibWithStarttlsAndLogin() throws {
        let harness = try ServerHarness()
        let script = """
        import smtplib, ssl, sys
        from email.message import EmailMessage
        m = EmailMessage(); m["From"] = "p@example.com"; m["To"] = "q@example.com"; m["Subject"] = "smtplib"; m.set_content("hi from python")
        ctx = ssl.create_default_context(cafile=sys.argv[2])
        with smtplib.SMTP("127.0.0.1", int(sys.argv[1]), timeout=10) as s:
            s.starttls(context=ctx); s.login("carol", "pw"); s.send_message(m)
        """
        let path = TestPaths.temporaryDirectory("mailtui-py") + "/send.py"
        try Data(script.utf8).write(to: URL(fileURLWithPath: path))
        let result = try Program.run("/usr/bin/env", ["python3", path, String(harness.port), harness.certificates.caPath])
        #expect(result.status == 0, "\(result.err)")
        let stored = try #require(harness.stored.first)
        #expect(stored.authUser == "carol" && stored.tls == "TLSv1.3")
        #expect(String(decoding: harness.storedBytes(stored), as: UTF8.self).contains("hi from python"))
    }

    /// The cipher the record names is the one the client says it uses (Python's ssl reports
    /// OpenSSL's name, which for TLS 1.2 differs from the IANA name: the script maps it).
    @Test(arguments: ["TLSv1_3", "TLSv1_2"])
    func theRecordNamesTheCipherTheClientUsed(_ maximum: String) throws {
        let harness = try ServerHarness()
        let script = """
        import smtplib, ssl, sys
        ctx = ssl.create_default_context(cafile=sys.argv[2])
        ctx.maximum_version = ssl.TLSVersion.\(maximum)
        with smtplib.SMTP_SSL("127.0.0.1", int(sys.argv[1]), context=ctx, timeout=10) as s:
            s.sendmail("p@example.com", ["q@example.com"], "Subject: c\\r\\n\\r\\nx\\r\\n")
            name, version, _ = s.sock.cipher()
        kx, _, rest = name.partition("-")
        if version == "TLSv1.2":
            auth, _, rest = rest.partition("-")
            cipher = rest.replace("AES128", "AES_128").replace("AES256", "AES_256").replace("CHACHA20-POLY1305", "CHACHA20_POLY1305").replace("-", "_")
            name = "TLS_%s_%s_WITH_%s" % (kx, auth, cipher)
        print(version, name)
        """
        let path = TestPaths.temporaryDirectory("mailtui-py") + "/cipher.py"
        try Data(script.utf8).write(to: URL(fileURLWithPath: path))
        let result = try Program.run("/usr/bin/env", ["python3", path, String(harness.tlsPort), harness.certificates.caPath])
        #expect(result.status == 0, "\(result.err)")
        let stored = try #require(harness.stored.first)
        let said = result.out.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: " ").map(String.init)
        #expect(said.count == 2 && said[0] == stored.tls && said[1] == stored.cipher, "client: \(result.out), record: \(stored.tls ?? "-") \(stored.cipher ?? "-")")
    }

    @Test func theCipherIsReadFromAServerHelloAndNothingElse() {
        // A TLS 1.2 ServerHello: record header, handshake header, version, random, a 32-byte
        // session id, then the suite.
        let hello: [UInt8] = [22, 3, 3, 0, 80, 2, 0, 0, 76, 3, 3] + Array(repeating: 7, count: 32) + [32] + Array(repeating: 9, count: 32) + [0xC0, 0x2F, 0]
        #expect(CipherSniffer.cipherSuite(inServerHello: hello) == 0xC02F)
        #expect(CipherSniffer.name(0xC02F) == "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")
        #expect(CipherSniffer.name(0x00FF) == "0x00FF")
        #expect(CipherSniffer.cipherSuite(inServerHello: Array(hello.prefix(60))) == nil, "cut short")
        #expect(CipherSniffer.cipherSuite(inServerHello: [23] + hello.dropFirst()) == nil, "not a handshake record")
        var fuzz = Fuzz(seed: 0xC1F)
        for _ in 0..<2000 { _ = CipherSniffer.cipherSuite(inServerHello: fuzz.bytes(count: Int.random(in: 0...120, using: &fuzz))) }
    }

    @Test func theNewestAreKept() throws {
        let harness = try ServerHarness { $0.keep = 3 }
        for n in 1...5 { #expect(try harness.send(.none, text: "n\(n)").succeeded) }
        let kept = harness.stored
        #expect(kept.count == 3)
        #expect(String(decoding: harness.storedBytes(kept[0]), as: UTF8.self).contains("n5"))
        let files = try FileManager.default.contentsOfDirectory(atPath: harness.server.store.directory)
        #expect(files.filter { $0.hasSuffix(".eml") }.count == 3)
    }

    /// Expired messages' files are written into again (see MessageStore): each kept message must
    /// still be exactly the bytes sent, whether the file it took held a longer message or a
    /// shorter one, and nothing hidden may outlive the server.
    @Test func filesOfExpiredMessagesAreReusedWithoutATraceOfWhatTheyHeld() throws {
        let harness = try ServerHarness { $0.keep = 2 }
        let client = try RawClient(port: harness.port)
        #expect(client.reply()?.hasPrefix("220") == true)
        #expect(client.command("EHLO reuse.example").hasPrefix("250"))
        // Long, short, long, empty, short…: each lands in a file another message had.
        let bodies = [String(repeating: "long line of text\r\n", count: 400), "short\r\n", String(repeating: "x", count: 900) + "\r\n",
                      "", "tiny\r\n", String(repeating: "medium\r\n", count: 30), "end\r\n"]
        for (n, body) in bodies.enumerated() {
            #expect(client.command("MAIL FROM:<a@example.com>") == "250")
            #expect(client.command("RCPT TO:<b@example.com>") == "250")
            #expect(client.command("DATA") == "354")
            #expect(client.command("Subject: m\(n)\r\n\r\n\(body).") == "250")
            let expected = "Subject: m\(n)\r\n\r\n\(body)"
            let newest = try #require(harness.stored.first)
            #expect(newest.subject == "m\(n)")
            #expect(String(decoding: harness.storedBytes(newest), as: UTF8.self) == expected)
        }
        #expect(harness.stored.map(\.subject) == ["m6", "m5"])
        let directory = harness.server.store.directory
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).contains { $0.contains("spare") })
        harness.server.stop()
        // The two messages' files, beside the index.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).filter { !$0.hasPrefix(MessageIndex.fileName) }.count == 4)
    }

    @Test func pipelinedCommandsAreAnsweredInOrder() throws {
        let harness = try ServerHarness()
        let client = try RawClient(port: harness.port)
        #expect(client.reply()?.hasPrefix("220") == true)
        #expect(client.command("EHLO pipe.example").hasPrefix("250"))
        client.send("MAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.com>\r\nRCPT TO:<c@example.com>\r\nDATA\r\n")
        #expect(client.reply()?.hasPrefix("250 2.1.0") == true)
        #expect(client.reply()?.hasPrefix("250 2.1.5") == true)
        #expect(client.reply()?.hasPrefix("250 2.1.5") == true)
        #expect(client.reply()?.hasPrefix("354") == true)
        client.send("Subject: p\r\n\r\n..dot\r\n.\r\nQUIT\r\n")
        #expect(client.reply()?.hasPrefix("250 2.0.0 Ok: queued") == true)
        #expect(client.reply()?.hasPrefix("221") == true)
        #expect(String(decoding: harness.storedBytes(try #require(harness.stored.first)), as: UTF8.self) == "Subject: p\r\n\r\n.dot\r\n")
    }

    /// mailtui's own client asks for delivery notifications; the server records what it asked.
    @Test func mailtuiAsksForDeliveryNotifications() throws {
        let harness = try ServerHarness()
        CurlRuntime.initialize()
        let message = try MessageDraft(from: "a@example.com", to: "b@example.com, c@example.com", textBody: "x").validated()
        var request = SessionRequest.send(message, settings: harness.settings(.starttls), secret: nil)
        request.notifications = DeliveryNotifications(notify: ["success", "failure"], ret: .hdrs, envelopeID: "order+42=ü")
        let report = SMTPSession().run(request) { _ in }
        #expect(report.succeeded, "\(report.failure?.description ?? "")")
        let stored = try #require(harness.stored.first)
        #expect(stored.fromParameters.contains("RET=HDRS"))
        #expect(stored.fromParameters.contains("ENVID=order+2B42+3D+C3+BC"), "xtext: \(stored.fromParameters)")
        #expect(stored.recipients.map(\.parameters) == [["NOTIFY=SUCCESS,FAILURE"], ["NOTIFY=SUCCESS,FAILURE"]])
    }

    /// A load run: many messages over one connection, each numbered, each its own Message-ID; a
    /// refused one is reported with its stage and reply, and the run goes on.
    @Test func aLoadRunSendsManyMessagesOverOneConnection() throws {
        let harness = try ServerHarness(faults: [Fault(stage: .data, occurrence: 3, action: .reply(code: 554, text: "5.7.1 Third one refused"))])
        CurlRuntime.initialize()
        let draft = MessageDraft(from: "a@example.com", to: "b@example.com", subject: "load {n}", textBody: "number {n}")
        let first = try draft.validated()
        var request = SessionRequest.send(first, settings: harness.settings(.starttls), secret: nil)
        request.load = LoadPlan(count: 6, transcript: .failures) { n in
            var d = draft
            d.subject = d.subject.replacing("{n}", with: String(n))
            d.textBody = d.textBody.replacing("{n}", with: String(n))
            return MessageRenderer().render(try! d.validated())
        }
        let outcomes = Mutex<[LoadOutcome]>([])
        let report = SMTPSession().run(request) { event in
            if case .loadOutcome(let outcome) = event { outcomes.withLock { $0.append(outcome) } }
        }
        #expect(report.succeeded, "\(report.failure?.description ?? "")")
        let all = outcomes.withLock { $0 }
        #expect(all.map(\.number) == [1, 2, 3, 4, 5, 6])
        #expect(all.filter(\.delivered).count == 5)
        #expect(all[2].failedStage == .data && all[2].code == 554 && all[2].example?.contains("Third one refused") == true)
        let sessions = harness.events.all.filter { if case .session = $0 { true } else { false } }
        #expect(sessions.count <= 1, "one connection")
        let stored = harness.stored
        #expect(Set(stored.compactMap(\.subject)) == ["load 1", "load 2", "load 4", "load 5", "load 6"])
        let ids = stored.map { String(decoding: harness.storedBytes($0), as: UTF8.self).split(separator: "\r\n").first { $0.hasPrefix("Message-ID:") } }
        #expect(Set(ids).count == 5, "each message its own Message-ID")
        // Only the refused message's lines are kept (besides the connect and the QUIT).
        #expect(report.transcript.filter { $0.text.hasPrefix("MAIL FROM") }.count == 1)
    }

    /// A load run pipelines each message's MAIL, RCPT and DATA with the previous one's end of
    /// data. A recipient refused in such a group (the 554 to DATA follows from it) is reported at
    /// RCPT; after the RSET the next message sends its own group, and the run goes on.
    @Test func aRecipientRefusedInAGroupSentAheadIsReportedAndTheRunGoesOn() throws {
        let harness = try ServerHarness(faults: [Fault(stage: .rcpt, occurrence: 3, action: .reply(code: 550, text: "5.1.1 No such user")),
                                                 Fault(stage: .data, occurrence: 5, action: .reply(code: 451, text: "4.3.0 Try again"))])
        CurlRuntime.initialize()
        let draft = MessageDraft(from: "a@example.com", to: "b@example.com", subject: "ahead {n}", textBody: "number {n}")
        var request = SessionRequest.send(try draft.validated(), settings: harness.settings(.none), secret: nil)
        request.load = LoadPlan(count: 8, transcript: .failures, message: LoadPlan.numbered(try draft.validated()))
        let outcomes = Mutex<[LoadOutcome]>([])
        let report = SMTPSession().run(request) { event in
            if case .loadOutcome(let outcome) = event { outcomes.withLock { $0.append(outcome) } }
        }
        #expect(report.succeeded, "\(report.failure?.description ?? "")")
        let all = outcomes.withLock { $0 }
        #expect(all.map(\.number) == Array(1...8))
        #expect(all[2].failedStage == .rcpt && all[2].code == 550 && all[2].example?.contains("No such user") == true)
        // The fifth end of data is the sixth message's: the third never got that far.
        #expect(all[5].failedStage == .data && all[5].code == 451 && all[5].example?.contains("Try again") == true)
        #expect(all.filter(\.delivered).map(\.number) == [1, 2, 4, 5, 7, 8])
        #expect(Set(harness.stored.compactMap(\.subject)) == ["ahead 1", "ahead 2", "ahead 4", "ahead 5", "ahead 7", "ahead 8"])
        let sessions = harness.events.all.filter { if case .session = $0 { true } else { false } }
        #expect(sessions.count <= 1, "one connection")
    }

    /// RFC 6531/6532: an address that is not ASCII goes with SMTPUTF8, in the envelope and, raw
    /// UTF-8, in the header.
    @Test func anInternationalisedAddressGoesWithSmtputf8() throws {
        let harness = try ServerHarness()
        CurlRuntime.initialize()
        let message = try MessageDraft(from: "Jörg <jörg@exämple.org>", to: "用户@例子.广告", subject: "Grüße", textBody: "x").validated()
        #expect(message.needsSMTPUTF8)
        let report = SMTPSession().run(.send(message, settings: harness.settings(.starttls), secret: nil)) { _ in }
        #expect(report.succeeded, "\(report.failure?.description ?? "")")
        let stored = try #require(harness.stored.first)
        #expect(stored.from == "jörg@exämple.org" && stored.recipients.map(\.address) == ["用户@例子.广告"])
        #expect(stored.fromParameters.contains("SMTPUTF8"))
        let text = String(decoding: harness.storedBytes(stored), as: UTF8.self)
        #expect(text.contains("<jörg@exämple.org>") && text.contains("To: 用户@例子.广告"), "\(text)")
    }

    @Test func dsnParametersAreRecorded() throws {
        let harness = try ServerHarness()
        let client = try RawClient(port: harness.port)
        _ = client.reply()
        #expect(client.command("EHLO x").hasPrefix("250"))
        #expect(client.command("MAIL FROM:<a@example.com> RET=HDRS ENVID=abc123") == "250")
        #expect(client.command("RCPT TO:<b@example.com> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;b@example.com") == "250")
        #expect(client.command("DATA") == "354")
        #expect(client.command("Subject: dsn\r\n\r\nx\r\n.") == "250")
        let stored = try #require(harness.stored.first)
        #expect(stored.fromParameters == ["RET=HDRS", "ENVID=abc123"])
        #expect(stored.recipients.first?.parameters == ["NOTIFY=SUCCESS,FAILURE", "ORCPT=rfc822;b@example.com"])
    }
}
