import Foundation
import Testing
@testable import MailCore
@testable import MailClient
import TestSupport

/// The mail transaction mailtui speaks itself after libcurl's login: checked against what the
/// fault server logged it received.
@Suite struct EngineTests {
    init() { CurlRuntime.initialize() }

    func send(_ server: TestSMTPServer, to: String, allowPartial: Bool = false, quitAfter: SMTPStage? = nil) throws -> SessionReport {
        var settings = server.settings(.starttls)
        settings.timeouts = Timeouts(connect: 10, response: 10, total: 60)
        let message = try MessageDraft(from: "app@example.com", to: to, textBody: "hello\n.dot line\n").validated()
        return SMTPSession().run(.send(message, settings: settings, secret: nil, allowPartial: allowPartial, quitAfter: quitAfter)) { _ in }
    }

    func log(_ server: TestSMTPServer) -> [String] {
        server.commandLog.split(separator: "\n").map { String($0).replacing("TLS ", with: "") }
    }

    @Test func pipelinedCommandsGoInOneWriteAndTheTranscriptPairsThem() throws {
        let server = try TestSMTPServer.faulty(["--mark-batched"])
        defer { server.stop() }
        let report = try send(server, to: "a@example.org, b@example.org")
        #expect(report.succeeded, "\(report.failure?.description ?? "")")
        let after = log(server).drop { !$0.hasPrefix("MAIL") }
        #expect(Array(after.prefix(4)) == ["MAIL FROM:<app@example.com> SIZE=\(report.messageBytes) [batched]", "RCPT TO:<a@example.org> [batched]",
                                           "RCPT TO:<b@example.org> [batched]", "DATA"], "MAIL, RCPT, RCPT, DATA arrived together: \(after)")
        // Read back in order: each command right before its reply.
        let lines = report.transcript.map(\.text)
        guard let mail = lines.firstIndex(where: { $0.hasPrefix("MAIL FROM") }) else { Issue.record("no MAIL"); return }
        #expect(Array(lines[mail..<(mail + 8)]) == ["MAIL FROM:<app@example.com> SIZE=\(report.messageBytes)", "250 2.1.0 Ok",
                                                    "RCPT TO:<a@example.org>", "250 2.1.5 Ok", "RCPT TO:<b@example.org>", "250 2.1.5 Ok",
                                                    "DATA", "354 End data with <CR><LF>.<CR><LF>"])
        #expect(report.acceptedRecipients == ["a@example.org", "b@example.org"])
    }

    @Test func eachRecipientHasItsOwnResult() throws {
        let server = try TestSMTPServer.faulty(["--rcpt", "b@example.org", "550 5.1.1 No such user", "--rcpt", "c@example.org", "452 4.2.2 Mailbox full"])
        defer { server.stop() }
        let partial = try send(server, to: "a@example.org, b@example.org, c@example.org", allowPartial: true)
        #expect(partial.succeeded, "\(partial.failure?.description ?? "")")
        #expect(partial.acceptedRecipients == ["a@example.org"])
        #expect(partial.rejectedRecipients.map(\.address) == ["b@example.org", "c@example.org"])
        #expect(partial.rejectedRecipients.map(\.reply.code) == [550, 452])
        #expect(log(server).contains("DATA"))
        // Without --allow-partial nothing is delivered, and the first refusal is the diagnosis.
        let strict = try send(server, to: "a@example.org, b@example.org, c@example.org")
        #expect(strict.failure?.stage == .rcpt && strict.failure?.kind == .recipientRejected)
        #expect(strict.failure?.reply?.code == 550)
        // DATA went in the pipelined group and was accepted: the connection is closed before any
        // of the message, so nothing is delivered.
        #expect(strict.transcript.contains { $0.text == "closing the connection: DATA was accepted, but the message must not be sent" })
        #expect(!strict.transcript.contains { $0.text.hasPrefix("message sent") })
    }

    @Test func tooManyRecipientsGoInASecondTransaction() throws {
        let server = try TestSMTPServer.faulty(["--max-rcpt", "2"])
        defer { server.stop() }
        let report = try send(server, to: "a@example.org, b@example.org, c@example.org")
        #expect(report.succeeded, "\(report.failure?.description ?? "")")
        #expect(report.acceptedRecipients == ["a@example.org", "b@example.org", "c@example.org"])
        #expect(report.rejectedRecipients.isEmpty)
        let commands = log(server).map { $0.split(separator: " ").first.map(String.init) ?? "" }.filter { ["MAIL", "RCPT", "DATA"].contains($0) }
        #expect(commands == ["MAIL", "RCPT", "RCPT", "RCPT", "DATA", "MAIL", "RCPT", "DATA"], "\(commands)")
        #expect(report.transcript.contains { $0.text.contains("1 recipient deferred with 452") })
    }

    @Test(arguments: [SMTPStage.connect, .greeting])
    func stoppingAtTheConnectOrTheGreetingSaysNoEhlo(_ stage: SMTPStage) throws {
        let server = try TestSMTPServer.faulty([])
        defer { server.stop() }
        let report = try send(server, to: "a@example.org", quitAfter: stage)
        #expect(report.succeeded, "\(report.failure?.description ?? "")")
        #expect(log(server) == ["QUIT"], "nothing but QUIT: \(log(server))")
        #expect((report.greeting != nil) == (stage == .greeting), "the greeting is read only when asked for")
    }

    @Test func deliveryNotificationsWhereNoDsnIsOfferedAreRefusedClearly() throws {
        let server = try TestSMTPServer.faulty([])
        defer { server.stop() }
        let message = try MessageDraft(from: "app@example.com", to: "ada@example.org", textBody: "x").validated()
        var request = SessionRequest.send(message, settings: server.settings(.starttls), secret: nil)
        request.notifications = DeliveryNotifications(notify: ["never"])
        let report = SMTPSession().run(request) { _ in }
        #expect(!report.succeeded)
        #expect(report.failure?.curlMessage?.contains("does not offer DSN") == true, "\(report.failure?.description ?? "")")
        #expect(!log(server).contains { $0.hasPrefix("MAIL") })
    }

    @Test func notifyOptionsAreChecked() {
        #expect(DeliveryNotifications.problem(notify: ["success", "failure", "delay"]) == nil)
        #expect(DeliveryNotifications.problem(notify: ["never"]) == nil)
        #expect(DeliveryNotifications.problem(notify: ["never", "success"])?.contains("never cannot be combined") == true)
        #expect(DeliveryNotifications.problem(notify: ["sometimes"])?.contains("'sometimes'") == true)
        #expect(DeliveryNotifications.xtext("a b+c=d") == "a+20b+2Bc+3Dd")
    }

    @Test func anAddressThatNeedsSmtputf8FailsClearlyWhereItIsNotOffered() throws {
        let server = try TestSMTPServer.faulty([])
        defer { server.stop() }
        let report = try send(server, to: "jörg@example.org")
        #expect(!report.succeeded)
        #expect(report.failure?.curlMessage?.contains("jörg@example.org") == true, "\(report.failure?.description ?? "")")
        #expect(report.failure?.curlMessage?.contains("SMTPUTF8") == true)
        #expect(!log(server).contains { $0.hasPrefix("MAIL") }, "no MAIL FROM was said")
    }
}

/// Certificate verdicts come from OpenSSL's verify result, not its English; an insecure probe
/// still says what verification would have found.
@Suite struct CertificateVerdictTests {
    init() { CurlRuntime.initialize() }

    func probe(_ server: TestSMTPServer, caFile: Bool = true, verify: Bool = true) -> SessionReport {
        var settings = server.settings(.starttls, caFile: caFile)
        settings.verifyCertificate = verify
        settings.timeouts = Timeouts(connect: 10, response: 10, total: 60)
        return SMTPSession().run(SessionRequest(settings: settings, secret: nil, purpose: .probe)) { _ in }
    }

    @Test(arguments: [("expired", true, FailureKind.certificateExpired, 10), ("wrongname", true, .certificateNameMismatch, 1),
                      ("selfsigned", false, .certificateUntrusted, 18), ("good", false, .certificateUntrusted, 20)])
    func eachRefusedCertificateIsNamedByItsVerifyResult(_ certificate: String, caFile: Bool, kind: FailureKind, code: Int) throws {
        let server = try TestSMTPServer.faulty([], certificate: certificate)
        defer { server.stop() }
        let report = probe(server, caFile: caFile)
        #expect(report.failure?.stage == .tls)
        #expect(report.failure?.kind == kind, "\(report.failure?.description ?? "")")
        #expect(report.tls?.verifyResult == code)
        #expect(report.transcript.contains { $0.text.hasPrefix("client: mailtui over libcurl ") && $0.text.contains("OpenSSL") },
                "every failure says which libcurl and TLS library")
    }

    @Test func anInsecureProbeSaysWhatVerificationWouldHaveSaid() throws {
        let server = try TestSMTPServer.faulty([], certificate: "expired")
        defer { server.stop() }
        var settings = server.settings(.starttls)
        settings.verifyCertificate = false
        let report = probe(server, verify: false)
        #expect(report.succeeded, "\(report.failure?.description ?? "")")
        let lines = ProbeSummary.lines(report, settings: settings)
        #expect(lines.contains { $0.contains("not verified (--insecure); verification would have failed: the certificate has expired") }, "\(lines)")
        let good = try TestSMTPServer.faulty([])
        defer { good.stop() }
        var goodSettings = good.settings(.starttls)
        goodSettings.verifyCertificate = false
        let goodLines = ProbeSummary.lines(probe(good, verify: false), settings: goodSettings)
        #expect(goodLines.contains { $0.contains("verification would have passed") }, "\(goodLines)")
        #expect(goodLines.contains { $0.hasPrefix("Client      mailtui over libcurl ") })
    }
}
