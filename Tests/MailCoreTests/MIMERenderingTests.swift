import Foundation
import Testing
@testable import MailCore
@testable import MailMessage
import TestSupport

/// The MIME writer's output, read back by an independent parser (Python's email package).
@Suite struct MIMERenderingTests {
    func render(_ draft: MessageDraft, _ options: RenderOptions = .deterministic) throws -> [UInt8] {
        try MessageRenderer(options: options).render(draft.validated()).readAll()
    }

    @Test func plainASCIIMessageIsExactAndSevenBit() throws {
        let bytes = try render(MessageDraft(from: "a@example.com", to: "b@example.com", subject: "Hello", textBody: "Hi there.\nBye."))
        let expected = "Date: Tue, 14 Nov 2023 22:13:20 +0000\r\nFrom: a@example.com\r\nTo: b@example.com\r\nSubject: Hello\r\n"
            + "Message-ID: <deterministic@mailtui.invalid>\r\nUser-Agent: mailtui\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\nHi there.\r\nBye.\r\n"
        #expect(String(decoding: bytes, as: UTF8.self) == expected)
    }

    @Test(arguments: [String(repeating: "x", count: 1200), String(repeating: "Very Long, Name ", count: 75), String(repeating: "Grüße ", count: 200),
                      String(repeating: "a\"b\\c ", count: 170)])
    func longNamesFoldInEveryAddressHeader(_ name: String) throws {
        let quoted = "\"" + name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        let draft = MessageDraft(from: "\(quoted) <a@example.com>", to: "\(quoted) <b@example.com>", cc: "\(quoted) <c@example.com>",
                                 replyTo: "\(quoted) <d@example.com>", subject: name, textBody: "x")
        let bytes = try render(draft)
        let lines = String(decoding: bytes, as: UTF8.self).components(separatedBy: "\r\n")
        #expect(lines.allSatisfy { $0.utf8.count <= 78 }, "longest: \(lines.map(\.utf8.count).max() ?? 0)")
        let parsed = try ParsedEmail.parse(bytes)
        let expected = name  // quoted, so kept exactly, spaces and all
        for header in ["from", "to", "cc", "reply-to"] {
            #expect(parsed.names[header] == [expected], "\(header) reads back")
        }
        #expect(parsed.from?.first?.address == "a@example.com")
        #expect(parsed.subject == name)
    }

    @Test func fiveHundredRecipientsFoldBetweenAddresses() throws {
        let to = (1...500).map { "Person \($0) <person\($0)@example.com>" }.joined(separator: ", ")
        let bytes = try render(MessageDraft(from: "a@example.com", to: to, textBody: "x"))
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 78 })
        let parsed = try ParsedEmail.parse(bytes)
        #expect(parsed.to?.count == 500)
        #expect(parsed.to?.last == .init(name: "Person 500", address: "person500@example.com"))
        #expect(parsed.defects.isEmpty)
    }

    @Test func aLongWordInASubjectStaysUnder998() throws {
        let subject = "see " + String(repeating: "u", count: 1500) + " now"
        let bytes = try render(MessageDraft(from: "a@example.com", to: "b@example.com", subject: subject, textBody: "x",
                                            extraHeaders: ["X-Long: " + String(repeating: "v", count: 1500)]))
        #expect(String(decoding: bytes, as: UTF8.self).components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 78 })
        let parsed = try ParsedEmail.parse(bytes)
        #expect(parsed.subject == subject)
        #expect(parsed.extra["X-Long"] == String(repeating: "v", count: 1500))
        let longName = MessageDraft(from: "a@example.com", to: "b@example.com", extraHeaders: ["X-" + String(repeating: "n", count: 80) + ": v"])
        #expect(throws: ValidationFailure.self) { try longName.validated() }
    }

    /// The encoder gives the same bytes whether the text comes whole or in blocks of any size, and
    /// the survey measures exactly what it writes.
    @Test func textEncodesTheSameInBlocksAsWhole() {
        var fuzz = Fuzz(seed: 7)
        let pieces = ["a", " ", "\t", "\r", "\n", "\r\n", "=", "ü", "東", ".", String(repeating: "x", count: 90), "=_mailtui", "\0"]
        for _ in 0..<500 {
            let text = Array((0..<Int.random(in: 0...60, using: &fuzz)).map { _ in pieces.randomElement(using: &fuzz)! }.joined().utf8)
            var survey = TextPartSurvey()
            var offset = 0
            var blocks: [[UInt8]] = []
            while offset < text.count {
                let size = Int.random(in: 1...7, using: &fuzz)
                blocks.append(Array(text[offset..<min(text.count, offset + size)]))
                offset += size
            }
            for block in blocks { block.withUnsafeBytes { survey.add($0) } }
            survey.finish()
            for quoted in [false, true] {
                let whole = TextPartEncoder.encode(text, quotedPrintable: quoted)
                var encoder = TextPartEncoder(quotedPrintable: quoted)
                var pieced: [UInt8] = []
                for block in blocks { block.withUnsafeBytes { encoder.encode($0, into: &pieced) } }
                encoder.finish(into: &pieced)
                #expect(pieced == whole)
                #expect((quoted ? survey.quotedPrintableSize : survey.sevenBitSize) == whole.count)
                if quoted {
                    let lines = String(decoding: whole, as: UTF8.self).components(separatedBy: "\r\n")
                    #expect(lines.allSatisfy { $0.utf8.count <= 76 })
                }
            }
        }
    }

    @Test func utf8EverywhereRoundTrips() throws {
        let draft = MessageDraft(
            from: "Jürgen Größe <j@example.com>", to: "\"Doe, Jane\" <jane@example.com>, 山田太郎 <taro@example.jp>",
            cc: "Zoë <zoe@example.org>", replyTo: "Support ✓ <help@example.com>",
            subject: "Grüße aus Köln — 東京 and a long tail that forces the encoder to split its words into several pieces ✓",
            textBody: "Hällo Wörld\nZweite Zeile ✓\n", htmlBody: "<p>Hällo <b>Wörld</b> ✓</p>"
        )
        let parsed = try ParsedEmail.parse(try render(draft))
        #expect(parsed.defects.isEmpty)
        #expect(parsed.subject == draft.subject)
        #expect(parsed.from == [.init(name: "Jürgen Größe", address: "j@example.com")])
        #expect(parsed.to == [.init(name: "Doe, Jane", address: "jane@example.com"), .init(name: "山田太郎", address: "taro@example.jp")])
        #expect(parsed.cc == [.init(name: "Zoë", address: "zoe@example.org")])
        #expect(parsed.reply_to == [.init(name: "Support ✓", address: "help@example.com")])
        #expect(parsed.parts.map(\.content_type) == ["multipart/alternative", "text/plain", "text/html"])
        #expect(parsed.leafParts[0].text == "Hällo Wörld\nZweite Zeile ✓\n")
        #expect(parsed.leafParts[1].text.hasPrefix("<p>Hällo <b>Wörld</b> ✓</p>"))
        #expect(parsed.leafParts.allSatisfy { $0.charset == "utf-8" })
        #expect(parsed.max_line_length <= 78)
        #expect(!parsed.bare_lf)
    }

    @Test func attachmentsKeepTheirBytesAndNames() throws {
        let dir = TestPaths.temporaryDirectory()
        let binary = Data((0..<5000).map { UInt8(truncatingIfNeeded: $0 &* 7919 &+ 13) })
        TestFiles.write(dir + "/data.bin", binary)
        TestFiles.write(dir + "/Übersicht März 2026 — sehr langer Dateiname mit Umlauten.pdf", Data("%PDF-1.4 fake".utf8))
        TestFiles.write(dir + "/empty.txt", Data())
        let draft = MessageDraft(
            from: "a@example.com", to: "b@example.com", subject: "Files", textBody: "See attached.",
            attachments: [
                AttachmentSpec(path: dir + "/data.bin"),
                AttachmentSpec(path: dir + "/Übersicht März 2026 — sehr langer Dateiname mit Umlauten.pdf"),
                AttachmentSpec(path: dir + "/empty.txt", displayName: "renamed \"quoted\".txt", mimeType: "text/x-custom"),
            ]
        )
        let bytes = try render(draft)
        let parsed = try ParsedEmail.parse(bytes)
        #expect(parsed.defects.isEmpty)
        #expect(parsed.parts.map(\.content_type) == ["multipart/mixed", "text/plain", "application/octet-stream", "application/pdf", "text/x-custom"])
        let files = parsed.leafParts.dropFirst()
        #expect(files.map(\.filename) == ["data.bin", "Übersicht März 2026 — sehr langer Dateiname mit Umlauten.pdf", "renamed \"quoted\".txt"])
        #expect(files.map(\.disposition) == ["attachment", "attachment", "attachment"])
        #expect(Array(files)[0].payload == binary)
        #expect(Array(files)[1].payload == Data("%PDF-1.4 fake".utf8))
        #expect(Array(files)[2].payload.isEmpty)
        #expect(parsed.max_line_length <= 998)
        #expect(!parsed.bare_lf)
    }

    @Test func bccNeverAppearsInTheHeaders() throws {
        let message = try MessageDraft(from: "a@example.com", to: "b@example.com", bcc: "secret@example.com", textBody: "x").validated()
        let text = String(decoding: try MessageRenderer(options: .deterministic).render(message).readAll(), as: UTF8.self)
        #expect(!text.lowercased().contains("bcc"))
        #expect(!text.contains("secret@example.com"))
        #expect(message.envelopeRecipients == ["b@example.com", "secret@example.com"])
    }

    @Test func veryLongLinesAreQuotedPrintableWithinLimits() throws {
        let long = String(repeating: "abcdefghij", count: 300)  // one 3000-character line
        let parsed = try ParsedEmail.parse(try render(MessageDraft(from: "a@example.com", to: "b@example.com", textBody: long + "\n. starts with a dot\ntrailing space \n")))
        #expect(parsed.leafParts[0].transfer_encoding == "quoted-printable")
        #expect(parsed.leafParts[0].text == long + "\n. starts with a dot\ntrailing space \n")
        #expect(parsed.max_line_length <= 78)
    }

    @Test func onlyHTMLMakesASingleHTMLPart() throws {
        let parsed = try ParsedEmail.parse(try render(MessageDraft(from: "a@example.com", to: "b@example.com", htmlBody: "<h1>Hi</h1>")))
        #expect(parsed.parts.map(\.content_type) == ["text/html"])
    }

    @Test func headersFoldAndLongASCIISubjectsSurvive() throws {
        let subject = (1...40).map { "word\($0)" }.joined(separator: " ")
        let recipients = (1...12).map { "Person Number \($0) <person\($0)@example.com>" }.joined(separator: ", ")
        let bytes = try render(MessageDraft(from: "a@example.com", to: recipients, subject: subject, textBody: "x", extraHeaders: ["X-Tracking: ünïcode value", "X-Plain: simple"]))
        let parsed = try ParsedEmail.parse(bytes)
        #expect(parsed.subject == subject)
        #expect(parsed.to?.count == 12)
        #expect(parsed.extra["X-Tracking"] == "ünïcode value")
        #expect(parsed.extra["X-Plain"] == "simple")
        #expect(parsed.max_line_length <= 78)
    }

    @Test func randomModeMakesUniqueMessageIDsAndBoundaries() throws {
        let draft = MessageDraft(from: "a@example.com", to: "b@example.com", textBody: "x", htmlBody: "<p>x</p>")
        let one = try ParsedEmail.parse(try render(draft, RenderOptions()))
        let two = try ParsedEmail.parse(try render(draft, RenderOptions()))
        #expect(one.message_id != two.message_id)
        #expect(one.message_id?.hasSuffix("@example.com>") == true)
        #expect(one.date != nil)
    }

    @Test func streamSizeIsExactForEveryShape() throws {
        let dir = TestPaths.temporaryDirectory()
        for size in [0, 1, 2, 56, 57, 58, 171, 100_000] {
            TestFiles.write(dir + "/f\(size)", Data(repeating: 0xAB, count: size))
            let message = try MessageDraft(from: "a@example.com", to: "b@example.com", textBody: "x",
                                           attachments: [AttachmentSpec(path: dir + "/f\(size)")]).validated()
            let stream = MessageRenderer().render(message)
            #expect(try stream.readAll().count == stream.totalSize, "size \(size)")
        }
    }

    @Test func smallReadsProduceTheSameBytes() throws {
        let dir = TestPaths.temporaryDirectory()
        TestFiles.write(dir + "/f", Data((0..<200_000).map { UInt8(truncatingIfNeeded: $0) }))
        let message = try MessageDraft(from: "a@example.com", to: "b@example.com", textBody: "x", attachments: [AttachmentSpec(path: dir + "/f")]).validated()
        let renderer = MessageRenderer(options: .deterministic)
        let whole = try renderer.render(message).readAll()
        let stream = renderer.render(message)
        var pieces: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 777)
        while true {
            let n = buffer.withUnsafeMutableBytes { stream.read(into: $0) }
            if n <= 0 { break }
            pieces += buffer[0..<n]
        }
        #expect(pieces == whole)
    }
}
