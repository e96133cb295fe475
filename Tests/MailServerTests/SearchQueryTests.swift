import Foundation
import MailCore
@testable import MailServer
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Mailpit's search syntax, read and matched: what `mailtui wait --query` uses now and the HTTP
/// API's search will. Pure: words in, terms out; a message's parts in, a verdict out.
@Suite struct SearchQueryTests {
    func terms(_ text: String) -> [SearchQuery.Term] { SearchQuery(text, utcOffsetSeconds: 0).terms }

    @Test func wordsPrefixesPhrasesAndNegation() {
        #expect(terms("from:app@example.com to:ada subject:reset") == [.init(.from("app@example.com")), .init(.to("ada")), .init(.subject("reset"))])
        #expect(terms("subject:\"Password reset\" \"your account\"") == [.init(.subject("Password reset")), .init(.text("your account"))])
        #expect(terms("-from:noreply !is:read welcome") == [.init(.from("noreply"), negated: true), .init(.isRead, negated: true), .init(.text("welcome"))])
        #expect(terms("IS:UNREAD has:attachments HAS:inline is:tagged tag:Urgent") == [
            .init(.isUnread), .init(.hasAttachment), .init(.hasInline), .init(.isTagged), .init(.tag("Urgent")),
        ])
        #expect(terms("cc:c bcc:b reply-to:r addressed:x message-id:abc@x") == [
            .init(.cc("c")), .init(.bcc("b")), .init(.replyTo("r")), .init(.addressed("x")), .init(.messageID("abc@x")),
        ])
        // A prefix with nothing after it, a lone "-", punctuation only: nothing to search for.
        #expect(terms("to: - ... \"\"").isEmpty)
        // Unknown prefixes are words, as in Mailpit.
        #expect(terms("foo:bar") == [.init(.text("foo:bar"))])
    }

    @Test func datesAndSizes() {
        #expect(terms("after:2024-05-01 before:2024-05-01T09:30:15Z") == [.init(.after(1_714_521_600)), .init(.before(1_714_555_815))])
        #expect(terms("after:2024-05-01T09:30+02:00") == [.init(.after(1_714_548_600))])
        #expect(terms("before:1714521600") == [.init(.before(1_714_521_600))])
        #expect(terms("larger:2kb smaller:1.5M larger:10") == [.init(.larger(2048)), .init(.smaller(1_572_864)), .init(.larger(10))])
        // A size that does not read is a word, as in Mailpit; a date that does not read is left out and said.
        #expect(terms("larger:huge") == [.init(.text("larger:huge"))])
        let bad = SearchQuery("after:tomorrow before:2024-13-01 subject:x", utcOffsetSeconds: 0)
        #expect(bad.terms == [.init(.subject("x"))])
        #expect(bad.ignored.count == 2 && bad.ignored[0].hasPrefix("after:tomorrow: not a date"))
    }

    @Test func aHugeQueryIsCutNotTrusted() {
        let query = SearchQuery(String(repeating: "word ", count: 10_000))
        #expect(query.terms.count == SearchQuery.maximumTerms)
        #expect(!query.ignored.isEmpty)
        #expect(SearchQuery(String(repeating: "x", count: 100_000)).terms == [.init(.text(String(repeating: "x", count: SearchQuery.maximumLength)))])
    }

    static let reset: [UInt8] = Array("""
        From: "Acme" <no-reply@acme.example>\r
        To: Ada <ada@example.com>\r
        Cc: audit@acme.example\r
        Reply-To: support@acme.example\r
        Subject: =?utf-8?q?Password_reset_f=C3=BCr_Ada?=\r
        Message-ID: <reset-42@acme.example>\r
        MIME-Version: 1.0\r
        Content-Type: multipart/mixed; boundary=b\r
        \r
        --b\r
        Content-Type: text/plain; charset=utf-8\r
        \r
        Follow https://acme.example/reset?token=abc123. It expires soon.\r
        --b\r
        Content-Type: application/pdf; name=terms.pdf\r
        Content-Disposition: attachment; filename=terms.pdf\r
        \r
        JVBERi0=\r
        --b--\r

        """.utf8)

    static func message(_ bytes: [UInt8] = reset, envelope: [String] = ["ada@example.com", "audit@acme.example", "hidden@example.com"],
                        time: Int = 1_714_521_700) -> SearchableMessage {
        SearchableMessage(parsing: MIMEPart(reading: bytes), envelope: envelope, time: time, size: bytes.count)
    }

    @Test func aMessageMatchesByEachPart() {
        let m = Self.message()
        func matches(_ text: String) -> Bool { SearchQuery(text, utcOffsetSeconds: 0).matches(m) }
        for yes in ["from:acme", "from:no-reply@acme.example", "to:ADA@example", "cc:audit", "bcc:hidden@example.com", "reply-to:support",
                    "addressed:support", "subject:\"password reset für\"", "message-id:reset-42", "has:attachment", "is:unread", "-is:read",
                    "token=abc123", "terms.pdf", "\"it expires\"", "after:2024-05-01", "before:2024-05-02", "larger:100", "smaller:1M",
                    "-has:inline", "-is:tagged", "-tag:x", "", "from:acme subject:reset -subject:invoice"] {
            #expect(matches(yes), "\(yes)")
        }
        for no in ["from:ada", "to:audit", "bcc:ada", "subject:invoice", "-has:attachment", "is:read", "has:inline", "is:tagged", "tag:x",
                   "nothing-like-this", "after:2024-05-02", "before:2024-04-30", "larger:1M", "smaller:10", "from:acme subject:invoice"] {
            #expect(!matches(no), "\(no)")
        }
        var read = m
        read.read = true
        read.tags = ["urgent"]
        #expect(SearchQuery("is:read tag:URGENT is:tagged").matches(read))
    }

    @Test func theFirstLinkOfTheTextElseOfTheHTML() {
        #expect(FirstLink.inText("Follow https://acme.example/reset?token=abc123. It expires.") == "https://acme.example/reset?token=abc123")
        #expect(FirstLink.inText("(see HTTP://x.example/a_(b))") == "HTTP://x.example/a_(b)")
        #expect(FirstLink.inText("<https://x.example/p>, then") == "https://x.example/p")
        #expect(FirstLink.inText("mailto:a@b and http:// alone") == nil)
        #expect(FirstLink.find(in: MIMEPart(reading: Self.reset)) == "https://acme.example/reset?token=abc123")
        let html = Array("Content-Type: text/html\r\n\r\n<p>Hi <a href=\"mailto:x@y\">us</a> <a href=\"https://acme.example/r?t=1&amp;u=2\">reset</a></p>\r\n".utf8)
        #expect(FirstLink.find(in: MIMEPart(reading: html)) == "https://acme.example/r?t=1&u=2")
    }

    @Test func hostileTextIsSearchedInLinearTime() {
        // Knuth-Morris-Pratt: "aaa…ab" in "aaa…a" would be quadratic with a naive search.
        let needle = String(repeating: "a", count: 2000) + "b"
        var times: [Double] = []
        for size in [250_000, 1_000_000] {
            var m = SearchableMessage()
            m.text = String(repeating: "a", count: size)
            let query = SearchQuery(terms: [.init(.text(needle))])
            var start = timespec(), end = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &start)
            #expect(!query.matches(m))
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &end)
            times.append(max(0.002, Double(end.tv_sec - start.tv_sec) + Double(end.tv_nsec - start.tv_nsec) / 1e9))
        }
        #expect(times[1] < 2, "\(times)")
        #expect(times[1] / times[0] < 12, "four times the text, about four times the time: \(times)")
        let link = String(repeating: "hhttp:/", count: 200_000)
        #expect(FirstLink.inText(link) == nil)
    }
}
