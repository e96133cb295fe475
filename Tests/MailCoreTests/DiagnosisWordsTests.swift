import Testing
@testable import MailCore
@testable import MailClient

/// The words of a diagnosis: each fact said once, in one version, and only advice that can apply.
@Suite struct DiagnosisWordsTests {
    func evidence(_ stage: SMTPStage, security: SecurityMode = .none) -> FailureEvidence {
        FailureEvidence(curlCode: 55, curlMessage: "Failed sending data to the peer", stage: stage,
                        settings: ServerSettings(host: "mail.example.com", port: 587, security: security))
    }

    @Test func aSingleRefusedRecipientIsNotToldToDeliverToTheOthers() {
        let refusal = ServerReply(code: 550, lines: ["5.1.1 <ada@example.org>: Recipient address rejected: User unknown"])
        var e = evidence(.rcpt)
        e.rejectedRecipients = [RejectedRecipient(address: "ada@example.org", reply: refusal)]
        e.recipientCount = 1
        let one = Diagnosis.explain(kind: .recipientRejected, stage: .rcpt, reply: refusal, evidence: e)
        #expect(!one.suggestions.joined().contains("--allow-partial"), "\(one.suggestions)")
        #expect(one.explanation == "The server refused ada@example.org.", "the reply is quoted once, as \"server said\"")
        e.recipientCount = 2
        let two = Diagnosis.explain(kind: .recipientRejected, stage: .rcpt, reply: refusal, evidence: e)
        #expect(two.suggestions.contains { $0.contains("--allow-partial") })
    }

    @Test func libcurlsTransportErrorIsNotTheCauseWhenTheServerSaidWhy() {
        var failure = SessionFailure(stage: .mail, kind: .authRequired, reply: ServerReply(code: 530, lines: ["5.7.0 Authentication required"]),
                                     curlCode: 55, curlMessage: "Failed sending data to the peer", explanation: "x", suggestions: [])
        #expect(failure.transportCause == nil)
        failure.reply = nil
        failure.kind = .connectionClosed
        #expect(failure.transportCause == "Failed sending data to the peer (55)")
    }

    /// The transcript says "no greeting after 2 s" when mailtui looks for implicit TLS: the
    /// diagnosis names the same time, not the time the second look took on top.
    @Test func theImplicitTLSDiagnosisNamesTheTimeTheTranscriptNames() {
        var e = evidence(.tls, security: .starttls)
        e.elapsedInStage = .milliseconds(3_200)
        e.greetingWaited = .seconds(2)
        let words = Diagnosis.explain(kind: .implicitTLSPort, stage: .tls, reply: nil, evidence: e)
        #expect(words.explanation.contains("no greeting after 2 s"), "\(words.explanation)")
        #expect(!words.explanation.contains("3.2"))
    }

    /// A failed TLS handshake: AUTH is offered only inside TLS, so the probe cannot say it is not
    /// offered, and the TLS line says what failed rather than "?".
    @Test func theProbeSummaryAfterAFailedHandshake() {
        let settings = ServerSettings(host: "mail.example.com", port: 587, security: .starttls)
        let failure = SessionFailure(stage: .tls, kind: .tlsHandshake, explanation: "The TLS handshake failed.", suggestions: [])
        let report = SessionReport(failure: failure, finalReply: nil, acceptedRecipients: [], rejectedRecipients: [],
                                   greeting: ServerReply(code: 220, lines: ["mail.example.com ESMTP"]),
                                   extensions: ["SIZE 10485760", "PIPELINING", "STARTTLS"], extensionsBeforeTLS: nil, tls: TLSInfo(),
                                   authenticated: false, stageTimes: [], elapsed: .zero, messageBytes: 0, transcript: [])
        let lines = ProbeSummary.lines(report, settings: settings, now: 0)
        #expect(lines.contains("AUTH        not known: the server offers it only after STARTTLS, which failed"), "\(lines)")
        #expect(lines.contains("TLS         not established: the TLS handshake failed"), "\(lines)")
        #expect(!lines.contains { $0.contains("not offered") || $0.hasPrefix("TLS         ?") }, "\(lines)")
    }
}
