@testable import MailServer
import NIOCore
import NIOEmbedded
import Testing

/// The SMTP framing: lines with per-mode limits, over-long lines reported and never kept, BDAT
/// chunks taken as they are.
@Suite struct SMTPFrameDecoderTests {
    func frames(_ channel: EmbeddedChannel) throws -> [SMTPFrame] {
        var out: [SMTPFrame] = []
        while let frame = try channel.readInbound(as: SMTPFrame.self) { out.append(frame) }
        return out
    }

    func line(_ text: String) -> SMTPFrame { .line(Array(text.utf8)) }

    @Test func linesAreCutWhereverTheInputIsSplit() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(SMTPFrameDecoder()))
        try channel.writeInbound(ByteBuffer(string: "EHLO a"))
        #expect(try frames(channel).isEmpty)
        try channel.writeInbound(ByteBuffer(string: "\r\nNOOP\nMAIL FROM:<a@b>\r"))
        #expect(try frames(channel) == [line("EHLO a"), line("NOOP")])
        try channel.writeInbound(ByteBuffer(string: "\n"))
        #expect(try frames(channel) == [line("MAIL FROM:<a@b>")])
        #expect(try channel.finish().isClean)
    }

    @Test func eachModeHasItsLineLimit() throws {
        let decoder = SMTPFrameDecoder()
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(decoder))
        let command = String(repeating: "x", count: 510)
        try channel.writeInbound(ByteBuffer(string: command + "\r\n" + command + "x\r\n"))
        #expect(try frames(channel) == [line(command), .tooLong])
        // AUTH with an initial response may be 12,288 octets in command mode.
        let auth = "AUTH PLAIN " + String(repeating: "A", count: 12_000)
        try channel.writeInbound(ByteBuffer(string: auth + "\r\n"))
        #expect(try frames(channel) == [line(auth)])
        decoder.mode = .data
        let data = String(repeating: "d", count: 998)
        try channel.writeInbound(ByteBuffer(string: data + "\r\n" + data + "d\r\n"))
        #expect(try frames(channel) == [line(data), .tooLong])
        decoder.mode = .auth
        let answer = String(repeating: "B", count: 12_286)
        try channel.writeInbound(ByteBuffer(string: answer + "\r\n" + answer + "B\r\n"))
        #expect(try frames(channel) == [line(answer), .tooLong])
    }

    @Test func anEndlessLineIsDroppedAsItComesAndReportedAtItsEnd() {
        var framer = SMTPFramer()
        var buffer = ByteBuffer()
        var most = 0
        for _ in 0..<1000 {
            buffer.writeString(String(repeating: "z", count: 1000))
            #expect(framer.nextLine(.command, from: &buffer) == nil)
            most = max(most, buffer.readableBytes)
        }
        #expect(framer.discarding)
        #expect(most <= 512 + 1000, "kept \(most) octets of a line that could only be refused")
        buffer.writeString("zzz\r\nNOOP\r\n")
        #expect(framer.nextLine(.command, from: &buffer) == .tooLong)
        #expect(framer.nextLine(.command, from: &buffer) == line("NOOP"))
    }

    @Test func aChunkIsTakenAsItIsThenLinesAgain() throws {
        let decoder = SMTPFrameDecoder(mode: .chunk(remaining: 8))
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(decoder))
        try channel.writeInbound(ByteBuffer(string: "ab\r\n"))
        #expect(try frames(channel) == [.chunk(Array("ab\r\n".utf8), final: false)])
        #expect(decoder.mode == .chunk(remaining: 4))
        try channel.writeInbound(ByteBuffer(string: "\n.\r\nQUIT\r\n"))
        #expect(try frames(channel) == [.chunk(Array("\n.\r\n".utf8), final: true), line("QUIT")])
        #expect(decoder.mode == .command)
    }

    @Test func anEmptyChunkEndsAtOnce() {
        var buffer = ByteBuffer()
        #expect(SMTPFramer().nextChunk(remaining: 0, from: &buffer) == .chunk([], final: true))
        #expect(SMTPFramer().nextChunk(remaining: 3, from: &buffer) == nil)
    }
}
