@testable import MailServer
import NIOCore
import NIOEmbedded
import Testing

/// The frame decoder in the live pipeline: each frame is cut in the mode the one before led to,
/// held while the session cannot take it, and handed over one at a time.
@Suite struct FramesInThePipelineTests {
    @Test func pipelinedInputIsCutInTheModeEachCommandLeadsTo() throws {
        let smtp = try EmbeddedSMTP()
        _ = try smtp.output()
        let long = String(repeating: "d", count: 900)
        // In one write: a message line longer than a command may be, then a BDAT chunk whose
        // octets look like commands, then a command.
        let replies = try smtp.send("EHLO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\n\(long)\r\n.\r\n"
                                    + "MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nBDAT 6 LAST\r\nQUIT\r\nNOOP\r\n")
        let codes = replies.split(separator: "\r\n").filter { $0.dropFirst(3).first == " " }.map { String($0.prefix(3)) }
        #expect(codes == ["250", "250", "250", "354", "250", "250", "250", "250", "250"], "\(replies)")
        #expect(smtp.stored.map { String(decoding: $0.octets, as: UTF8.self) } == [long + "\r\n", "QUIT\r\n"])
        #expect(smtp.channel.isActive, "QUIT inside the chunk was content")
        _ = try? smtp.channel.finish()
    }

    /// Each command returns to the decoder before the next is cut: thousands pipelined in one
    /// write are answered without the stack growing with them.
    @Test func thousandsOfPipelinedCommandsAreAnsweredInTurn() throws {
        let smtp = try EmbeddedSMTP()
        _ = try smtp.output()
        _ = try smtp.send("EHLO c\r\n")
        let pairs = 20_000
        let replies = try smtp.send(String(repeating: "MAIL FROM:<a@b>\r\nRSET\r\n", count: pairs))
        #expect(replies.components(separatedBy: "250 2.1.0 Ok\r\n250 2.0.0 Ok\r\n").count == pairs + 1)
        _ = try? smtp.channel.finish()
    }

    @Test func whatCameDuringADelayIsTakenAfterItInOrder() throws {
        let smtp = try EmbeddedSMTP(faults: [Fault(stage: .rcpt, occurrence: 1, action: .delay(seconds: 2))])
        _ = try smtp.output()
        #expect(try smtp.send("EHLO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\nSubject: x\r\n") == "250-mailtui.localhost greets c\r\n250-SIZE 33554432\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250-PIPELINING\r\n250-ENHANCEDSTATUSCODES\r\n250-DSN\r\n250 CHUNKING\r\n250 2.1.0 Ok\r\n")
        #expect(try smtp.send("\r\nbody\r\n.\r\n") == "", "held while the delay runs")
        smtp.channel.embeddedEventLoop.advanceTime(by: .seconds(2))
        #expect(try smtp.output() == "250 2.1.5 Ok\r\n354 End data with <CR><LF>.<CR><LF>\r\n250 2.0.0 Ok: queued as m1\r\n")
        #expect(smtp.stored.map { String(decoding: $0.octets, as: UTF8.self) } == ["Subject: x\r\n\r\nbody\r\n"])
        _ = try? smtp.channel.finish()
    }
}
