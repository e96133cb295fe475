import Testing
@testable import MailCore
import TestSupport

/// The connect limit is for the TCP connect and the TLS handshakes; each reply has its own limit,
/// and a failure states the limit that ran out, as the user gave it.
@Suite struct TimeoutTests {
    init() { CurlRuntime.initialize() }

    func send(_ server: TestSMTPServer, _ security: SecurityMode, timeouts: Timeouts, user: String? = nil) throws -> SessionReport {
        var settings = server.settings(security)
        settings.timeouts = timeouts
        settings.username = user
        let message = try MessageDraft(from: "a@example.com", to: "b@example.com", textBody: "x").validated()
        return SMTPSession().run(.send(message, settings: settings, secret: user == nil ? nil : Secret("pw"))) { _ in }
    }

    @Test func aServerThatAnswersEveryLineLateButWithinTheReplyLimitGetsTheMail() throws {
        // EHLO, STARTTLS, EHLO and AUTH take 4 x 1.5 s, well past the 3 s connect limit that
        // libcurl alone would apply to all of them. Each reply has 10 s, room for a busy machine.
        let server = try TestSMTPServer.faulty(["--slow", "1.5"])
        defer { server.stop() }
        let report = try send(server, .starttls, timeouts: Timeouts(connect: 3, response: 10, total: 60), user: "alice")
        #expect(report.succeeded, "\(report.failure?.description ?? "")")
        #expect(report.authenticated)
        #expect(server.commandLog.contains("DATA"))
    }

    @Test func aSilentServerIsReportedWithTheLimitTheUserGave() throws {
        let server = try TestSMTPServer.faulty(["--hang", "rcpt"])
        defer { server.stop() }
        let report = try send(server, .none, timeouts: Timeouts(perStep: 4))
        #expect(report.failure?.kind == .serverTimeout)
        #expect(report.failure?.stage == .rcpt)
        #expect(report.failure?.explanation.contains("within 4 s") == true, "\(report.failure?.explanation ?? "")")
    }

    @Test func aTLSHandshakeThatNeverHappensFailsAtTheConnectLimit() throws {
        let server = try TestSMTPServer.faulty(["--hang", "tls"])
        defer { server.stop() }
        let clock = ContinuousClock()
        let started = clock.now
        let report = try send(server, .starttls, timeouts: Timeouts(connect: 1, response: 600, total: 1200))
        #expect(clock.now - started < .seconds(300), "the 1 s connect limit, not the 600 s reply limit")
        #expect(report.failure?.stage == .tls)
        #expect(report.failure?.kind == .tlsHandshake, "\(report.failure?.description ?? "")")
        #expect(report.failure?.explanation.contains("no TLS handshake within 1 s") == true, "\(report.failure?.explanation ?? "")")
    }
}
