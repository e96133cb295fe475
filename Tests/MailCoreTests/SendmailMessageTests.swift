import Foundation
import MailCore
import Testing

/// What `mailtui sendmail` makes of its standard input: line ends, the lone dot, the recipients of
/// -t, Bcc taken out, the sender chosen, the headers added. Pure; the real binary against a real
/// server is in EndToEndTests/SendmailCommandTests.
@Suite struct SendmailMessageTests {
    static func read(_ text: String, ignoreDots: Bool = false, chunk: Int = 3, limit: Int = SendmailInput.defaultLimit) -> SendmailInput {
        var input = SendmailInput(ignoreDots: ignoreDots, limit: limit)
        let bytes = Array(text.utf8)
        var start = 0
        while start < bytes.count && input.wantsMore {
            input.feed(bytes[start..<min(bytes.count, start + chunk)])
            start += chunk
        }
        input.finish()
        return input
    }

    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    @Test func everyLineBreakBecomesCRLFAcrossChunks() {
        for chunk in [1, 2, 3, 64] {
            let input = Self.read("a\nb\r\nc\rd", chunk: chunk)
            #expect(Self.text(input.bytes) == "a\r\nb\r\nc\r\nd\r\n", "chunk \(chunk)")
            #expect(!input.ended)
        }
    }

    @Test func aLoneDotEndsTheMessageUnlessIgnored() {
        let ended = Self.read("Subject: x\n\none\n.\nafter\n")
        #expect(Self.text(ended.bytes) == "Subject: x\r\n\r\none\r\n")
        #expect(ended.ended)
        let kept = Self.read("Subject: x\n\none\n.\nafter\n", ignoreDots: true)
        #expect(Self.text(kept.bytes) == "Subject: x\r\n\r\none\r\n.\r\nafter\r\n")
        // Only a line of one dot: "..", ". " and ".x" are text.
        #expect(Self.text(Self.read("a\n..\n. \n.x\n").bytes) == "a\r\n..\r\n. \r\n.x\r\n")
        // A last line "." without a line break still ends it; CRLF ends count too.
        #expect(Self.text(Self.read("a\r\n.").bytes) == "a\r\n")
        #expect(Self.text(Self.read("a\r\n.\r\nb").bytes) == "a\r\n")
    }

    /// A NUL byte anywhere is binary, wherever a chunk cuts; the line and byte are named.
    @Test func aNULByteMakesTheInputNotText() {
        for chunk in [1, 2, 7, 64] {
            let input = Self.read("Subject: x\n\nline 3\r\nline\r4 \u{0}x\n", chunk: chunk)
            #expect(input.notText == .nul(line: 5, offset: 27), "chunk \(chunk)")
            #expect(input.notText?.description.contains("NUL byte (line 5, byte 28)") == true)
        }
        // After a lone dot the input is no longer the message.
        #expect(Self.read("Subject: x\n\nok\n.\n\u{0}\u{0}").notText == nil)
        #expect(Self.read("Subject: x\n\nok\n.\n\u{0}", ignoreDots: true).notText == .nul(line: 5, offset: 17))
    }

    /// What 8BITMIME takes is text: UTF-8 and Latin-1, lines far over 998 bytes, a bare CR, the
    /// escapes and backspaces of a job's output, a few stray controls. Many odd controls are not.
    @Test func textOf8BITMIMEIsNotRefusedButManyOddControlsAre() {
        var latin1 = SendmailInput(ignoreDots: false)
        latin1.feed(Array("Subject: x\n\nGr".utf8) + [0xFC, 0xDF, 0x65, 0x0A])
        latin1.finish()
        #expect(latin1.notText == nil)
        let long = "Subject: x\n\n" + String(repeating: "ü", count: 5000) + "\rbare CR\n"
        #expect(Self.read(long).notText == nil)
        #expect(Self.read("Subject: x\n\n\u{1B}[31mred\u{1B}[0m b\u{8}_ \u{C}\u{7}\u{E}\u{F}\n").notText == nil)
        let stray = "Subject: x\n\n" + String(repeating: "a few \u{1}\u{7F} in a text ", count: 7) + "\n"
        #expect(Self.read(stray).notText == nil, "14 odd controls: a text with stray ones")
        let binary = String(repeating: "\u{2}\u{3}\u{10}\u{1F}\u{7F}ab", count: 40)
        #expect(Self.read(binary).notText == .controls(count: 200, of: 280))
        let diluted = "Subject: x\n\n" + String(repeating: "x", count: 20_000) + String(repeating: "\u{2}", count: 100)
        #expect(Self.read(diluted).notText == nil, "100 in 20,000 bytes is under one in 64")
    }

    @Test func inputPastTheLimitIsRefusedNotKept() {
        let input = Self.read(String(repeating: "x", count: 100) + "\n", limit: 50)
        #expect(input.tooLarge)
        #expect(input.bytes.count == 50)
    }

    @Test func addressListsAsProgramsWriteThem() {
        let cases: [(String, [String])] = [
            ("a@example.com", ["a@example.com"]),
            ("Ann <a@example.com>, b@example.com", ["a@example.com", "b@example.com"]),
            ("\"Doe, Jane\" <j@example.com>", ["j@example.com"]),
            ("j@example.com (Jane, at work), k@example.com", ["j@example.com", "k@example.com"]),
            ("team: a@example.com, B <b@example.com>;, c@example.com", ["a@example.com", "b@example.com", "c@example.com"]),
            ("undisclosed-recipients:;", []),
            ("<@relay.example:x@example.com>", ["x@example.com"]),
            ("\"odd local\"@example.com", ["\"odd local\"@example.com"]),
            ("v6@[IPv6:::1]", ["v6@[IPv6:::1]"]),
            ("((nested) comment) n@example.com", ["n@example.com"]),
            ("", []),
        ]
        for (value, expected) in cases {
            #expect(HeaderAddresses.addresses(in: value) == expected, "\(value)")
        }
    }

    @Test func theHeaderIsReadWithItsFoldsAndWhereTheBodyStarts() {
        let bytes = Array("From mbox Tue\r\nTo: a@example.com,\r\n b@example.com\r\nSubject: hi\r\n\r\nbody\r\n".utf8)
        let header = RawHeader(parsing: bytes)
        #expect(header.droppedMboxLine)
        #expect(header.fields.map(\.name) == ["To", "Subject"])
        #expect(header.values("to") == ["a@example.com, b@example.com"])
        #expect(header.hadSeparator)
        #expect(Self.text(Array(bytes[header.bodyStart...])) == "body\r\n")
        // No empty line: the first line that is no field starts the body.
        let bare = RawHeader(parsing: Array("Subject: x\r\nnot a field\r\n".utf8))
        #expect(bare.fields.count == 1 && !bare.hadSeparator && bare.bodyStart == 12)
    }

    static let options = SendmailOptions(localSender: "cron@host.example", time: 1_700_000_000)

    /// A recipient argument holding a line break or an escape read as another recipient than the
    /// one typed (`c@y.test\r\nRCPT TO:<d@e.test>` went to d@e.test alone); now it is a usage error.
    @Test func aControlCharacterInAnArgumentIsRefusedNotGuessed() {
        let message = Array("Subject: s\r\n\r\nhello\r\n".utf8)
        for argument in ["c@y.test\r\nRCPT TO:<d@e.test>", "c@y.test\nX <d@e.test>", "\u{1B}[31m <d@e.test>", "c@y.test\t"] {
            var options = Self.options
            options.recipients = [argument]
            guard case .failure(let problem) = SendmailMessage.prepare(message, options) else {
                Issue.record("\(argument.debugDescription) was taken")
                continue
            }
            #expect(problem.kind == .usage && problem.reason.contains("control character") && !problem.reason.contains("\u{1B}"), "\(problem.reason)")
        }
        var options = Self.options
        options.recipients = ["b@y.test"]
        options.envelopeFrom = "a\u{1B}[31m@x.test"
        guard case .failure(let problem) = SendmailMessage.prepare(message, options) else { Issue.record("an escape in -f was taken"); return }
        #expect(problem.kind == .usage)
    }

    @Test func withTTheBccRecipientIsInTheEnvelopeAndNotInTheHeader() throws {
        let message = "From: App <app@example.com>\r\nTo: a@example.com\r\nBcc: hidden@example.com,\r\n also@example.com\r\nCc: c@example.com\r\nSubject: s\r\nDate: x\r\nMessage-ID: <m@x>\r\n\r\nbody\r\n"
        var options = Self.options
        options.readRecipients = true
        options.recipients = ["arg@example.com"]
        let out = try SendmailMessage.prepare(Array(message.utf8), options).get()
        #expect(out.recipients == ["arg@example.com", "a@example.com", "hidden@example.com", "also@example.com", "c@example.com"])
        #expect(Self.text(out.bytes) == "From: App <app@example.com>\r\nTo: a@example.com\r\nCc: c@example.com\r\nSubject: s\r\nDate: x\r\nMessage-ID: <m@x>\r\n\r\nbody\r\n")
        #expect(out.envelopeFrom == "app@example.com")
        #expect(out.summary.bcc == "hidden@example.com, also@example.com" && out.summary.subject == "s" && out.summary.textBody == "body\r\n")
        // Without -t, only the arguments; Bcc still goes.
        options.readRecipients = false
        let plain = try SendmailMessage.prepare(Array(message.utf8), options).get()
        #expect(plain.recipients == ["arg@example.com"])
        #expect(!Self.text(plain.bytes).contains("hidden@"))
    }

    @Test func theEnvelopeSenderIsFThenTheProfileThenFromThenTheUser() throws {
        let message = Array("From: Header <h@example.com>\r\n\r\nx\r\n".utf8)
        var options = Self.options
        options.recipients = ["a@example.com"]
        #expect(try SendmailMessage.prepare(message, options).get().envelopeFrom == "h@example.com")
        options.profileSender = "Profile <p@example.com>"
        #expect(try SendmailMessage.prepare(message, options).get().envelopeFrom == "p@example.com")
        options.envelopeFrom = "<f@example.com>"
        #expect(try SendmailMessage.prepare(message, options).get().envelopeFrom == "f@example.com")
        options.envelopeFrom = "<>"
        #expect(try SendmailMessage.prepare(message, options).get().envelopeFrom == "")
        options = Self.options
        options.recipients = ["a@example.com"]
        #expect(try SendmailMessage.prepare(Array("\r\nx\r\n".utf8), options).get().envelopeFrom == "cron@host.example")
        options.envelopeFrom = "not an address"
        let refused = SendmailMessage.prepare(message, options)
        #expect(refused.failureKind == .usage)
    }

    @Test func aMissingFromDateAndMessageIDAreAddedAndPresentOnesKept() throws {
        var options = Self.options
        options.recipients = ["a@example.com"]
        options.fullName = "Crön Daemon"
        let out = try SendmailMessage.prepare(Array("Subject: nightly\r\n\r\nok\r\n".utf8), options).get()
        let text = Self.text(out.bytes)
        #expect(text.hasPrefix("Subject: nightly\r\n") && text.hasSuffix("\r\n\r\nok\r\n"))
        #expect(text.contains("\r\nFrom: =?UTF-8?B?Q3LDtm4gRGFlbW9u?= <cron@host.example>\r\n"), "the -F name, encoded")
        #expect(text.contains("\r\nDate: Tue, 14 Nov 2023") || text.contains("\r\nDate: Wed, 15 Nov 2023"))
        #expect(text.contains("\r\nMessage-ID: <") && text.contains("@host.example>\r\n"))
        #expect(out.changes.count == 3)
        let whole = "From: a@example.com\r\nDate: x\r\nMessage-Id: <y@z>\r\n\r\nb\r\n"
        #expect(Self.text(try SendmailMessage.prepare(Array(whole.utf8), options).get().bytes) == whole)
        // A message with no header at all gets one, and the empty line before its body.
        let bodyOnly = Self.text(try SendmailMessage.prepare(Array("just text\r\n".utf8), options).get().bytes)
        #expect(bodyOnly.hasSuffix("\r\n\r\njust text\r\n") && bodyOnly.hasPrefix("From: "))
    }

    @Test func badAddressesAndNoRecipientsAreRefusedByKind() {
        var options = Self.options
        #expect(SendmailMessage.prepare(Array("To: a@example.com\r\n\r\n".utf8), options).failureKind == .usage)
        options.readRecipients = true
        #expect(SendmailMessage.prepare(Array("To: not an address\r\n\r\n".utf8), options).failureKind == .data)
        #expect(SendmailMessage.prepare(Array("Subject: none\r\n\r\n".utf8), options).failureKind == .usage)
        options.readRecipients = false
        options.recipients = ["bad@@example.com"]
        #expect(SendmailMessage.prepare(Array("\r\n".utf8), options).failureKind == .usage)
        options.recipients = ["a@example.com, A@EXAMPLE.COM", "b@example.com"]
        #expect((try? SendmailMessage.prepare(Array("\r\n".utf8), options).get().recipients) == ["a@example.com", "b@example.com"])
        options.fullName = "Evil\r\nBcc: x@example.com"
        #expect(SendmailMessage.prepare(Array("\r\n".utf8), options).failureKind == .usage)
    }

    @Test func hostileInputIsReadInLinearTime() {
        LinearReadingTests.expectLinear("header fields", sizes: [200_000, 400_000, 800_000], bound: 5) { size in
            let bytes = Array(String(repeating: "X-A: b\r\n", count: size / 8).utf8) + Array("\r\nbody\r\n".utf8)
            #expect(RawHeader(parsing: bytes).fields.count == size / 8)
        }
        LinearReadingTests.expectLinear("one folded To", sizes: [200_000, 400_000, 800_000], bound: 5) { size in
            var options = Self.options
            options.readRecipients = true
            let to = "To: " + String(repeating: "(c(c)) \"q,\" <a@example.com>,\r\n ", count: size / 32) + "b@example.com\r\n\r\n"
            #expect((try? SendmailMessage.prepare(Array(to.utf8), options).get().recipients.count) == 2)
        }
        LinearReadingTests.expectLinear("dots", sizes: [200_000, 400_000, 800_000], bound: 5) { size in
            #expect(!Self.read(String(repeating: "..\n", count: size / 3), chunk: 65_536).ended)
        }
    }
}

extension Result where Failure == SendmailProblem {
    var failureKind: SendmailProblem.Kind? {
        if case .failure(let problem) = self { return problem.kind }
        return nil
    }
}
