import Testing
@testable import MailCore
import TestSupport

/// The reply corpus (Tests/Fixtures/replies.json) through the classifier alone: each real reply,
/// at the stage it answered, must mean what the corpus says, by stage and words, not by a code
/// that happens to fit. The engine runs the same corpus in ReplyCorpusTests.
@Suite struct ReplyCorpusClassifierTests {
    /// What the session knew when the reply came: a plain session whose EHLO offered STARTTLS
    /// (a STARTTLS one for replies to STARTTLS), with a login set for replies to AUTH.
    static func evidence(for entry: ReplyCorpusEntry) -> FailureEvidence {
        let settings = ServerSettings(host: "mail.example.com", port: 587, security: entry.stage == "starttls" ? .starttls : .none)
        var e = FailureEvidence(curlCode: 8, curlMessage: "", stage: entry.smtpStage, settings: settings)
        e.greetingSeen = entry.stage != "greeting"
        e.extensions = ["SIZE 10485760", "8BITMIME", "PIPELINING", "ENHANCEDSTATUSCODES", "STARTTLS"]
        e.credentialsSet = entry.stage == "auth"
        e.lastReply = entry.serverReply
        e.lastReplyStage = entry.smtpStage
        e.recipientCount = 1
        return e
    }

    @Test func theCorpusIsWellFormed() {
        let entries = ReplyCorpusEntry.all
        #expect(entries.count >= 60)
        #expect(Set(entries.map(\.id)).count == entries.count, "ids are unique")
        let catalogue = Set(ReplyCatalogue.entries.map(\.id))
        for entry in entries {
            #expect(entry.expectedKind != nil, "\(entry.id): \(entry.kind) is not a kind")
            #expect(entry.advice.map(catalogue.contains) ?? true, "\(entry.id): no catalogue entry \(entry.advice ?? "")")
            #expect(["greeting", "ehlo", "starttls", "auth", "mail", "rcpt", "data", "message"].contains(entry.stage), "\(entry.id)")
            #expect(!entry.source.isEmpty && entry.serverReply.code >= 400, "\(entry.id)")
            // As a server sends it: every line but the last continues ("550-"), the last ends ("550 ").
            let lines = entry.reply.split(separator: "\n", omittingEmptySubsequences: false)
            for (index, line) in lines.enumerated() {
                let separator: Character = index == lines.count - 1 ? " " : "-"
                #expect(line.count > 3 && line[line.index(line.startIndex, offsetBy: 3)] == separator, "\(entry.id), line \(index + 1): \(line)")
            }
        }
        for hard in ["aiosmtpd-starttls-first", "postfix-rbl-greeting", "postfix-too-many-connections", "postgrey-greylisted",
                     "aiosmtpd-tls-unavailable", "postfix-helo-first", "exim-all-rcpt-rejected", "m365-send-as-storedrv"] {
            #expect(entries.contains { $0.id == hard }, "the hard case \(hard) is in the corpus")
        }
    }

    @Test func everyReplyMeansWhatItSays() {
        var wrong: [String] = []
        for entry in ReplyCorpusEntry.all {
            let meaning = FailureClassifier.meaning(of: entry.serverReply, at: entry.smtpStage, evidence: Self.evidence(for: entry))
            if meaning.kind.rawValue != entry.kind || meaning.known?.id != entry.advice {
                wrong.append("\(entry.id): \(meaning.kind.rawValue) \(meaning.known?.id ?? "-"), want \(entry.kind) \(entry.advice ?? "-")")
            }
        }
        #expect(wrong.isEmpty, "\(wrong.count) of \(ReplyCorpusEntry.all.count) wrong:\n\(wrong.joined(separator: "\n"))")
    }

    /// Every diagnosis of the corpus says which stage failed, quotes what to change, and its
    /// advice names a Flask-Mail key or a mailtui option.
    @Test func everyDiagnosisSaysWhatToChange() {
        for entry in ReplyCorpusEntry.all {
            let e = Self.evidence(for: entry)
            let kind = FailureClassifier.meaning(of: entry.serverReply, at: entry.smtpStage, evidence: e).kind
            let words = Diagnosis.explainKnowing(kind: kind, stage: entry.smtpStage, reply: entry.serverReply, evidence: e, provider: nil)
            #expect(words.advice == entry.advice, "\(entry.id)")
            #expect(!words.explanation.isEmpty && !words.suggestions.isEmpty, "\(entry.id)")
        }
    }

    /// aiosmtpd's reply has no enhanced code and a 530 that elsewhere means "log in": after an
    /// EHLO that offered STARTTLS, on a plain session, the words say STARTTLS.
    @Test func aiosmtpdsStarttlsReplyIsAboutTLSNotALogin() throws {
        let entry = try #require(ReplyCorpusEntry.all.first { $0.id == "aiosmtpd-starttls-first" })
        var e = Self.evidence(for: entry)
        e.curlCode = 55
        e.curlMessage = "Failed sending data to the peer"
        let (stage, kind, reply) = FailureClassifier.classify(e)
        #expect(stage == .mail && kind == .tlsRequired && reply == entry.serverReply)
        let words = Diagnosis.explainKnowing(kind: kind, stage: stage, reply: reply, evidence: e, provider: nil)
        #expect(words.suggestions.joined().contains("MAIL_USE_TLS=True"))
        #expect(words.advice == "starttls-first" && !words.explanation.contains("requires a login"), "\(words.explanation)")
    }

    /// The hard cases of greetings each get their own words, not the generic refusal's.
    @Test func refusedGreetingsSayWhy() {
        let e = FailureEvidence(curlCode: 8, curlMessage: "", stage: .greeting, settings: ServerSettings(host: "mail.example.com", port: 25))
        func advice(_ code: Int, _ text: String) -> String? {
            let reply = ServerReply(code: code, lines: [text])
            let kind = FailureClassifier.meaning(of: reply, at: .greeting, evidence: e).kind
            return Diagnosis.explainKnowing(kind: kind, stage: .greeting, reply: reply, evidence: e, provider: nil).advice
        }
        #expect(advice(421, "4.7.0 mx.example.org Error: too many connections from 192.0.2.10") == "too-many-connections")
        #expect(advice(554, "5.7.1 Service unavailable; Client host [192.0.2.10] blocked using zen.spamhaus.org") == "blocked-ip")
        #expect(advice(421, "4.3.2 Service not available") == nil, "a bare 421 keeps the generic words")
    }
}
