@testable import MailServer
import Testing

/// Command lines split and noted, and the transcript's bounds, as values.
@Suite struct SMTPCommandTests {
    @Test func aLineIsSplitIntoVerbAndArgument() {
        let mail = SMTPCommand("mail FROM:<a@b> SIZE=10")
        #expect(mail.verb == "MAIL" && mail.argument == "FROM:<a@b> SIZE=10" && mail.isKnown)
        #expect(SMTPCommand("").verb == "" && !SMTPCommand("").isKnown)
        #expect(SMTPCommand("NOOP").argument == "")
        #expect(!SMTPCommand("dXNlcg==").isKnown)
    }

    @Test func authCredentialsNeverReachTheTranscript() {
        #expect(SMTPCommand("AUTH PLAIN AGFubgBzZWNyZXQ=").noted == "AUTH PLAIN [credentials hidden]")
        #expect(SMTPCommand("auth LOGIN").noted == "AUTH LOGIN")
        #expect(SMTPCommand("RCPT TO:<b@c>").noted == "RCPT TO:<b@c>")
    }

    @Test func pathsAndParameters() {
        #expect(SMTPCommand.path("FROM:<a@b> SIZE=10 BODY=8BITMIME", prefix: "FROM:").map { [$0.address] + $0.parameters } == ["a@b", "SIZE=10", "BODY=8BITMIME"])
        #expect(SMTPCommand.path(" from: <> ", prefix: "FROM:")?.address == "")
        #expect(SMTPCommand.path("TO:a@b", prefix: "TO:") == nil)
        #expect(SMTPCommand.path("TO:<a b@c>", prefix: "TO:") == nil)
        #expect(SMTPCommand.path("FROM:<a@b>", prefix: "TO:") == nil)
    }

    /// smtplib (Flask-Mail, Django) says `mail FROM:`: a message keeps the opening and its own
    /// transaction, not the session's first 200 lines.
    @Test func aLowercaseMailClosesTheOpeningAsMAILDoes() {
        var transcript = SessionTranscript()
        transcript.note(.server, "220 ready")
        transcript.note(.client, "ehlo x")
        transcript.note(.client, "mail FROM:<a@b>")
        transcript.note(.server, "250 OK")
        _ = transcript.takeForMessage()
        transcript.note(.client, "mail FROM:<c@d>")
        transcript.note(.server, "250 OK")
        #expect(transcript.takeForMessage().map(\.tagged) == ["S: 220 ready", "C: ehlo x", "C: mail FROM:<c@d>", "S: 250 OK"])
    }

    @Test func theTranscriptKeepsTheOpeningAndEachTransactionBounded() {
        var transcript = SessionTranscript()
        transcript.note(.server, "220 ready")
        transcript.note(.client, "EHLO x\u{1b}[31m")
        transcript.note(.client, "MAIL FROM:<a@b>")
        transcript.note(.server, "250 2.1.0 Ok")
        let first = transcript.takeForMessage()
        #expect(first.map(\.tagged) == ["S: 220 ready", "C: EHLO x^[[31m", "C: MAIL FROM:<a@b>", "S: 250 2.1.0 Ok"])
        #expect(first.map(\.stage) == [.greeting, .ehlo, .mail, .mail], "each line has the stage its command started")
        for n in 0..<500 { transcript.note(.client, "NOOP \(n)") }
        let second = transcript.takeForMessage()
        #expect(second.count == 2 + SessionTranscript.maxLines)
        #expect(second.last?.tagged == "C: NOOP 199")
        // A long line is cut where it was when the tag was part of the line.
        transcript.note(.server, String(repeating: "x", count: 400))
        let long = transcript.takeForMessage().last?.tagged ?? ""
        #expect(long == "S: " + String(repeating: "x", count: SessionTranscript.maxLength - 3) + "…[103 more bytes cut]")
    }
}
