import Foundation
@testable import MailCore
import Testing

/// `sendmail` makes a line over 998 octets legal before sending (servers refuse it with "500 5.5.2
/// A line of the message is longer than 1000 octets"): headers folded or encoded, a text body
/// re-encoded as quoted-printable; a message within the limit is not touched.
@Suite struct SendmailLineLimitTests {
    static let options: SendmailOptions = {
        var options = SendmailOptions(localSender: "cron@host.example", time: 1_700_000_000)
        options.recipients = ["a@example.com"]
        return options
    }()
    static let head = "From: a@example.com\r\nDate: Tue, 14 Nov 2023 22:13:20 +0000\r\nMessage-ID: <x@y>\r\n"

    static func prepare(_ text: String) -> Result<OutgoingRawMessage, SendmailProblem> {
        SendmailMessage.prepare(Array(text.utf8), options)
    }

    static func lines(_ bytes: [UInt8]) -> [Substring] {
        String(decoding: bytes, as: UTF8.self).split(separator: "\r\n", omittingEmptySubsequences: false)
    }

    /// The unfolded value of `name`, as a reader takes it (the CRLFs before spaces taken out).
    static func value(_ name: String, in bytes: [UInt8]) -> String? {
        RawHeader(parsing: bytes).values(name).first
    }

    @Test func aMessageWithinTheLimitIsSentByteForByte() throws {
        let exact = Self.head + "Subject: " + String(repeating: "s", count: 998 - 9) + "\r\n\r\n" + String(repeating: "b", count: 998) + "\r\nend\r\n"
        let out = try Self.prepare(exact).get()
        #expect(out.bytes == Array(exact.utf8))
        #expect(out.changes.isEmpty)
    }

    @Test func aLongSubjectOfWordsIsFoldedAtItsSpaces() throws {
        let subject = (0..<300).map { "word\($0)" }.joined(separator: " ")
        let out = try Self.prepare(Self.head + "Subject: " + subject + "\r\n\r\nbody\r\n").get()
        #expect(Self.lines(out.bytes).allSatisfy { $0.utf8.count <= 998 })
        #expect(Self.value("Subject", in: out.bytes) == subject)
        let text = String(decoding: out.bytes, as: UTF8.self)
        #expect(text.hasSuffix("\r\n\r\nbody\r\n") && text.hasPrefix(Self.head + "Subject: word0 "))
        #expect(out.changes.contains { $0.contains("folded the Subject header") }, "\(out.changes)")
    }

    @Test func aSubjectOfOneLongWordBecomesEncodedWords() throws {
        let subject = "Résumé-" + String(repeating: "x", count: 3000)
        let out = try Self.prepare(Self.head + "Subject: " + subject + "\r\n\r\nbody\r\n").get()
        #expect(Self.lines(out.bytes).allSatisfy { $0.utf8.count <= 998 })
        #expect(EncodedWords.decode(try #require(Self.value("Subject", in: out.bytes))) == subject)
    }

    @Test func aStructuredHeaderWithoutSpacesIsRefused() {
        let long = "X-Token: " + String(repeating: "t", count: 1200) + "\r\n"
        guard case .failure(let problem) = Self.prepare(Self.head + long + "\r\nbody\r\n") else {
            Issue.record("a 1,200-octet word in X-Token cannot be folded")
            return
        }
        #expect(problem.kind == .data)
        #expect(problem.reason.contains("X-Token") && problem.reason.contains("998") && problem.reason.contains("Nothing was sent"), "\(problem.reason)")
    }

    @Test func aLongBodyLineIsReEncodedAsQuotedPrintable() throws {
        let line = String(repeating: "0123456789 ünïcödé = ", count: 5000)
        let out = try Self.prepare(Self.head + "Subject: log\r\n\r\nfirst\r\n" + line + "\r\nlast\r\n").get()
        let lines = Self.lines(out.bytes)
        #expect(lines.allSatisfy { $0.utf8.count <= 998 })
        #expect(Self.value("Content-Transfer-Encoding", in: out.bytes) == "quoted-printable")
        #expect(Self.value("MIME-Version", in: out.bytes) == "1.0")
        #expect(Self.value("Content-Type", in: out.bytes) == "text/plain; charset=utf-8", "8-bit text without a Content-Type is UTF-8 here")
        let body = Array(out.bytes[RawHeader(parsing: out.bytes).bodyStart...])
        #expect(String(decoding: TransferDecoding.quotedPrintable(body), as: UTF8.self) == "first\r\n" + line + "\r\nlast\r\n")
        #expect(out.changes.contains { $0.contains("quoted-printable") })
    }

    @Test func anOldTransferEncodingIsReplacedAndTheContentTypeKept() throws {
        let message = Self.head + "MIME-Version: 1.0\r\nContent-Type: text/html; charset=iso-8859-1\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
            + String(repeating: "<p>x</p>", count: 200) + "\r\n"
        let out = try Self.prepare(message).get()
        let header = RawHeader(parsing: out.bytes)
        #expect(header.values("Content-Transfer-Encoding") == ["quoted-printable"])
        #expect(header.values("Content-Type") == ["text/html; charset=iso-8859-1"])
        #expect(header.values("MIME-Version") == ["1.0"])
    }

    @Test func aTextPartOfAMultipartIsReEncodedAndTheOthersKept() throws {
        let long = String(repeating: "y", count: 2000)
        let message = Self.head + "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\npreamble\r\n--b\r\nContent-Type: text/plain\r\n\r\n"
            + long + "\r\n--b\r\nContent-Type: text/html\r\n\r\n<p>short</p>\r\n--b--\r\n"
        let out = try Self.prepare(message).get()
        let text = String(decoding: out.bytes, as: UTF8.self)
        #expect(Self.lines(out.bytes).allSatisfy { $0.utf8.count <= 998 })
        #expect(text.contains("--b\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nyyy"), "\(text.prefix(600))")
        #expect(text.hasSuffix("\r\n--b\r\nContent-Type: text/html\r\n\r\n<p>short</p>\r\n--b--\r\n"), "the short part as it was")
        let part = try #require(MIMEPart(reading: out.bytes).parts.first)
        #expect(part.transferEncoding == "quoted-printable" && part.text == long, "no line break gained before the delimiter")
        #expect(out.changes.contains { $0.contains("part 1 (text/plain)") }, "\(out.changes)")
    }

    @Test func aLongLineInAnEncodedOrNestedPartIsRefusedWithWhatToDo() {
        for inner in ["Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n",
                      "Content-Type: multipart/alternative; boundary=c\r\n\r\n--c\r\n\r\n"] {
            let message = Self.head + "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n" + inner
                + String(repeating: "Q", count: 2000) + "\r\n--b--\r\n"
            guard case .failure(let problem) = Self.prepare(message) else {
                Issue.record("a long line that is not plain text is not re-encoded: \(inner)")
                continue
            }
            #expect(problem.kind == .data)
            #expect(problem.reason.contains("multipart/mixed") && problem.reason.contains("2000 octets") && problem.reason.contains("base64"), "\(problem.reason)")
        }
    }

    /// Folding and re-encoding are one pass each: doubling the input at most about doubles the time.
    @Test func fittingIsLinear() {
        func seconds(_ size: Int) -> Double {
            let message = Array((Self.head + "Subject: " + String(repeating: "ab ", count: size / 3) + "\r\n\r\n" + String(repeating: "z", count: size) + "\r\n").utf8)
            let clock = ContinuousClock()
            let elapsed = clock.measure { _ = SendmailMessage.prepare(message, Self.options) }
            return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        }
        _ = seconds(100_000)
        let small = seconds(400_000)
        let large = seconds(800_000)
        #expect(large / small < 4, "\(small) s then \(large) s")
    }
}
