import Testing
@testable import MailCore
import TestSupport

/// A probe whose STARTTLS handshake fails saw only the plain EHLO: the summary says what it
/// cannot know (AUTH inside TLS) and why TLS is missing, instead of "AUTH not offered" and "TLS ?".
@Suite struct ProbeAfterFailedTLSTests {
    init() { CurlRuntime.initialize() }

    @Test func theSummarySaysAuthIsNotKnownAndWhyTLSFailed() throws {
        let server = try TestSMTPServer.faulty([], certificate: "wrongname")
        defer { server.stop() }
        var settings = server.settings(.starttls)
        settings.username = "alice"
        settings.timeouts = Timeouts(connect: 10, response: 10, total: 60)
        let report = SMTPSession().run(SessionRequest(settings: settings, secret: Secret("pw"), purpose: .probe)) { _ in }
        #expect(report.failure?.stage == .tls && report.failure?.kind == .certificateNameMismatch, "\(report.failure?.description ?? "")")
        let lines = ProbeSummary.lines(report, settings: settings)
        #expect(lines.contains("AUTH        not known: the server offers it only after STARTTLS, which failed"), "\(lines)")
        #expect(lines.contains { $0.hasPrefix("TLS         not established: certificate for another name (TLSv1.") && $0.hasSuffix("negotiated, then refused)") }, "\(lines)")
        #expect(lines.contains("Login       not tried: the session failed at TLS"), "\(lines)")
        #expect(!lines.contains { $0.contains("not offered") || $0.contains("TLS         ?") || $0.contains("not accepted") }, "\(lines)")
    }
}
