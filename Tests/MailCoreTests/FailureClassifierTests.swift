import Testing
@testable import MailCore
@testable import MailDiagnosis

@Suite struct FailureClassifierTests {
    func evidence(_ code: Int, _ message: String = "", stage: SMTPStage = .connect, reply: ServerReply? = nil, replyStage: SMTPStage? = nil,
                  security: SecurityMode = .starttls, port: Int? = nil, greeting: Bool = true) -> FailureEvidence {
        var e = FailureEvidence(curlCode: code, curlMessage: message, stage: stage, settings: ServerSettings(host: "mail.example.com", port: port, security: security))
        e.lastReply = reply
        e.lastReplyStage = replyStage
        e.greetingSeen = greeting
        return e
    }

    @Test func connectionFailures() {
        #expect(FailureClassifier.classify(evidence(6)).kind == .nameLookup)
        #expect(FailureClassifier.classify(evidence(7)).kind == .connectionRefused)
        #expect(FailureClassifier.classify(evidence(28, stage: .connect)).kind == .connectTimeout)
        let noGreeting = FailureClassifier.classify(evidence(28, stage: .greeting, greeting: false))
        #expect(noGreeting.kind == .noGreeting && noGreeting.stage == .greeting)
    }

    @Test func tlsFailures() {
        #expect(FailureClassifier.classify(evidence(35, "error:0A00010B:SSL routines::wrong version number", security: .tls)).kind == .tlsOnPlainPort)
        // By OpenSSL's verify result, whatever the message says.
        func refused(_ verifyResult: Int, _ message: String = "certificate has expired") -> FailureKind {
            var e = evidence(60, message)
            var tls = TLSInfo()
            tls.verifyResult = verifyResult
            e.tls = tls
            return FailureClassifier.classify(e).kind
        }
        #expect(refused(18) == .certificateUntrusted)
        #expect(refused(19) == .certificateUntrusted)
        #expect(refused(20) == .certificateUntrusted)
        #expect(refused(10, "self-signed") == .certificateExpired)
        #expect(refused(1) == .certificateNameMismatch, "libcurl's own host check leaves 1")
        #expect(refused(0) == .certificateNameMismatch)
        #expect(refused(62) == .certificateNameMismatch)
        #expect(refused(23) == .certificateProblem)
        #expect(FailureClassifier.classify(evidence(60, "SSL certificate problem: certificate has expired")).kind == .certificateProblem,
                "no verify result: no guess from the English")
        #expect(FailureClassifier.classify(evidence(64, stage: .ehlo)).kind == .starttlsNotOffered)
    }

    /// Real servers' words for a line over their limit: each is a line too long at DATA (with
    /// advice about long lines), not a content or policy refusal ("spam or virus filters").
    @Test(arguments: [
        (500, "5.5.2 A line of the message is longer than 1000 octets"), // mailtui serve
        (500, "5.0.0 Line too long"),                                      // OpenSMTPD
        (501, "Syntax error - line too long"),                             // web.de
        (550, "Line length in message or single header exceeds 8192."),   // Exim
        (550, "message has lines too long for transport"),                 // Exim, relaying
        (554, "message line is too long"),                                 // CommuniGate Pro
        (500, "5.5.2 Line length exceeded. - gsmtp"),                      // Gmail
        (554, "5.6.0 Message line too long"),
        (552, "5.5.6 Line too long"),                                      // a 552 that is no size limit
    ])
    func longLineRepliesAreLineTooLong(code: Int, text: String) {
        let e = evidence(67, stage: .data, reply: ServerReply(code: code, lines: [text]), replyStage: .data)
        let failure = FailureClassifier.classify(e)
        #expect(failure.kind == .lineTooLong, "\(code) \(text)")
        #expect(failure.stage == .data)
        let advice = Diagnosis.explain(kind: failure.kind, stage: failure.stage, reply: failure.reply, evidence: e)
        let words = ([advice.explanation] + advice.suggestions).joined(separator: " ")
        #expect(words.contains("998") && words.contains("sendmail") && words.contains("quoted-printable"), "\(words)")
        #expect(!words.contains("spam"), "\(words)")
    }

    @Test func repliesDecideByStageAndCode() {
        func kind(_ code: Int, _ text: String, _ stage: SMTPStage) -> FailureKind {
            FailureClassifier.classify(evidence(67, stage: stage, reply: ServerReply(code: code, lines: [text]), replyStage: stage)).kind
        }
        #expect(kind(535, "5.7.8 Authentication credentials invalid", .auth) == .authFailed)
        #expect(kind(534, "5.7.9 Application-specific password required", .auth) == .authAppPasswordRequired)
        #expect(kind(530, "5.7.0 Authentication required", .mail) == .authRequired)
        #expect(kind(553, "5.7.1 Sender address rejected: not owned by user", .mail) == .senderRejected)
        #expect(kind(554, "5.7.1 Relay access denied", .rcpt) == .relayDenied)
        #expect(kind(550, "5.1.1 User unknown", .rcpt) == .recipientRejected)
        #expect(kind(452, "4.3.1 Insufficient system storage", .rcpt) == .temporaryFailure)
        #expect(kind(552, "5.3.4 Message size exceeds fixed limit", .data) == .messageTooLarge)
        #expect(kind(554, "5.6.0 Message rejected as spam", .data) == .messageRejected)
        #expect(kind(421, "4.3.2 Service not available", .greeting) == .greetingRefused)
    }

    @Test func explanationsNameTheSettingAndTheFlaskKey() {
        let e = evidence(28, stage: .greeting, security: .starttls, port: 465, greeting: false)
        let words = Diagnosis.explain(kind: .noGreeting, stage: .greeting, reply: nil, evidence: e)
        #expect(words.explanation.contains("implicit TLS"))
        #expect(words.suggestions.joined().contains("MAIL_USE_SSL=True"))
        #expect(words.suggestions.joined().contains("--security tls"))
    }

    @Test func humanSizes() {
        #expect(ByteCount.human(500) == "500 B")
        #expect(ByteCount.human(10 * 1024 * 1024) == "10 MiB")
        #expect(ByteCount.human(1536) == "1.5 KiB")
    }
}

@Suite struct ProbeSummaryTests {
    @Test func certificateDaysLeft() {
        var tls = TLSInfo()
        tls.notAfter = "Dec 16 12:28:47 2026 GMT"
        #expect(TLSInfo.epochSeconds(openSSLDate: "Jan  1 00:00:00 1970 GMT") == 0)
        #expect(TLSInfo.epochSeconds(openSSLDate: "Nov 14 22:13:20 2023 GMT") == 1_700_000_000)
        #expect(tls.daysLeft(now: 1_795_696_204) == 19, "19 days and 23 hours")
        tls.notAfter = "Oct 27 12:28:47 2026 GMT"
        #expect(tls.daysLeft(now: 1_795_696_204)! < 0)
    }

    @Test func extensionMeanings() {
        #expect(ExtensionGlossary.meaning(of: "SIZE 35882577") == "largest message accepted: 34.2 MiB")
        #expect(ExtensionGlossary.meaning(of: "AUTH PLAIN LOGIN XOAUTH2") == "login mechanisms: PLAIN, LOGIN, XOAUTH2")
        #expect(ExtensionGlossary.meaning(of: "X-UNKNOWN-THING") == "(not known to mailtui)")
        #expect(ExtensionGlossary.meaning(of: "SMTPUTF8").contains("UTF-8"))
    }
}
