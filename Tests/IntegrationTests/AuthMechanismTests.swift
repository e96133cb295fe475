import Foundation
import Testing
@testable import MailCore
import TestSupport

/// Every login mechanism against a server, and never a credential in the transcript.
@Suite struct AuthMechanismTests {
    init() { CurlRuntime.initialize() }

    static let secret = "mechanism-s3cret-token"

    /// Sends as alice with `secret` to a server that accepts only `Self.secret`.
    func send(_ mechanism: AuthMechanism, secret: String, to server: TestSMTPServer) throws -> SessionReport {
        var settings = server.settings(.starttls)
        settings.username = "alice"
        settings.authMechanism = mechanism
        let message = try MessageDraft(from: "a@example.com", to: "b@example.com", textBody: "x").validated()
        return SMTPSession().run(.send(message, settings: settings, secret: Secret(secret))) { _ in }
    }

    @Test(arguments: [AuthMechanism.plain, .login, .cramMD5, .xoauth2])
    func mechanism(_ mechanism: AuthMechanism) throws {
        let server = try TestSMTPServer.faulty(["--login", "alice:\(Self.secret)"])
        defer { server.stop() }
        let report = try send(mechanism, secret: Self.secret, to: server)
        #expect(report.succeeded, "\(report.failure?.description ?? "")")
        #expect(report.authenticated)
        let log = server.commandLog
        #expect(log.contains("AUTH \(mechanism == .cramMD5 ? "CRAM-MD5" : mechanism.rawValue.uppercased())"), "\(log)")
        #expect(log.contains("(credentials) ok"), "the server checked the credentials")
        let transcript = report.transcript.map(\.text).joined(separator: "\n")
        #expect(transcript.contains(Redactor.placeholder))
        #expect(!transcript.contains(Self.secret))
        for line in report.transcript where line.speaker == .client && line.stage == .auth {
            #expect(line.text.hasPrefix("AUTH") || line.text == Redactor.placeholder, "\(line.text)")
            #expect(!line.text.split(separator: " ").contains { $0.count > 20 }, "no base64 blob: \(line.text)")
        }
    }

    @Test(arguments: [AuthMechanism.plain, .login, .cramMD5, .xoauth2])
    func aWrongSecretIsRefusedWithEveryMechanism(_ mechanism: AuthMechanism) throws {
        let server = try TestSMTPServer.faulty(["--login", "alice:\(Self.secret)"])
        defer { server.stop() }
        let report = try send(mechanism, secret: "not-the-secret", to: server)
        #expect(report.failure?.stage == .auth)
        #expect(report.failure?.kind == .authFailed)
        #expect(server.commandLog.contains("(credentials) refused"))
        #expect(!server.commandLog.contains("MAIL FROM"))
    }

    /// A server that puts lines that are not replies before its challenges and its verdict: the
    /// login still works and no credential reaches the transcript, in the clear or in TLS.
    @Test(arguments: [AuthMechanism.plain, .login, .cramMD5, .xoauth2], [SecurityMode.none, .starttls])
    func junkBetweenTheExchangesRevealsNothing(_ mechanism: AuthMechanism, security: SecurityMode) throws {
        let server = try TestSMTPServer.faulty(["--login", "alice:\(Self.secret)", "--auth-plaintext",
                                                "--junk", "hello there, not smtp", "--junk", "999x weird"])
        defer { server.stop() }
        var settings = server.settings(security)
        settings.username = "alice"
        settings.authMechanism = mechanism
        let message = try MessageDraft(from: "a@example.com", to: "b@example.com", textBody: "x").validated()
        let report = SMTPSession().run(.send(message, settings: settings, secret: Secret(Self.secret))) { _ in }
        #expect(report.succeeded, "\(report.failure?.description ?? "")")
        let transcript = report.transcript.map(\.text).joined(separator: "\n")
        #expect(transcript.contains("999x weird"), "the odd lines are shown")
        #expect(!transcript.contains(Self.secret))
        for line in report.transcript where line.speaker == .client {
            #expect(!line.text.split(separator: " ").contains { $0.count > 20 }, "no base64 blob: \(line.text)")
        }
    }
}
