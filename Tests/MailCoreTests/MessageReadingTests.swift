import Foundation
import MailCore
import Testing
import TestSupport

/// Reading captured mail back (the inbox's views): what our renderer writes must read back as it
/// was written, HTML must read as text, the checks must each fire, and no bytes may trap.
@Suite struct MessageReadingTests {
    private func rendered(_ draft: MessageDraft) throws -> [UInt8] {
        try MessageRenderer(options: .deterministic).render(draft.validated()).readAll()
    }

    @Test func whatOurRendererWritesReadsBackAsItWasWritten() throws {
        let dir = TestPaths.temporaryDirectory("mailtui-read")
        let pdf = Array("%PDF-1.7\n".utf8) + (0..<70_000).map { UInt8($0 % 251) }
        try Data(pdf).write(to: URL(fileURLWithPath: dir + "/Bericht über Q3.pdf"))
        let text = "Grüße aus Köln,\nline two with a tab\there\n.a dot line\n"
        let bytes = try rendered(MessageDraft(from: "Jörg <a@example.com>", to: "b@example.com", subject: "Größe ✓ report",
                                              textBody: text, htmlBody: "<p>Hello <a href=\"https://example.com/x?a=1&amp;b=2\">there</a></p>",
                                              attachments: [AttachmentSpec(path: dir + "/Bericht über Q3.pdf")]))
        let message = CapturedMessage(bytes: bytes, envelopeFrom: "a@example.com")
        #expect(message.textBody == text.replacingOccurrences(of: "\n", with: "\r\n"))
        #expect(message.text.contains("Grüße aus Köln,"))
        #expect(message.html == ["Hello there [1]", "", "[1] https://example.com/x?a=1&b=2"])
        #expect(message.headers.contains("Subject: Größe ✓ report"))
        #expect(message.headers.contains("From: Jörg <a@example.com>"))
        let attachment = try #require(message.attachments.first)
        #expect(attachment.name == "Bericht über Q3.pdf" && attachment.mediaType == "application/pdf" && attachment.size == pdf.count)
        #expect(CapturedMessage.attachmentBytes(bytes, path: attachment.path) == pdf)
        #expect(message.structure.first?.hasPrefix("multipart/mixed") == true)
        #expect(message.structure.contains { $0.hasPrefix("    text/plain, charset=utf-8, quoted-printable") })
        #expect(message.structure.contains { $0.contains("application/pdf, base64, 68.4 KiB, \"Bericht über Q3.pdf\", attachment") })
        #expect(message.checks == [], "a message mailtui writes passes its own checks")
    }

    @Test func htmlReadsAsText() {
        let html = """
        <html><head><title>T</title><style>p { color: red }</style></head><body>
        <h1>Reset&nbsp;your password</h1><!-- a <b>comment</b> --><script>alert("x")</script>
        <p>Click <a href='http://example.com/r?t=1'>here</a> or
        <a href="https://example.com/help">get help</a>.</p><ul><li>one</li><li>two &amp; three &#233; &#x263A;</li></ul>
        <img src="x.png" alt="logo"></body></html>
        """
        let read = HTMLText(html)
        #expect(read.lines == ["Reset your password", "", "Click here [1] or get help [2].", "", "• one", "• two & three é ☺", "[image: logo]",
                               "", "[1] http://example.com/r?t=1", "[2] https://example.com/help"])
    }

    @Test func eachCheckFires() {
        let long = String(repeating: "x", count: 1200)
        let raw = Array("""
        From: App <noreply@other.example>\r
        Subject: Grüße\r
        Content-Type: multipart/mixed; boundary="b"\r
        \r
        --b\r
        Content-Type: text/html; charset=utf-8\r
        \r
        <a href="http://example.com">x</a> \(long)\r
        --b\r
        Content-Type: image/png; name="photo.png"\r
        Content-Transfer-Encoding: base64\r
        \r
        JVBERi0xLjcK\r
        --b--\r

        """.utf8)
        let checks = MessageChecks.findings(MIMEPart(reading: raw), raw: raw, envelopeFrom: "bounce@app.example")
        let expected = ["No Date header", "No Message-ID header", "differs from the envelope sender's", "HTML without a text part",
                        "A line of 1235 octets", "Raw 8-bit bytes in the header", "photo.png is declared image/png but its content is application/pdf",
                        "1 http:// link"]
        for fragment in expected { #expect(checks.contains { $0.contains(fragment) }, "\(fragment) in \(checks.joined(separator: " | "))") }
        #expect(checks.count == expected.count)
        let big = Array("Date: x\r\nMessage-ID: <a@b>\r\n\r\n".utf8) + [UInt8](repeating: 65, count: 26_000_000)
        #expect(MessageChecks.findings(MIMEPart(reading: big), raw: big, envelopeFrom: nil).contains { $0.contains("over Gmail's limit of 25 MB") })
    }

    @Test func encodedWordsAndParametersAreDecoded() {
        #expect(EncodedWords.decode("=?utf-8?B?R3LDvMOfZQ==?= =?ISO-8859-1?Q?K=F6ln_und?= more") == "GrüßeKöln und more")
        #expect(EncodedWords.decode("=?utf-8?X?bad?= and =?broken") == "=?utf-8?X?bad?= and =?broken")
        let part = MIMEPart(reading: Array("Content-Type: application/pdf; name*0=\"long \"; name*1=\"name.pdf\"\r\nContent-Disposition: attachment; filename*=UTF-8''%E2%9C%93.pdf\r\n\r\nx".utf8))
        #expect(part.fileName == "✓.pdf")
        #expect(part.parameters["name"] == "long name.pdf")
    }

    /// Outside input: mangled messages and random bytes must read without trapping, and what is
    /// shown must carry no terminal controls.
    @Test func noBytesTrapAndNothingShownControlsTheTerminal() throws {
        let seed = String(decoding: try rendered(MessageDraft(from: "a@example.com", to: "b@example.com", subject: "s", textBody: "t\u{1B}[2J",
                                                              htmlBody: "<b>h</b>")), as: UTF8.self)
        var fuzz = Fuzz(seed: 0x5EAD)
        for round in 0..<400 {
            let bytes = round % 4 == 0 ? fuzz.bytes(count: Int.random(in: 0...600, using: &fuzz)) : Array(fuzz.mutate(seed).utf8)
            let message = CapturedMessage(bytes: bytes, envelopeFrom: fuzz.mutate("a@b"))
            for line in message.text + message.html + message.headers + message.structure + message.raw + message.checks {
                #expect(!line.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F || (0x80...0x9F).contains($0.value) }, "\(line)")
            }
            for attachment in message.attachments { _ = CapturedMessage.attachmentBytes(bytes, path: attachment.path) }
        }
        // Nesting as deep as anyone likes stops at the limit.
        var nested = "x"
        for level in 0..<200 { nested = "Content-Type: multipart/mixed; boundary=q\(level)\r\n\r\n--q\(level)\r\n" + nested + "\r\n--q\(level)--\r\n" }
        #expect(MIMEPart(reading: Array(nested.utf8)).walk().count <= MIMEPart.maximumDepth + 2)
    }
}
