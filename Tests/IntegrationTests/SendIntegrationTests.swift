import Foundation
import Testing
@testable import MailCore
import TestSupport

/// Real libcurl against a real SMTP server (aiosmtpd), on free loopback ports. Each test asserts
/// what the server stored and what the engine reported.
@Suite struct SendIntegrationTests {
    init() { CurlRuntime.initialize() }

    static let password = "s3cret-Pässw0rd"

    func draft(to: String = "rcpt@example.com") -> MessageDraft {
        MessageDraft(from: "Sender <sender@example.com>", to: to, bcc: "hidden@example.com", subject: "Grüße ✓", textBody: "Hello\nWorld ✓")
    }

    /// Runs a send, collecting every event.
    func send(_ settings: ServerSettings, user: String? = nil, password: String? = nil, draft: MessageDraft? = nil,
              allowPartial: Bool = false) throws -> (SessionReport, [SessionEvent], [UInt8]) {
        var settings = settings
        settings.username = user
        let message = try (draft ?? self.draft()).validated()
        let renderer = MessageRenderer(options: .deterministic)
        let bytes = try renderer.render(message).readAll()
        let request = SessionRequest.send(message, settings: settings, secret: password.map(Secret.init), allowPartial: allowPartial, renderer: renderer)
        let events = EventLog()
        let report = SMTPSession().run(request) { events.append($0) }
        return (report, events.all, bytes)
    }

    func transcriptText(_ report: SessionReport) -> String { report.transcript.map(\.text).joined(separator: "\n") }

    func assertNoCredentials(_ report: SessionReport, _ events: [SessionEvent], sourceLocation: SourceLocation = #_sourceLocation) {
        var all = transcriptText(report)
        for case .line(let line) in events { all += "\n" + line.text }
        let plain = Data("\0alice\0\(Self.password)".utf8).base64EncodedString()
        for secret in [Self.password, plain, Data(Self.password.utf8).base64EncodedString(), Data("alice".utf8).base64EncodedString()] {
            #expect(!all.contains(secret), "credential \(secret) in transcript", sourceLocation: sourceLocation)
        }
    }

    @Test func plainSendStoresTheExactBytes() throws {
        let server = try TestSMTPServer(["--mode", "plain"])
        defer { server.stop() }
        let (report, events, bytes) = try send(server.settings(.none))
        #expect(report.succeeded, "\(report.failure?.description ?? "")")
        #expect(report.finalReply?.code == 250)
        let stored = server.messages()
        try #require(stored.count == 1)
        #expect([UInt8](stored[0].bytes) == bytes)
        #expect(stored[0].envelope.mail_from == "sender@example.com")
        #expect(stored[0].envelope.rcpt_tos == ["rcpt@example.com", "hidden@example.com"])
        #expect(stored[0].envelope.ehlo == "client.test.invalid")
        #expect(!stored[0].envelope.tls)
        #expect(!stored[0].text.contains("hidden@example.com"))
        #expect(report.transcript.allSatisfy { !$0.inTLS })
        guard case .finished = events.last else { Issue.record("the last event must be .finished"); return }
    }

    @Test func starttlsRequiredWithAuthPlain() throws {
        let server = try TestSMTPServer(["--mode", "starttls", "--require-starttls", "--auth", "alice:\(Self.password)"])
        defer { server.stop() }
        let (report, events, bytes) = try send(server.settings(.starttls), user: "alice", password: Self.password)
        #expect(report.succeeded, "\(report.failure?.description ?? "")")
        #expect(report.authenticated)
        let stored = server.messages()
        try #require(stored.count == 1)
        #expect([UInt8](stored[0].bytes) == bytes)
        #expect(stored[0].envelope.tls && stored[0].envelope.authenticated)
        #expect(report.tls?.version?.hasPrefix("TLS") == true)
        #expect(report.tls?.names.contains("localhost") == true)
        #expect(report.extensionsBeforeTLS?.contains("STARTTLS") == true)
        #expect(transcriptText(report).contains("AUTH PLAIN [credentials hidden]"))
        assertNoCredentials(report, events)
        // Every line after the STARTTLS reply travelled inside TLS.
        let afterTLS = report.transcript.drop(while: { !$0.text.hasPrefix("220 Ready to start TLS") }).dropFirst()
        #expect(afterTLS.filter { $0.speaker != .note }.allSatisfy { $0.inTLS })
        #expect(report.stageTimes.map(\.stage).contains(.tls))
    }

    @Test func authLoginIsRedacted() throws {
        let server = try TestSMTPServer(["--mode", "starttls", "--auth", "alice:\(Self.password)"])
        defer { server.stop() }
        var settings = server.settings(.starttls)
        settings.authMechanism = .login
        let (report, events, _) = try send(settings, user: "alice", password: Self.password)
        #expect(report.succeeded, "\(report.failure?.description ?? "")")
        #expect(server.authLog.contains("LOGIN ok"))
        // With SASL-IR the user travels on the AUTH line itself, the password on the next.
        #expect(report.transcript.filter { $0.speaker == .client && $0.text.contains(Redactor.placeholder) }.count == 2)
        assertNoCredentials(report, events)
    }

    @Test func implicitTLS() throws {
        let server = try TestSMTPServer(["--mode", "tls", "--auth", "alice:\(Self.password)"])
        defer { server.stop() }
        let (report, events, _) = try send(server.settings(.tls), user: "alice", password: Self.password)
        #expect(report.succeeded, "\(report.failure?.description ?? "")")
        #expect(server.messages().first?.envelope.tls == true)
        #expect(report.transcript.filter { $0.speaker == .server }.allSatisfy { $0.inTLS })
        assertNoCredentials(report, events)
    }

    @Test func wrongPasswordFailsAtAuth() throws {
        let server = try TestSMTPServer(["--mode", "starttls", "--auth", "alice:right"])
        defer { server.stop() }
        let (report, events, _) = try send(server.settings(.starttls), user: "alice", password: Self.password)
        let failure = try #require(report.failure)
        #expect(failure.stage == .auth)
        #expect(failure.kind == .authFailed)
        #expect(failure.reply?.code == 535)
        #expect(failure.suggestions.joined().contains("MAIL_PASSWORD"))
        #expect(server.messages().isEmpty)
        assertNoCredentials(report, events)
    }

    @Test func rejectedRecipientFailsTheSendByDefault() throws {
        let server = try TestSMTPServer(["--mode", "plain", "--reject", "nobody@example.com"])
        defer { server.stop() }
        let (report, _, _) = try send(server.settings(.none), draft: draft(to: "rcpt@example.com, nobody@example.com"))
        let failure = try #require(report.failure)
        #expect(failure.stage == .rcpt)
        #expect(failure.kind == .recipientRejected)
        #expect(failure.rejectedRecipients.map(\.address) == ["nobody@example.com"])
        #expect(failure.rejectedRecipients.first?.reply.code == 550)
        #expect(failure.explanation.contains("nobody@example.com"))
        #expect(server.messages().isEmpty)
    }

    @Test func allowPartialDeliversToTheAcceptedRecipients() throws {
        let server = try TestSMTPServer(["--mode", "plain", "--reject", "nobody@example.com"])
        defer { server.stop() }
        let (report, _, _) = try send(server.settings(.none), draft: draft(to: "rcpt@example.com, nobody@example.com"), allowPartial: true)
        #expect(report.succeeded, "\(report.failure?.description ?? "")")
        #expect(report.rejectedRecipients.map(\.address) == ["nobody@example.com"])
        #expect(server.messages().first?.envelope.rcpt_tos == ["rcpt@example.com", "hidden@example.com"])
    }

    @Test func nothingListening() throws {
        let settings = ServerSettings(host: "127.0.0.1", port: unusedPort(), security: .none)
        let (report, _, _) = try send(settings)
        let failure = try #require(report.failure)
        #expect(failure.stage == .connect)
        #expect(failure.kind == .connectionRefused)
    }

    @Test func aServerThatNeverAnswersTimesOutAtTheGreeting() throws {
        let server = try TestSMTPServer(["--mode", "silent"])
        defer { server.stop() }
        var settings = server.settings(.starttls)
        settings.timeouts = Timeouts(connect: 1, response: 1, total: 30)
        let (report, _, _) = try send(settings)
        let failure = try #require(report.failure)
        #expect(failure.stage == .greeting)
        #expect(failure.kind == .noGreeting)
        #expect(failure.explanation.contains("no greeting"))
    }

    @Test func credentialsWithoutAuthOfferedFailAndDeliverNothing() throws {
        let server = try TestSMTPServer(["--mode", "starttls", "--no-auth-advertised", "--auth", "alice:\(Self.password)"])
        defer { server.stop() }
        let (report, _, _) = try send(server.settings(.starttls), user: "alice", password: Self.password)
        let failure = try #require(report.failure)
        #expect(failure.stage == .auth)
        #expect(failure.kind == .authNotOffered)
        #expect(server.messages().isEmpty)
        #expect(!transcriptText(report).contains("DATA"))
    }

    @Test func requiredStarttlsNotOfferedSendsNoCredentials() throws {
        let server = try TestSMTPServer(["--mode", "plain", "--auth-plaintext", "--auth", "alice:\(Self.password)"])
        defer { server.stop() }
        let (report, events, _) = try send(server.settings(.starttls), user: "alice", password: Self.password)
        let failure = try #require(report.failure)
        #expect(failure.stage == .tls)
        #expect(failure.kind == .starttlsNotOffered)
        #expect(server.authLog.isEmpty, "the server saw: \(server.authLog)")
        #expect(!report.transcript.contains { $0.speaker == .client && $0.text.hasPrefix("AUTH") })
        #expect(server.messages().isEmpty)
        assertNoCredentials(report, events)
    }

    @Test func selfSignedCertificateIsRefusedUnlessTrusted() throws {
        let server = try TestSMTPServer(["--mode", "starttls"], certificate: "selfsigned")
        defer { server.stop() }
        let (report, _, _) = try send(server.settings(.starttls, caFile: false))
        #expect(report.failure?.kind == .certificateUntrusted)
        #expect(report.failure?.stage == .tls)
        var insecure = server.settings(.starttls, caFile: false)
        insecure.verifyCertificate = false
        let (second, _, _) = try send(insecure)
        #expect(second.succeeded, "\(second.failure?.description ?? "")")
    }

    @Test func cancelTakesEffectAtOnce() throws {
        let server = try TestSMTPServer(["--mode", "silent"])
        defer { server.stop() }
        var settings = server.settings(.starttls)
        settings.timeouts = Timeouts(connect: 600, response: 600, total: 1200)
        let message = try draft().validated()
        let session = SMTPSession()
        let done = DispatchSemaphore(value: 0)
        let result = EventLog()
        let connected = DispatchSemaphore(value: 0)
        // As the compose screen does: the blocking run on a thread of its own, cancelled from another.
        DispatchQueue.global(qos: .userInitiated).async { [settings] in
            session.run(.send(message, settings: settings, secret: nil)) { event in
                result.append(event)
                if case .line(let line) = event, line.text.hasPrefix("Trying") { connected.signal() }
                if case .finished = event { done.signal() }
            }
        }
        try #require(connected.wait(timeout: .now() + 60) == .success, "the session never started connecting")
        let start = ContinuousClock.now
        session.cancel()
        // Far less than the 600 s timeouts: the poll is woken, not waited out.
        #expect(done.wait(timeout: .now() + 120) == .success)
        #expect(ContinuousClock.now - start < .seconds(120))
        guard case .finished(let report)? = result.all.last else { Issue.record("no report"); return }
        #expect(report.failure?.kind == .cancelled)
    }

    @Test func progressIsReportedForUploads() throws {
        let server = try TestSMTPServer(["--mode", "plain"])
        defer { server.stop() }
        let dir = TestPaths.temporaryDirectory()
        TestFiles.write(dir + "/big.bin", Data(repeating: 7, count: 3_000_000))
        var d = draft()
        d.attachments = [AttachmentSpec(path: dir + "/big.bin")]
        let (report, events, bytes) = try send(server.settings(.none), draft: d)
        #expect(report.succeeded)
        let progress = events.compactMap { event -> (Int, Int)? in
            if case .progress(let sent, let total) = event { return (sent, total) }
            return nil
        }
        #expect(progress.last?.0 == bytes.count)
        #expect(progress.last?.1 == bytes.count)
        #expect(server.messages().first?.bytes.count == bytes.count)
    }
}

/// Collects events from the session's thread.
final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [SessionEvent] = []
    func append(_ event: SessionEvent) { lock.lock(); events.append(event); lock.unlock() }
    var all: [SessionEvent] { lock.lock(); defer { lock.unlock() }; return events }
}
