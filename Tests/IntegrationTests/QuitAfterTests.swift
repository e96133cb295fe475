import Foundation
import Testing
@testable import MailCore
import TestSupport

/// `--quit-after`: stop cleanly after a stage and deliver nothing. The fault server's command log
/// shows what reached the server.
@Suite struct QuitAfterTests {
    init() { CurlRuntime.initialize() }

    func run(_ server: TestSMTPServer, _ stage: SMTPStage, user: String? = "alice", to: String = "ada@example.org") throws -> SessionReport {
        var settings = server.settings(.starttls)
        settings.username = user
        let message = try MessageDraft(from: "app@example.com", to: to, textBody: "x").validated()
        return SMTPSession().run(.send(message, settings: settings, secret: Secret("pw"), quitAfter: stage)) { _ in }
    }

    func commands(_ server: TestSMTPServer) -> [String] {
        // The commands only: the credential lines of AUTH (which depend on the mechanism) are left out.
        server.commandLog.split(separator: "\n").map { $0.replacing("TLS ", with: "").split(separator: " ").first.map(String.init) ?? "" }
            .filter { $0 != "(credentials)" }
    }

    @Test func afterRcptNothingIsDelivered() throws {
        let server = try TestSMTPServer.faulty([])
        defer { server.stop() }
        let report = try run(server, .rcpt)
        #expect(report.succeeded, "\(report.failure?.description ?? "")")
        #expect(commands(server) == ["EHLO", "STARTTLS", "EHLO", "AUTH", "MAIL", "RCPT", "QUIT"])
        #expect(report.acceptedRecipients == ["ada@example.org"])
        #expect(report.transcript.contains { $0.speaker == .client && $0.text == "QUIT" && $0.inTLS })
    }

    @Test func aRefusedRecipientIsReported() throws {
        let server = try TestSMTPServer.faulty(["--reply", "rcpt", "550 5.1.1 User unknown"])
        defer { server.stop() }
        let report = try run(server, .rcpt)
        #expect(report.failure?.stage == .rcpt)
        #expect(report.failure?.kind == .recipientRejected)
        #expect(!commands(server).contains("DATA"))
    }

    @Test func afterEhloStarttlsIsNeverReached() throws {
        let server = try TestSMTPServer.faulty([])
        defer { server.stop() }
        let report = try run(server, .ehlo)
        #expect(report.succeeded, "\(report.failure?.description ?? "")")
        #expect(commands(server) == ["EHLO", "QUIT"])
    }

    @Test func afterTlsNoLoginEvenWithCredentials() throws {
        let server = try TestSMTPServer.faulty([])
        defer { server.stop() }
        let report = try run(server, .tls)
        #expect(report.succeeded, "\(report.failure?.description ?? "")")
        #expect(commands(server) == ["EHLO", "STARTTLS", "EHLO", "QUIT"])
        #expect(report.tls?.version != nil)
    }

    @Test func afterAuthNoMail() throws {
        let server = try TestSMTPServer.faulty([])
        defer { server.stop() }
        let report = try run(server, .auth)
        #expect(report.succeeded && report.authenticated)
        #expect(commands(server) == ["EHLO", "STARTTLS", "EHLO", "AUTH", "QUIT"])
    }
}
