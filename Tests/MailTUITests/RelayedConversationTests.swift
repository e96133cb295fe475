import Testing
import MailCore
import MailServer
@testable import MailTUI

/// A relayed message's Conversation tab and inbox row: both legs, one after the other, and the
/// upstream's outcome.
@Suite struct RelayedConversationTests {
    static func record(relayed: RelayedLeg?) -> StoredMessage {
        StoredMessage(id: "1", path: "/x/1.eml", from: "app@example.com", fromParameters: [], recipients: [.init(address: "ada@example.org", parameters: [])],
                      helo: "app", client: "127.0.0.1", tls: nil, authUser: nil, authMechanism: nil, time: 0, bytes: 10, subject: "Reset",
                      transcript: [TranscriptLine(elapsed: .zero, speaker: .client, inTLS: false, stage: .mail, text: "MAIL FROM:<app@example.com>"),
                                   TranscriptLine(elapsed: .zero, speaker: .server, inTLS: false, stage: .mail, text: "250 2.1.0 OK")],
                      faults: [], relayed: relayed)
    }

    @Test func theConversationTabShowsTheUpstreamLegAfterTheAppsOwn() {
        let leg = RelayedLeg(server: "smtp.example.com:587", stage: .rcpt, reply: "550 5.1.1 no such user", delivered: false,
                             diagnosis: "The server refused the recipient.",
                             transcript: [TranscriptLine(elapsed: .zero, speaker: .client, inTLS: true, stage: .rcpt, text: "RCPT TO:<ada@example.org>"),
                                          TranscriptLine(elapsed: .zero, speaker: .server, inTLS: true, stage: .rcpt, text: "550 5.1.1 no such user")])
        let client = TranscriptLine(elapsed: .zero, speaker: .client, inTLS: false, stage: .mail, text: "x")
        let server = TranscriptLine(elapsed: .zero, speaker: .server, inTLS: false, stage: .mail, text: "x")
        let c = String(client.tagged.dropLast()), s = String(server.tagged.dropLast())
        #expect(MessageView.conversation(Self.record(relayed: leg)) == [
            c + "MAIL FROM:<app@example.com>", s + "250 2.1.0 OK", "",
            "Upstream: mailtui to smtp.example.com:587, as `send` records it  → smtp.example.com:587 ✗ RCPT TO 550 5.1.1 no such user",
            c + "RCPT TO:<ada@example.org>", s + "550 5.1.1 no such user",
            "Diagnosis: The server refused the recipient.",
        ])
        #expect(MessageView.conversation(Self.record(relayed: nil)) == [c + "MAIL FROM:<app@example.com>", s + "250 2.1.0 OK"], "serve's records are as before")
    }

    @Test func theInboxRowEndsWithTheUpstreamsOutcome() {
        let leg = RelayedLeg(server: "smtp.gmail.com:587", stage: .quit, reply: "250 2.0.0 OK", delivered: true, diagnosis: nil, transcript: [])
        #expect(InboxRow.text(Self.record(relayed: leg), subject: "Reset").hasSuffix("  → smtp.gmail.com:587 ✓ 250 2.0.0 OK"))
        #expect(!InboxRow.text(Self.record(relayed: nil), subject: "Reset").contains("→ smtp"))
    }
}
