@testable import MailServer
import MailCore
import NIOCore
import NIOEmbedded
import Testing

/// The limits in a whole session handler in an `EmbeddedChannel`, on virtual time: greylisting's
/// minute and a slow line's seconds pass at once.
@Suite struct FaultLimitSessionTests {
    let sink = MemorySink()

    func session(_ faults: String...) throws -> EmbeddedChannel {
        let sink = self.sink
        let server = ServerContext(configuration: ServerConfiguration(), faults: FaultBook(try faults.map { try Fault(parsing: $0) }), store: sink,
                                   sslContext: nil, emit: { event in sink.events.withLock { $0.append(event) } })
        let channel = EmbeddedChannel(handlers: SMTPSessionHandler.handlers(server: server, implicitTLS: false))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 40000)).wait()
        _ = try output(channel)
        return channel
    }

    func output(_ channel: EmbeddedChannel) throws -> String {
        channel.embeddedEventLoop.run()
        var text = ""
        while var buffer = try channel.readOutbound(as: ByteBuffer.self) { text += buffer.readString(length: buffer.readableBytes) ?? "" }
        return text
    }

    func send(_ channel: EmbeddedChannel, _ text: String) throws -> String {
        try channel.writeInbound(ByteBuffer(string: text))
        return try output(channel)
    }

    var endings: [String] {
        sink.events.withLock { $0 }.compactMap { if case .session(let summary) = $0 { summary.ending } else { nil } }
    }

    /// `lines` lines of 98 octets and their CRLF: 100 octets each on the wire.
    func body(lines: Int) -> String { String(repeating: String(repeating: "x", count: 98) + "\r\n", count: lines) }

    @Test func greylistingDefersEachTripleUntilItsTimePassed() throws {
        let channel = try session("rcpt=greylist 60")
        _ = try send(channel, "EHLO c\r\nMAIL FROM:<ann@a.test>\r\n")
        #expect(try send(channel, "RCPT TO:<bob@b.test>\r\n") == "451 4.7.1 Greylisted, please try again in 60 seconds\r\n")
        channel.embeddedEventLoop.advanceTime(by: .seconds(30))
        #expect(try send(channel, "RCPT TO:<bob@b.test>\r\n").hasPrefix("451 4.7.1"), "still too early")
        #expect(try send(channel, "RCPT TO:<cat@b.test>\r\n").hasPrefix("451 4.7.1"), "another recipient is another triple")
        channel.embeddedEventLoop.advanceTime(by: .seconds(30))
        #expect(try send(channel, "RCPT TO:<bob@b.test>\r\n") == "250 2.1.5 Ok\r\n", "60 s after the first try")
        #expect(try send(channel, "RCPT TO:<cat@b.test>\r\n").hasPrefix("451 4.7.1"), "30 s after its own first try")
        _ = try send(channel, "RSET\r\nMAIL FROM:<dan@a.test>\r\n")
        #expect(try send(channel, "RCPT TO:<bob@b.test>\r\n").hasPrefix("451 4.7.1"), "another sender is another triple")
        _ = try send(channel, "RSET\r\nMAIL FROM:<ann@a.test>\r\n")
        #expect(try send(channel, "RCPT TO:<bob@b.test>\r\n") == "250 2.1.5 Ok\r\n", "a triple let through stays let through")
        #expect(try send(channel, "DATA\r\n").hasPrefix("354"))
        #expect(try send(channel, "Subject: x\r\n\r\nhi\r\n.\r\n").hasPrefix("250 2.0.0"), "the accepted recipient gets it")
        #expect(sink.stored.withLock { $0.first?.record.recipients.map(\.address) } == ["bob@b.test"])
        _ = try? channel.finish()
    }

    @Test func aSlowLineReadsTheMessageAtItsRate() throws {
        let channel = try session("data=bandwidth 2kB/s")
        _ = try send(channel, "EHLO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\n")
        // 20,000 octets at 2,000 a second: 10 s of virtual time.
        #expect(try send(channel, body(lines: 200) + ".\r\n") == "")
        channel.embeddedEventLoop.advanceTime(by: .seconds(9))
        #expect(try output(channel) == "", "not all read after 9 s")
        #expect(sink.stored.withLock { $0.isEmpty })
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(1100))
        #expect(try output(channel).hasPrefix("250 2.0.0 Ok"))
        #expect(sink.stored.withLock { $0.first?.octets.count } == 20_000)
        // The next message is read at the same rate, from its own start.
        _ = try send(channel, "MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\n")
        #expect(try send(channel, body(lines: 40) + ".\r\n") == "")
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(2100))
        #expect(try output(channel).hasPrefix("250 2.0.0 Ok"))
        _ = try? channel.finish()
    }

    @Test func aSlowLinePacesChunksToo() throws {
        let channel = try session("data=bandwidth 1kB/s")
        _ = try send(channel, "EHLO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\n")
        #expect(try send(channel, "BDAT 3000 LAST\r\n" + String(repeating: "y", count: 3000)) == "")
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(1500))
        #expect(try output(channel) == "")
        channel.embeddedEventLoop.advanceTime(by: .seconds(2))
        #expect(try output(channel).hasPrefix("250 2.0.0 Ok"))
        _ = try? channel.finish()
    }

    @Test(arguments: [(40, true), (41, false)])
    func closeAfterDropsOnceTheContentPassesItsCount(_ lines: Int, _ stored: Bool) throws {
        // 40 lines are 4,000 octets: under 4,096. The 41st passes it.
        let channel = try session("data=close-after 4096")
        _ = try send(channel, "EHLO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\n")
        let answer = try send(channel, body(lines: lines) + ".\r\n")
        if stored {
            #expect(answer.hasPrefix("250 2.0.0 Ok"))
            #expect(channel.isActive)
            #expect(sink.stored.withLock { $0.first?.octets.count } == 4000)
        } else {
            #expect(answer == "", "dropped without a reply")
            #expect(!channel.isActive)
            #expect(sink.stored.withLock { $0.isEmpty })
            #expect(endings == ["fault: close after 4096 octets of content"])
        }
        _ = try? channel.finish()
    }
}
