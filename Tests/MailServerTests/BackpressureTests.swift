import Foundation
import Testing
import MailCore
@testable import MailServer
import TestSupport

/// A client that does not read what it is sent, or keeps sending while the session waits, holds
/// a bounded amount of the server's memory and cannot keep the connection.
@Suite struct BackpressureTests {
    /// 60 KB of pipelined HELP a write: unread, each would be answered with 95 octets.
    let help = Array(String(repeating: "HELP\r\n", count: 10_000).utf8)

    @Test func aClientThatPipelinesAndNeverReadsHoldsBoundedMemory() throws {
        let harness = try ServerHarness { $0.commandSeconds = 2 }
        let client = try RawClient(port: harness.port)
        #expect(client.reply()?.hasPrefix("220") == true)
        let sent = client.sendUntilStalled(help, total: 16 << 20)
        let high = harness.server.bufferHighWater
        #expect(high.unsent < 1 << 20, "unsent replies held at most \(high.unsent) octets after \(sent) octets of HELP")
        #expect(high.input < 2 << 20, "input held at most \(high.input) octets")
        #expect(try harness.send(.none).succeeded, "another client is served meanwhile")
        #expect(harness.waitForEvents(seconds: 30) { _ in harness.events.endings.contains("the client did not read the replies") },
                "the connection is closed at the per-command limit: \(harness.events.endings)")
    }

    @Test func inputWhileADelayFaultPausesTheSessionIsNotKept() throws {
        let harness = try ServerHarness(faults: [try Fault(parsing: "mail@1=delay 60")])
        let client = try RawClient(port: harness.port)
        #expect(client.reply()?.hasPrefix("220") == true)
        #expect(client.command("EHLO x") == "250")
        client.send("MAIL FROM:<a@example.com>\r\n")
        let sent = client.sendUntilStalled(help, total: 16 << 20)
        let high = harness.server.bufferHighWater
        #expect(high.input < 2 << 20, "input held at most \(high.input) octets after \(sent) octets sent during the delay")
        #expect(try harness.send(.none).succeeded, "another client is served meanwhile")
    }
}
