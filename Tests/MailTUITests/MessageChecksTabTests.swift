import Foundation
import Synchronization
import Testing
@testable import MailTUI
@testable import MailCore
import MailServer

/// The message view's Checks tab (issue 27): `check-message`'s checks of a caught message, run in
/// the background after the message is shown, counted in the line above the tabs, kept with the
/// message, and escaped for the terminal.
@Suite struct MessageChecksTabTests {
    /// A newsletter with a hostile List-Unsubscribe (an ESC in its URI) and an HTML part with an
    /// image over http: and no alt.
    static let newsletter = Array("""
    From: News <news@shop.example>\r
    To: ada@example.org\r
    Subject: Our news\r
    Date: Mon, 30 Nov 2026 10:00:00 +0000\r
    Message-ID: <1@shop.example>\r
    List-Unsubscribe: <ftp://shop.example/\u{1B}[31mred>\r
    MIME-Version: 1.0\r
    Content-Type: multipart/alternative; boundary="a"\r
    \r
    --a\r
    Content-Type: text/plain; charset=utf-8\r
    \r
    News of the week.\r
    --a\r
    Content-Type: text/html; charset=utf-8\r
    \r
    <html><body><p>News of the week.</p><img src="http://shop.example/a.png"></body></html>\r
    --a--\r

    """.utf8)

    static func opened(_ id: String = "7") -> (AppState, StoredMessage) {
        let record = HostileInboxTests.message(id, subject: "Our news")
        var s = HostileInboxTests.inbox([record])
        #expect(s.update(.key(.enter)) == [.readCaptured(record)])
        _ = s.update(.capturedRead(id: id, content: CapturedMessage(bytes: newsletter, envelopeFrom: record.from), problem: nil))
        return (s, record)
    }

    static func checks(_ bytes: [UInt8] = newsletter, from: String? = "news@shop.example") -> CaughtMessageChecks {
        CaughtMessageChecks.run(bytes, envelopeFrom: from, dns: nil)
    }

    @Test func theChecksArriveAfterTheMessageAndAreCountedAboveTheTabs() throws {
        var (s, record) = Self.opened()
        var screen = Renderer.render(s)
        #expect(screen.row(1).hasPrefix(" 7 Checks: checking… ·"), "\(screen.row(1))")
        _ = s.update(.key(.character("7")))
        #expect(Renderer.render(s).text.contains("Checking… (bulk-sender rules"))

        let checks = Self.checks()
        #expect(checks.problems > 0 && checks.warnings > 0, "\(checks.findings)")
        _ = s.update(.messageChecked(id: record.id, checks: checks))
        screen = Renderer.render(s)
        let counts = " 7 Checks: \(checks.problems) problem\(checks.problems == 1 ? "" : "s"), \(checks.warnings) warning\(checks.warnings == 1 ? "" : "s") ·"
        #expect(screen.row(1).hasPrefix(counts), "\(screen.row(1))")
        let text = screen.text
        for words in ["DNS off: the checks ran offline", "Spam score: not asked here", "Bulk-sender rules (Gmail, Yahoo)  PROBLEM",
                      "✗ List-Unsubscribe has no https: URI", "→ Add an https: URI"] {
            #expect(text.contains(words), "\(words):\n\(text)")
        }
        // Further down the tab, past the screen's end (End shows it).
        _ = s.update(.key(.end))
        let end = Renderer.render(s).text
        #expect(end.contains("Links and images  WARNING") && end.contains("→ Serve images over https:."), "\(end)")
        // Kept with the message: opened again, no read starts and the checks are there.
        _ = s.update(.key(.escape))
        #expect(s.update(.key(.enter)) == [])
        #expect(Renderer.render(s).row(1).hasPrefix(counts))
    }

    @Test func theChecksOfAnotherMessageStayWithIt() {
        var (s, _) = Self.opened()
        _ = s.update(.messageChecked(id: "other", checks: Self.checks()))
        #expect(Renderer.render(s).row(1).hasPrefix(" 7 Checks: checking…"))
        #expect(s.readMessages.checks["other"] == nil, "a message not read is not kept")
    }

    @Test func controlCharactersFromTheMessageAreShownEscaped() throws {
        var (s, record) = Self.opened()
        _ = s.update(.messageChecked(id: record.id, checks: Self.checks()))
        _ = s.update(.key(.character("7")))
        let screen = Renderer.render(s)
        #expect(screen.text.contains("ftp://shop.example/^[[31mred"), "\(screen.text)")
        #expect(!screen.text.unicodeScalars.contains { $0.value == 0x1B })
    }

    @Test func aCleanMessageSaysNoProblemsInTheColourOfSuccess() {
        let clean = CaughtMessageChecks(findings: [.init(.bulkRules, .ok, "A Date header.")], dns: "the DNS server 127.0.0.1:53")
        #expect(clean.summary == "7 Checks: no problems")
        #expect(clean.lines.first?.hasPrefix("DNS: the DNS server 127.0.0.1:53 was asked") == true)
        #expect(clean.lines.last == "No problems found.")
    }

    /// 5 MB of HTML with 100,000 links and images: the checks run off the UI thread, and what the
    /// screen keeps of them is a few lines, so drawing the tab stays as cheap as for a small one.
    @Test func aFiveMegabyteHTMLMessageGivesAShortTab() throws {
        let piece = "<p style=\"color:#333\">Item <a href=\"https://shop.example/i\">x</a><img src=\"http://shop.example/p.png\"></p>\n"
        let html = String(repeating: piece, count: 5_000_000 / piece.utf8.count)
        let bytes = Array(("From: a@shop.example\r\nTo: b@example.org\r\nSubject: Big\r\nContent-Type: text/html\r\n\r\n" + html).utf8)
        let started = ContinuousClock.now
        let checks = Self.checks(bytes)
        #expect(ContinuousClock.now - started < .seconds(60), "bounded, generously")
        #expect(checks.lines.count < 200 && checks.lines.allSatisfy { $0.count <= 4000 }, "\(checks.lines.count) lines")

        var s = HostileInboxTests.inbox([HostileInboxTests.message("9", subject: "Big")])
        _ = s.update(.key(.enter))
        _ = s.update(.capturedRead(id: "9", content: CapturedMessage(bytes: bytes, envelopeFrom: "a@shop.example"), problem: nil))
        _ = s.update(.messageChecked(id: "9", checks: checks))
        _ = s.update(.key(.character("7")))
        let drawing = ContinuousClock.now
        for _ in 0..<10 { _ = Renderer.render(s) }
        #expect(ContinuousClock.now - drawing < .seconds(2), "ten frames of the Checks tab")
        #expect(Renderer.render(s).text.contains("Client support (caniemail)"))
    }

    /// A resolver that counts what it is asked.
    final class Counting: DNSResolving {
        let asked = Mutex(0)
        func query(_ name: String, _ type: DNSType) -> DNSAnswer {
            asked.withLock { $0 += 1 }
            return .failure("no DNS here")
        }
    }

    @Test func noLookupStartsAfterTheDeadline() {
        let base = Counting()
        let late = DeadlineResolver(base: base, deadline: ContinuousClock.now - .seconds(1))
        guard case .failure(let why) = late.waitingAtMost(seconds: 6).query("_dmarc.shop.example", .txt) else {
            Issue.record("answered after the deadline")
            return
        }
        #expect(why.contains("no time left") && base.asked.withLock { $0 } == 0)
        let early = DeadlineResolver(base: base, deadline: ContinuousClock.now + .seconds(60))
        _ = early.query("_dmarc.shop.example", .txt)
        #expect(base.asked.withLock { $0 } == 1)
    }
}
