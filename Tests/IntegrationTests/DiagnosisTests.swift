import Foundation
import Testing
@testable import MailCore
import TestSupport

/// Every failure becomes a diagnosis: the fault server breaks one thing, the test asserts the
/// stage and kind mailtui names, and what it tells the user.
@Suite struct DiagnosisTests {
    init() { CurlRuntime.initialize() }

    struct Outcome {
        var report: SessionReport
        var failure: SessionFailure { report.failure ?? SessionFailure(stage: .quit, kind: .other, explanation: "(no failure)", suggestions: []) }
        var words: String { ([failure.explanation] + failure.suggestions).joined(separator: "\n") }
    }

    func run(_ server: TestSMTPServer, security: SecurityMode = .starttls, user: String? = nil, caFile: Bool = true,
             body: String = "hello", timeout: Double = 10) throws -> Outcome {
        var settings = server.settings(security, caFile: caFile)
        settings.username = user
        settings.timeouts = Timeouts(connect: timeout, response: timeout, total: 60)
        let message = try MessageDraft(from: "app@example.com", to: "ada@example.org", textBody: body).validated()
        let report = SMTPSession().run(.send(message, settings: settings, secret: user == nil ? nil : Secret("pw"))) { _ in }
        return Outcome(report: report)
    }

    func expect(_ outcome: Outcome, _ stage: SMTPStage, _ kind: FailureKind, mentions: [String] = [], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(outcome.failure.stage == stage, "stage; \(outcome.failure)", sourceLocation: sourceLocation)
        #expect(outcome.failure.kind == kind, "kind; \(outcome.failure) curl \(outcome.failure.curlCode ?? 0) \(outcome.failure.curlMessage ?? "")", sourceLocation: sourceLocation)
        for word in mentions {
            #expect(outcome.words.contains(word), "missing \"\(word)\" in:\n\(outcome.words)", sourceLocation: sourceLocation)
        }
    }

    @Test func greeting421() throws {
        let server = try TestSMTPServer.faulty(["--reply", "greeting", "421 4.3.2 Too many connections, try later"])
        defer { server.stop() }
        expect(try run(server), .greeting, .temporaryFailure, mentions: ["too many connections", "Wait a minute and retry"])
    }

    @Test func connectionClosedAtEachStage() throws {
        for (stage, expected) in [("ehlo", SMTPStage.ehlo), ("mail", .mail), ("rcpt", .rcpt), ("data", .data)] {
            let server = try TestSMTPServer.faulty(["--close", stage])
            defer { server.stop() }
            expect(try run(server, security: .none), expected, .connectionClosed, mentions: ["closed the connection"])
        }
    }

    @Test func serverStopsAnswering() throws {
        let server = try TestSMTPServer.faulty(["--hang", "rcpt"])
        defer { server.stop() }
        expect(try run(server, security: .none, timeout: 3), .rcpt, .serverTimeout, mentions: ["stopped answering during RCPT TO", "--timeout"])
    }

    @Test func malformedAndAbsurdlyLongReplies() throws {
        let malformed = try TestSMTPServer.faulty(["--malformed", "ehlo"])
        defer { malformed.stop() }
        expect(try run(malformed, security: .none), .ehlo, .malformedReply, mentions: ["could not be understood"])
        let huge = try TestSMTPServer.faulty(["--huge", "ehlo"])
        defer { huge.stop() }
        let outcome = try run(huge, security: .none)
        #expect(outcome.report.transcript.allSatisfy { $0.text.count < 700 }, "long lines are cut")
        #expect(outcome.report.transcript.contains { $0.text.contains("more bytes cut]") })
    }

    @Test func aReplyTooLongForLibcurlIsNotAClosedConnection() throws {
        let server = try TestSMTPServer.faulty(["--huge", "ehlo", "--huge-size", String(1024 * 1024)])
        defer { server.stop() }
        expect(try run(server, security: .none), .ehlo, .replyTooLong, mentions: ["more reply text", "speaks SMTP"])
    }

    @Test func authOnlyAfterStarttls() throws {
        let server = try TestSMTPServer.faulty([])
        defer { server.stop() }
        expect(try run(server, security: .none, user: "alice"), .auth, .authNotOffered, mentions: ["only after STARTTLS", "MAIL_USE_TLS=True"])
        #expect(!server.commandLog.contains("MAIL FROM"), "nothing was sent unauthenticated")
    }

    @Test func authNotOfferedAtAll() throws {
        let server = try TestSMTPServer.faulty(["--no-auth"])
        defer { server.stop() }
        expect(try run(server, user: "alice"), .auth, .authNotOffered, mentions: ["did not offer AUTH", "MAIL_USERNAME"])
    }

    @Test(arguments: [
        ("auth", "535 5.7.8 Username and Password not accepted", SMTPStage.auth, FailureKind.authFailed, "MAIL_PASSWORD"),
        ("auth", "534 5.7.9 Application-specific password required", .auth, .authAppPasswordRequired, "app password"),
        ("auth", "504 5.5.4 Unrecognized authentication type", .auth, .authMechanismUnsupported, "--auth auto"),
        ("mail", "530 5.7.0 Authentication required", .mail, .authRequired, "MAIL_USERNAME"),
        ("mail", "553 5.7.1 Sender address rejected: not owned by user", .mail, .senderRejected, "MAIL_DEFAULT_SENDER"),
        ("rcpt", "554 5.7.1 Relay access denied", .rcpt, .relayDenied, "relay"),
        ("rcpt", "550 5.1.1 User unknown", .rcpt, .recipientRejected, "ada@example.org"),
        ("rcpt", "452 4.2.2 Mailbox full", .rcpt, .temporaryFailure, "later"),
        ("message", "554 5.6.0 Message rejected as spam", .data, .messageRejected, "spam"),
        ("message", "500 5.5.6 Line too long", .data, .lineTooLong, "too long"),
        ("message", "500 5.5.2 A line of the message is longer than 1000 octets", .data, .lineTooLong, "998 octets"),
        ("message", "550 Line length in message or single header exceeds 8192.", .data, .lineTooLong, "quoted-printable"),
        ("ehlo", "550 5.7.1 Go away", .ehlo, .ehloRejected, "--helo"),
    ])
    func negativeReplies(stage: String, reply: String, expectedStage: SMTPStage, kind: FailureKind, mention: String) throws {
        let server = try TestSMTPServer.faulty(["--reply", stage, reply, "--auth-plaintext"])
        defer { server.stop() }
        let user: String? = stage == "auth" ? "alice" : nil
        let outcome = try run(server, security: .none, user: user)
        expect(outcome, expectedStage, kind, mentions: [mention])
        #expect(outcome.failure.reply?.description == reply)
    }

    /// Replies worded as the providers word them (multi-line where they send several lines), each
    /// through the whole engine: the catalogue's explanation, the precise kind, the quoted link.
    @Test(arguments: [
        ("auth", "535-5.7.8 Username and Password not accepted. For more information, go to\n535 5.7.8  https://support.google.com/mail/?p=BadCredentials a1-20020a17 - gsmtp",
         SMTPStage.auth, FailureKind.authFailed, ["BadCredentials", "app password", "https://support.google.com/mail/?p=BadCredentials"]),
        ("auth", "534-5.7.9 Application-specific password required. For more information, go to\n534 5.7.9  https://support.google.com/mail/?p=InvalidSecondFactor d2 - gsmtp",
         .auth, .authAppPasswordRequired, ["myaccount.google.com/apppasswords", "?p=InvalidSecondFactor"]),
        ("auth", "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information.",
         .auth, .authFailed, ["Authenticated SMTP", "SmtpClientAuthenticationDisabled", "https://aka.ms/smtp_auth_disabled"]),
        ("auth", "535 5.7.3 Authentication unsuccessful [BN9PR03CA0123.namprd03.prod.outlook.com]", .auth, .authFailed, ["app password", "Authenticated SMTP"]),
        ("mail", "530 5.7.57 Client not authenticated to send mail. Error: 535 5.7.139 Authentication unsuccessful", .mail, .authRequired, ["not logged in", "MAIL_USERNAME"]),
        ("mail", "550 5.7.60 SMTP; Client does not have permissions to send as this sender", .mail, .senderRejected, ["Send As"]),
        ("mail", "530 5.7.0 Must issue a STARTTLS command first. a1sm123 - gsmtp", .mail, .tlsRequired, ["MAIL_USE_TLS=True"]),
        ("mail", "550 The from address does not match a verified Sender Identity. Mail cannot be sent until this error is resolved.", .mail, .senderRejected, ["Sender Authentication"]),
        ("message", "554 Message rejected: Email address is not verified. The following identities failed the check in region US-EAST-1: app@example.com",
         .data, .senderRejected, ["sandbox", "region"]),
        ("message", "454 Throttling failure: Maximum sending rate exceeded.", .data, .temporaryFailure, ["throttling", "--rate"]),
        ("greeting", "421 4.7.0 Try again later, closing connection.", .greeting, .temporaryFailure, ["limiting", "back-off"]),
        ("rcpt", "451 4.7.1 Greylisted, please try again in 300 seconds", .rcpt, .temporaryFailure, ["greylisting", "5 to 15 minutes"]),
        ("rcpt", "552 5.2.2 The email account that you tried to reach is over quota.", .rcpt, .recipientRejected, ["mailbox is full"]),
        ("message", "550-5.7.26 Unauthenticated email from example.com is not accepted due to domain's\n550 5.7.26 DMARC policy. - gsmtp", .data, .messageRejected, ["DMARC", "DKIM"]),
        ("message", "550 5.7.1 SPF check failed: 192.0.2.10 is not designated as a permitted sender", .data, .messageRejected, ["SPF record"]),
    ])
    func providerWordedReplies(stage: String, reply: String, expectedStage: SMTPStage, kind: FailureKind, mentions: [String]) throws {
        let server = try TestSMTPServer.faulty(["--reply", stage, reply, "--auth-plaintext"])
        defer { server.stop() }
        let outcome = try run(server, security: .none, user: stage == "auth" ? "alice" : nil)
        expect(outcome, expectedStage, kind, mentions: mentions)
        let lines = reply.split(separator: "\n").map { String($0.dropFirst(4)) }
        #expect(outcome.failure.reply?.lines == lines, "the server's words are kept whole")
    }

    /// A host name that is not loopback, reached on 127.0.0.1 (--connect-address): without TLS,
    /// `--auth auto` sends no password when only PLAIN and LOGIN are offered; `--auth plain` does,
    /// with a warning in the transcript.
    @Test func noLoginInTheClearToAnotherMachine() throws {
        let server = try TestSMTPServer.faulty(["--auth-plaintext", "--mechanisms", "PLAIN LOGIN"])
        defer { server.stop() }
        var settings = server.settings(.none)
        settings.host = "mail.example.test"
        settings.connectAddress = "127.0.0.1"
        settings.username = "alice"
        let message = try MessageDraft(from: "app@example.com", to: "ada@example.org", textBody: "hi").validated()
        let refused = SMTPSession().run(.send(message, settings: settings, secret: Secret("pw"))) { _ in }
        let failure = try #require(refused.failure)
        #expect(failure.stage == .auth && failure.kind == .loginInTheClear, "\(failure)")
        #expect(failure.explanation.contains("PLAIN, LOGIN") && failure.suggestions.joined().contains("MAIL_USE_TLS=True"))
        #expect(!server.commandLog.contains("AUTH"), "no password sent:\n\(server.commandLog)")

        settings.authMechanism = .plain
        let sent = SMTPSession().run(.send(message, settings: settings, secret: Secret("pw"))) { _ in }
        #expect(sent.failure == nil, "\(String(describing: sent.failure))")
        #expect(sent.transcript.contains { $0.text.contains("warning: --auth plain without TLS to mail.example.test") })
        #expect(settings.clearTextLoginWarning != nil)
        settings.host = "127.0.0.1"
        #expect(settings.clearTextLoginWarning == nil && !settings.loginWouldBeInTheClear, "loopback goes on silently")
    }

    @Test func messageTooLargeComparedWithSize() throws {
        let server = try TestSMTPServer.faulty(["--size", "2048"])
        defer { server.stop() }
        expect(try run(server, security: .none, body: String(repeating: "0123456789\n", count: 400)), .data, .messageTooLarge,
               mentions: ["The server's limit is 2 KiB"])
    }

    @Test func implicitTLSAgainstAPlainPort() throws {
        let server = try TestSMTPServer.faulty([])
        defer { server.stop() }
        expect(try run(server, security: .tls), .tls, .tlsOnPlainPort, mentions: ["plain text", "MAIL_USE_TLS=True"])
    }

    @Test func starttlsAgainstAnImplicitTLSPort() throws {
        let server = try TestSMTPServer.faulty(["--implicit-tls"])
        defer { server.stop() }
        expect(try run(server, security: .starttls, timeout: 1), .tls, .implicitTLSPort, mentions: ["expects implicit TLS", "MAIL_USE_SSL=True"])
    }

    /// With the usual 30 s reply limit, the second connection's handshake answers after about 2 s
    /// without a greeting: the send ends at TLS (exit 6) long before the limit would.
    @Test func starttlsAgainstAnImplicitTLSPortIsDiagnosedBeforeTheReplyLimit() throws {
        let server = try TestSMTPServer.faulty(["--implicit-tls"])
        defer { server.stop() }
        let outcome = try run(server, security: .starttls, timeout: 30)
        expect(outcome, .tls, .implicitTLSPort, mentions: ["a TLS handshake on the same port works", "MAIL_USE_SSL=True"])
        #expect(outcome.report.elapsed < .seconds(28), "diagnosed at \(outcome.report.elapsed), not after the 30 s reply limit")
        #expect(outcome.report.transcript.contains { $0.text.contains("no greeting after 2 s") })
        #expect(outcome.failure.explanation.contains("no greeting after 2 s") && !outcome.failure.explanation.contains("within"),
                "one time, the transcript's: \(outcome.failure.explanation)")
    }

    @Test func starttlsRequiredButNotOffered() throws {
        let server = try TestSMTPServer.faulty(["--no-starttls", "--auth-plaintext"])
        defer { server.stop() }
        expect(try run(server, user: "alice"), .tls, .starttlsNotOffered, mentions: ["does not offer STARTTLS"])
        #expect(!server.commandLog.contains("AUTH"), "no credentials without TLS")
    }

    @Test func certificateForAnotherName() throws {
        let server = try TestSMTPServer.faulty([], certificate: "wrongname")
        defer { server.stop() }
        expect(try run(server), .tls, .certificateNameMismatch, mentions: ["mail.other.invalid", "smtp.other.invalid"])
    }

    @Test func selfSignedCertificate() throws {
        let server = try TestSMTPServer.faulty([], certificate: "selfsigned")
        defer { server.stop() }
        expect(try run(server, caFile: false), .tls, .certificateUntrusted, mentions: ["--ca-file", "Flask-Mail never verifies"])
    }

    @Test func expiredCertificate() throws {
        let server = try TestSMTPServer.faulty([], certificate: "expired")
        defer { server.stop() }
        expect(try run(server), .tls, .certificateExpired, mentions: ["expired"])
    }

    @Test func nameLookupFails() throws {
        var settings = ServerSettings(host: "no-such-host.invalid", port: 587)
        settings.timeouts = Timeouts(connect: 5, response: 5, total: 10)
        let message = try MessageDraft(from: "a@example.com", to: "b@example.com").validated()
        let report = SMTPSession().run(.send(message, settings: settings, secret: nil)) { _ in }
        #expect(report.failure?.kind == .nameLookup)
        #expect(report.failure?.suggestions.joined().contains("MAIL_SERVER") == true)
    }
}
