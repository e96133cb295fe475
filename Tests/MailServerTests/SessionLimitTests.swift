import Foundation
import NIOCore
import Testing
import MailCore
@testable import MailServer
import TestSupport

/// Time and connection limits that keep a slow or greedy client (slowloris) from holding the
/// server, and the protocol's own limits honoured where they are larger than a command's.
@Suite struct SessionLimitTests {
    @Test func aCommandSentByteByByteIsCutAtThePerCommandLimit() throws {
        let harness = try ServerHarness { $0.commandSeconds = 0.5 }
        let client = try RawClient(port: harness.port)
        #expect(client.reply()?.hasPrefix("220") == true)
        #expect(client.command("EHLO x") == "250")
        client.send("NO")
        let reply = client.reply() ?? ""
        #expect(reply.hasPrefix("421 4.4.2") && reply.contains("command line took over 0.5 s"), "\(reply)")
        #expect(client.reply() == nil, "and the connection is closed")
        #expect(harness.waitForEvents { _ in harness.events.endings == ["command time limit"] }, "\(harness.events.endings)")
    }

    @Test func aSessionEndsAtItsLifetime() throws {
        let harness = try ServerHarness { $0.sessionSeconds = 1 }
        let client = try RawClient(port: harness.port)
        #expect(client.reply()?.hasPrefix("220") == true)
        #expect(client.command("EHLO x") == "250")
        let reply = client.reply() ?? ""
        #expect(reply.hasPrefix("421 4.4.2") && reply.contains("session lasted 1 s"), "\(reply)")
        #expect(client.reply() == nil, "and the connection is closed")
    }

    @Test func oneAddressCannotTakeEveryConnection() throws {
        let harness = try ServerHarness { $0.maxConnectionsPerAddress = 2; $0.maxConnections = 10 }
        let first = try RawClient(port: harness.port)
        let second = try RawClient(port: harness.port)
        #expect(first.reply()?.hasPrefix("220") == true)
        #expect(second.reply()?.hasPrefix("220") == true)
        let third = try RawClient(port: harness.port)
        let reply = third.reply() ?? ""
        #expect(reply.hasPrefix("421 4.7.0") && reply.contains("from 127.0.0.1 (at most 2 at once from one address)"), "\(reply)")
        #expect(first.command("QUIT") == "221")
        #expect(harness.waitForEvents { _ in harness.events.endings.contains("quit") })
        let fourth = try RawClient(port: harness.port)
        #expect(fourth.reply()?.hasPrefix("220") == true, "a place freed is taken again")
    }

    @Test func anAuthInitialResponseMayBeLongerThanACommand() throws {
        let harness = try ServerHarness { $0.authBeforeTLS = true; $0.users = ["alice": String(repeating: "t", count: 2000)] }
        let client = try RawClient(port: harness.port)
        _ = client.reply()
        #expect(client.command("EHLO x") == "250")
        let token = String(repeating: "t", count: 2000)
        let initial = Base64.encode(Array("user=alice\u{1}auth=Bearer \(token)\u{1}\u{1}".utf8))
        #expect(initial.count > 2048)
        #expect(client.command("AUTH XOAUTH2 " + initial) == "235", "a 2.7 KB XOAUTH2 initial response")
        #expect(client.command("NOOP " + String(repeating: "x", count: 600)) == "500", "other commands keep 512 octets")
        #expect(client.command("AUTH PLAIN " + String(repeating: "A", count: 13_000)) == "500", "AUTH keeps RFC 4954's 12,288")
        #expect(client.command("NOOP") == "250")
    }

    /// Out of descriptors, accept fails (EMFILE) while a waiting connection keeps the socket
    /// readable: accepting pauses (no read pending, so no spinning), then resumes by itself.
    @Test func acceptingPausesWhenDescriptorsRunOut() throws {
        let harness = try ServerHarness()
        let channel = try #require(harness.server.listeningChannels.first)
        channel.pipeline.fireErrorCaught(IOError(errnoCode: EMFILE, reason: "accept"))
        #expect(try channel.getOption(ChannelOptions.autoRead).wait() == false, "accepting paused")
        #expect(channel.isActive, "and the listening socket kept")
        var resumed = false
        for _ in 0..<500 where !resumed {
            resumed = try channel.getOption(ChannelOptions.autoRead).wait()
            if !resumed { usleep(10_000) }
        }
        #expect(resumed, "accepting resumes after the pause")
        #expect(try harness.send(.none).succeeded)
    }
}
