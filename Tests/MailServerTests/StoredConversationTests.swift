import Foundation
import Testing
import MailCore
@testable import MailServer
import TestSupport

/// The conversation kept with a stored message: in the order it happened, and without
/// credentials, however the client pipelines.
@Suite struct StoredConversationTests {
    /// Sends `commands` in one write, reads `replies` replies, then a message, and returns the
    /// stored transcript.
    func conversation(_ harness: ServerHarness, _ commands: [String], replies: Int) throws -> [String] {
        let client = try RawClient(port: harness.port)
        #expect(client.reply()?.hasPrefix("220") == true)
        client.send(commands.map { $0 + "\r\n" }.joined())
        var answers: [String] = []
        for _ in 0..<replies { answers.append(client.reply() ?? "(none)") }
        #expect(answers.last?.hasPrefix("354") == true, "\(answers)")
        client.send("Subject: kept\r\n\r\nbody\r\n.\r\n")
        #expect(client.reply()?.hasPrefix("250") == true)
        #expect(client.command("QUIT") == "221")
        return try #require(harness.stored.first).transcript.map(\.tagged)
    }

    @Test func aPipelinedConversationIsStoredInOrder() throws {
        let harness = try ServerHarness()
        let transcript = try conversation(harness, ["EHLO client.example", "MAIL FROM:<a@example.com>", "RCPT TO:<b@example.com>", "DATA"], replies: 4)
        #expect(transcript == [
            "S: 220 mailtui.localhost ESMTP mailtui test server ready",
            "C: EHLO client.example",
            "S: 250-mailtui.localhost greets client.example",
            "S: 250-SIZE 33554432",
            "S: 250-8BITMIME",
            "S: 250-SMTPUTF8",
            "S: 250-PIPELINING",
            "S: 250-ENHANCEDSTATUSCODES",
            "S: 250-DSN",
            "S: 250-CHUNKING",
            "S: 250 STARTTLS",
            "C: MAIL FROM:<a@example.com>",
            "S: 250 2.1.0 Ok",
            "C: RCPT TO:<b@example.com>",
            "S: 250 2.1.5 Ok",
            "C: DATA",
            "S: 354 End data with <CR><LF>.<CR><LF>",
        ])
    }

    /// base64 of "user", "secret" and "\0alice\0secret".
    static let secrets = ["dXNlcg==", "c2VjcmV0", "AGFsaWNlAHNlY3JldA=="]

    @Test func loginLinesPipelinedBehindARefusedAuthAreNotStored() throws {
        let harness = try ServerHarness()
        // In the clear, AUTH is refused with 538; before EHLO, with 503.
        let transcript = try conversation(harness, ["AUTH LOGIN", Self.secrets[0], Self.secrets[1], "EHLO x", "AUTH LOGIN", Self.secrets[0], Self.secrets[1],
                                                    "AUTH PLAIN", Self.secrets[2], "MAIL FROM:<a@example.com>", "RCPT TO:<b@example.com>", "DATA"], replies: 12)
        let text = transcript.joined(separator: "\n")
        for secret in Self.secrets { #expect(!text.contains(secret), "\(secret) in\n\(text)") }
        #expect(transcript.filter { $0 == "C: [credentials hidden]" }.count == 5, "\(text)")
        #expect(transcript.contains("S: 503 5.5.1 Send EHLO first") && transcript.contains("S: 538 5.7.11 Encryption required: STARTTLS first"))
        #expect(transcript.contains("C: MAIL FROM:<a@example.com>"), "the next command is kept")
    }

    @Test func aCleanQuitOverTLSEndsAsAQuit() throws {
        let harness = try ServerHarness()
        #expect(try harness.send(.tls).succeeded)
        #expect(try harness.send(.starttls).succeeded)
        #expect(harness.waitForEvents(seconds: 10) { _ in harness.events.endings.count == 2 })
        #expect(harness.events.endings == ["quit", "quit"])
    }
}
