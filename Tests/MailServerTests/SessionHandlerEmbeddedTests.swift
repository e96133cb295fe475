@testable import MailServer
import NIOCore
import NIOEmbedded
import Synchronization
import Testing

/// A sink that keeps messages in memory, so the handler runs without a store folder.
final class MemorySink: MessageSink {
    final class Message: IncomingMessage {
        let id: String
        var octets: [UInt8] = []
        var bytes: Int { octets.count }
        init(id: String) { self.id = id }
        func append(_ more: some Collection<UInt8>) { octets += more }
    }

    let stored = Mutex<[(record: StoredMessage, octets: [UInt8])]>([])
    let dropped = Mutex(0)
    /// What the server reported, for the test to read.
    let events = Mutex<[ServerEvent]>([])
    private let next = Mutex(0)

    func begin() -> any IncomingMessage {
        Message(id: "m\(next.withLock { $0 += 1; return $0 })")
    }

    func drop(_ message: any IncomingMessage) { dropped.withLock { $0 += 1 } }

    func commit(_ message: any IncomingMessage, _ record: StoredMessage,
                done: @escaping @Sendable (Result<StoredMessage, MessageStoreError>) -> Void) {
        let octets = (message as? Message)?.octets ?? []
        stored.withLock { $0.append((record, octets)) }
        done(.success(record))
    }

    func path(of id: String) -> String { "/memory/\(id).eml" }
}

/// The whole session handler in an `EmbeddedChannel`: bytes in, replies out, virtual time.
@Suite struct SessionHandlerEmbeddedTests {
    let sink = MemorySink()

    func session(faults: [Fault] = [], _ configure: (inout ServerConfiguration) -> Void = { _ in }) throws -> EmbeddedChannel {
        var configuration = ServerConfiguration()
        configure(&configuration)
        let sink = self.sink
        let server = ServerContext(configuration: configuration, faults: FaultBook(faults), store: sink, sslContext: nil,
                                   emit: { event in sink.events.withLock { $0.append(event) } })
        let channel = EmbeddedChannel(handlers: SMTPSessionHandler.handlers(server: server, implicitTLS: false))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 40000)).wait()
        return channel
    }

    /// Everything the handler wrote since the last call.
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

    @Test func aShortSessionIsAnsweredAndTheMessageGoesToTheSink() throws {
        let channel = try session()
        #expect(try output(channel) == "220 mailtui.localhost ESMTP mailtui test server ready\r\n")
        #expect(try send(channel, "EHLO client.test\r\n") == """
            250-mailtui.localhost greets client.test\r
            250-SIZE 33554432\r
            250-8BITMIME\r
            250-SMTPUTF8\r
            250-PIPELINING\r
            250-ENHANCEDSTATUSCODES\r
            250-DSN\r
            250 CHUNKING\r

            """)
        #expect(try send(channel, "MAIL FROM:<ann@a.test>\r\n") == "250 2.1.0 Ok\r\n")
        #expect(try send(channel, "RCPT TO:<bob@b.test>\r\n") == "250 2.1.5 Ok\r\n")
        #expect(try send(channel, "DATA\r\n") == "354 End data with <CR><LF>.<CR><LF>\r\n")
        #expect(try send(channel, "Subject: hi\r\n\r\n..dot\r\nbody\r\n.\r\n") == "250 2.0.0 Ok: queued as m1\r\n")
        #expect(try send(channel, "QUIT\r\n") == "221 2.0.0 Bye\r\n")
        #expect(!channel.isActive)

        let stored = sink.stored.withLock { $0 }
        #expect(stored.count == 1)
        #expect(String(decoding: stored.first?.octets ?? [], as: UTF8.self) == "Subject: hi\r\n\r\n.dot\r\nbody\r\n")
        #expect(stored.first?.record.from == "ann@a.test")
        #expect(stored.first?.record.recipients.map(\.address) == ["bob@b.test"])
        #expect(stored.first?.record.subject == "hi")
        #expect(stored.first?.record.path == "/memory/m1.eml")
        let endings = sink.events.withLock { $0 }.compactMap { event -> String? in
            if case .session(let summary) = event { return summary.ending } else { return nil }
        }
        #expect(endings == ["quit"])
    }

    @Test func aDelayFaultHoldsTheReplyForItsVirtualTime() throws {
        let channel = try session(faults: [Fault(stage: .mail, action: .delay(seconds: 5))])
        _ = try output(channel)
        _ = try send(channel, "EHLO c\r\n")
        #expect(try send(channel, "MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\n") == "")
        channel.embeddedEventLoop.advanceTime(by: .seconds(4))
        #expect(try output(channel) == "")
        channel.embeddedEventLoop.advanceTime(by: .seconds(1))
        #expect(try output(channel) == "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n", "the pipelined RCPT is answered after the delayed MAIL")
        _ = try? channel.finish()
    }

    @Test func aHalfCommandIsCutAtThePerCommandLimit() throws {
        let channel = try session { $0.commandSeconds = 2 }
        _ = try output(channel)
        #expect(try send(channel, "NO") == "")
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(1999))
        #expect(try output(channel) == "")
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(1))
        #expect(try output(channel).hasPrefix("421 4.4.2 A command line took over 2 s"))
        #expect(!channel.isActive)
    }

    @Test func aFaultAtDataDropsTheMessageAndTheSessionGoesOn() throws {
        let channel = try session(faults: [Fault(stage: .data, action: .reply(code: 554, text: "5.7.1 Rejected"))])
        _ = try output(channel)
        _ = try send(channel, "EHLO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\n")
        #expect(try send(channel, "Subject: x\r\n\r\nbody\r\n.\r\n") == "554 5.7.1 Rejected\r\n")
        #expect(sink.stored.withLock { $0.isEmpty })
        #expect(sink.dropped.withLock { $0 } == 1)
        #expect(try send(channel, "RCPT TO:<c@d>\r\n") == "503 5.5.1 Send MAIL FROM first\r\n", "the transaction was reset")
        _ = try? channel.finish()
    }

    @Test func aRefusingGreetingEndsTheSession() throws {
        let channel = try session(faults: [Fault(stage: .greeting, action: .reply(code: 554, text: "5.7.1 Go away"))])
        #expect(try output(channel) == "554 5.7.1 Go away\r\n")
        #expect(!channel.isActive)
    }

    @Test func faultOutcomes() {
        #expect(FaultOutcome(Fault(stage: .rcpt, action: .reply(code: 550, text: "no"))) == .replace(code: 550, text: "no", ends: false))
        #expect(FaultOutcome(Fault(stage: .rcpt, action: .reply(code: 421, text: "bye"))) == .replace(code: 421, text: "bye", ends: true))
        #expect(FaultOutcome(Fault(stage: .connect, action: .reply(code: 554, text: "no"))) == .replace(code: 554, text: "no", ends: true))
        #expect(FaultOutcome(Fault(stage: .mail, action: .delay(seconds: 2))) == .delay(seconds: 2))
        #expect(FaultOutcome(Fault(stage: .quit, action: .hang)) == .hang)
    }

    @Test func aSessionEndsAtItsLifetimeOnVirtualTime() throws {
        let channel = try session { $0.sessionSeconds = 600 }
        _ = try output(channel)
        for _ in 0..<9 {
            channel.embeddedEventLoop.advanceTime(by: .seconds(60))
            #expect(try send(channel, "NOOP\r\n") == "250 2.0.0 Ok\r\n")
        }
        channel.embeddedEventLoop.advanceTime(by: .seconds(60))
        #expect(try output(channel) == "421 4.4.2 The session lasted 600 s, the longest this server allows; closing the connection\r\n")
        #expect(!channel.isActive)
        let endings = sink.events.withLock { $0 }.compactMap { event -> String? in
            if case .session(let summary) = event { return summary.ending } else { return nil }
        }
        #expect(endings == ["session time limit"])
    }
}
