import Foundation
import Testing
@testable import MailServer
import TestSupport

/// CHUNKING (RFC 3030): BDAT chunks are message content taken as they are, counted, not lines.
@Suite struct ChunkingTests {
    private func opened(_ harness: ServerHarness) throws -> RawClient {
        let client = try RawClient(port: harness.port)
        #expect(client.reply()?.hasPrefix("220") == true)
        let ehlo = client.reply(after: "EHLO chunk.example")
        #expect(ehlo.contains("250-CHUNKING") || ehlo.contains("250 CHUNKING"))
        return client
    }

    @Test func chunksAreStoredExactlyAsSentWithDotsAndBareLineEndsUntouched() throws {
        let harness = try ServerHarness()
        let client = try opened(harness)
        #expect(client.command("MAIL FROM:<a@example.com>") == "250")
        #expect(client.command("RCPT TO:<b@example.com>") == "250")
        // A chunk may end mid-line; "." alone on a line is content here, and so is a bare LF.
        let first: [UInt8] = Array("Subject: in chunks\r\n\r\nline one\r\n.\r\nhalf a ".utf8)
        let second: [UInt8] = Array("line\nbare LF, a NUL \u{0} and é\r\n".utf8)
        client.send(Array("BDAT \(first.count)\r\n".utf8) + first)
        #expect(client.reply() == "250 2.0.0 \(first.count) octets received")
        client.send(Array("BDAT \(second.count) LAST\r\n".utf8) + second)
        #expect(client.reply()?.hasPrefix("250 2.0.0 Ok: queued") == true)
        let stored = try #require(harness.stored.first)
        #expect([UInt8](harness.storedBytes(stored)) == first + second)
        #expect(stored.subject == "in chunks")
        #expect(stored.bytes == first.count + second.count)
        #expect(client.command("QUIT") == "221")
    }

    @Test func pipelinedChunksAreAnsweredInOrder() throws {
        let harness = try ServerHarness()
        let client = try opened(harness)
        client.send("MAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.com>\r\nBDAT 5\r\nhelloBDAT 0 LAST\r\nMAIL FROM:<c@example.com>\r\nRCPT TO:<d@example.com>\r\nBDAT 3 LAST\r\nbyeQUIT\r\n")
        let replies = (0..<7).compactMap { _ in client.reply() }
        #expect(replies.map { String($0.prefix(3)) } == ["250", "250", "250", "250", "250", "250", "250"])
        #expect(client.reply()?.hasPrefix("221") == true)
        #expect(harness.stored.map { String(decoding: harness.storedBytes($0), as: UTF8.self) } == ["bye", "hello"])
    }

    @Test func aRefusedChunkIsStillReadSoTheSessionStaysInStep() throws {
        let harness = try ServerHarness { $0.maxMessageSize = 10 }
        let client = try opened(harness)
        // No MAIL FROM yet: refused, but its octets ("MAIL FROM" among them) are not commands.
        client.send("BDAT 12 LAST\r\nNOOP\r\nNOOP\r\n")
        #expect(client.reply()?.hasPrefix("503") == true)
        #expect(client.command("NOOP") == "250")
        // Too large: 552 at the end, nothing stored, and the session goes on.
        #expect(client.command("MAIL FROM:<a@example.com>") == "250")
        #expect(client.command("RCPT TO:<b@example.com>") == "250")
        client.send("BDAT 8\r\n12345678BDAT 8 LAST\r\n12345678")
        #expect(client.reply() == "250 2.0.0 8 octets received")
        #expect(client.reply()?.hasPrefix("552 5.3.4") == true)
        #expect(harness.stored.isEmpty)
        #expect(client.command("NOOP") == "250")
    }

    @Test func dataCannotFollowBdatAndABadSizeEndsTheSession() throws {
        let harness = try ServerHarness()
        let client = try opened(harness)
        #expect(client.command("MAIL FROM:<a@example.com>") == "250")
        #expect(client.command("RCPT TO:<b@example.com>") == "250")
        client.send("BDAT 2\r\nhi")
        #expect(client.reply()?.hasPrefix("250") == true)
        #expect(client.command("DATA") == "503")
        #expect(client.command("RSET") == "250")
        for bad in ["BDAT", "BDAT ten", "BDAT -1", "BDAT 5 FIRST", "BDAT 99999999999999999999999"] {
            let other = try opened(harness)
            #expect(other.command(bad) == "501", "\(bad)")
            #expect(other.reply() == nil, "closed after \(bad)")
        }
        #expect(harness.stored.isEmpty)
    }
}

extension RawClient {
    /// Sends a command and returns its whole reply.
    func reply(after command: String) -> String {
        send(command + "\r\n")
        return reply() ?? ""
    }
}
