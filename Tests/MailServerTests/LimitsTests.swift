import Foundation
import Testing
import MailCore
@testable import MailServer
import TestSupport

/// Bad input and load: an RFC 5321 answer or a clean close, nothing partial stored, and the next
/// client still served.
@Suite struct LimitsTests {
    func stillServes(_ harness: ServerHarness, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(try harness.send(.none).succeeded, "the next client is served", sourceLocation: sourceLocation)
    }

    @Test func overlongCommandAndMessageLines() throws {
        let harness = try ServerHarness()
        let client = try RawClient(port: harness.port)
        _ = client.reply()
        #expect(client.command("EHLO " + String(repeating: "x", count: 600)) == "500", "a 600-octet command")
        #expect(client.command(String(repeating: "y", count: 5_000_000)) == "500", "5 MB without a line end, memory flat")
        #expect(client.command("EHLO ok.example") == "250")
        #expect(client.command("MAIL FROM:<a@example.com>") == "250")
        #expect(client.command("RCPT TO:<b@example.com>") == "250")
        #expect(client.command("DATA") == "354")
        client.send("Subject: long\r\n\r\n" + String(repeating: "z", count: 1200) + "\r\n.\r\n")
        #expect(client.reply()?.hasPrefix("500 5.5.2") == true)
        #expect(harness.stored.isEmpty)
        try stillServes(harness)
    }

    @Test func garbageNULsAndInvalidUTF8() throws {
        let harness = try ServerHarness()
        let client = try RawClient(port: harness.port)
        _ = client.reply()
        client.send([0x00, 0xFF, 0xFE, 0x41, 0x0D, 0x0A])
        #expect(client.reply()?.hasPrefix("500") == true)
        #expect(client.command("\u{1B}[2J hello") == "500")
        #expect(client.command("") == "500")
        #expect(client.command("QUIT") == "221")
        try stillServes(harness)
    }

    @Test func commandsBeforeTheGreetingAreRefused() throws {
        // Long enough that the client surely speaks first; the refusal comes at once, not after it.
        let harness = try ServerHarness(faults: [try Fault(parsing: "greeting=delay 60")])
        let client = try RawClient(port: harness.port)
        client.send("EHLO impatient.example\r\n")
        #expect(client.reply()?.hasPrefix("554 5.5.1") == true)
        #expect(client.reply() == nil, "and the connection is closed")
    }

    @Test func aClientVanishingMidDataLeavesNothing() throws {
        let harness = try ServerHarness()
        do {
            let client = try RawClient(port: harness.port)
            _ = client.reply()
            _ = client.command("EHLO x")
            _ = client.command("MAIL FROM:<a@example.com>")
            _ = client.command("RCPT TO:<b@example.com>")
            _ = client.command("DATA")
            client.send("Subject: cut\r\n\r\nhalf a message")
        }
        #expect(harness.waitForEvents { $0.contains { if case .session = $0 { true } else { false } } })
        #expect(harness.stored.isEmpty)
        // Nothing but the index.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: harness.server.store.directory).filter { !$0.hasPrefix(MessageIndex.fileName) }
        #expect(leftovers.isEmpty, "no part file: \(leftovers)")
        try stillServes(harness)
    }

    @Test func sizeRecipientsAndConnectionLimits() throws {
        let harness = try ServerHarness { $0.maxMessageSize = 2048; $0.maxRecipients = 3; $0.maxConnections = 2 }
        let big = try harness.send(.none, text: String(repeating: "a", count: 5000))
        #expect(big.failure?.kind == .messageTooLarge, "\(big.failure?.description ?? "")")
        let client = try RawClient(port: harness.port)
        _ = client.reply()
        _ = client.command("EHLO x")
        #expect(client.command("MAIL FROM:<a@example.com> SIZE=999999") == "552")
        #expect(client.command("MAIL FROM:<a@example.com>") == "250")
        for n in 1...3 { #expect(client.command("RCPT TO:<r\(n)@example.com>") == "250") }
        #expect(client.command("RCPT TO:<r4@example.com>") == "452")
        let second = try RawClient(port: harness.port)
        #expect(second.reply()?.hasPrefix("220") == true)
        let third = try RawClient(port: harness.port)
        #expect(third.reply()?.hasPrefix("421") == true, "past --max-connections")
        #expect(harness.stored.isEmpty)
    }

    @Test func requireTLSAndRequireAuth() throws {
        let strict = try ServerHarness { $0.requireTLS = true; $0.requireAuth = true }
        let client = try RawClient(port: strict.port)
        _ = client.reply()
        #expect(client.command("EHLO x") == "250")
        #expect(client.command("MAIL FROM:<a@example.com>") == "530")
        let report = try strict.send(.starttls)
        #expect(report.failure?.reply?.code == 530 && report.failure?.stage == .mail, "\(report.failure?.description ?? "")")
        #expect(try strict.send(.starttls, user: "alice").succeeded)
    }
}
