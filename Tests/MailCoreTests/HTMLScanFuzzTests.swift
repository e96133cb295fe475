import Foundation
import Testing
@testable import MailCore
import TestSupport

/// The HTML and CSS readers of `check-message` meet anyone's HTML: mutated, broken, hostile in
/// size. Nothing may trap, and the work must stay linear.
struct HTMLScanFuzzTests {
    static let seeds = [
        MessageCheckTests.goodHTML,
        "<a href='x'>unclosed <img src=\"y\" alt=a><style>@media (x) { a { color: red } </style><!-- <b> --><table role=presentation>",
        "<p style=\"color:#000;background:url(a.png);display:flex\">t</p><script>if (a < b) {}</script><font color=red>r</font>",
        "<html lang=en><body bgcolor=#fff><table><tr><td style=\"/* c */ color: red\">x</td></tr></table></body></html>",
    ]

    @Test func mutatedHTMLNeverTraps() {
        var fuzz = Fuzz(seed: 27)
        for round in 0..<3000 {
            let seed = Self.seeds[round % Self.seeds.count]
            var html = seed
            for _ in 0..<(1 + round % 5) { html = fuzz.mutate(html) }
            let scan = HTMLScan(html)
            #expect(scan.images.count <= HTMLScan.maximumListed && scan.links.count <= HTMLScan.maximumListed)
            _ = CanIEmail.used(by: scan)
            _ = HTMLChecks.darkMode(scan) + HTMLChecks.accessibility(scan) + HTMLChecks.links(scan, reachability: nil)
        }
        for round in 0..<300 {
            let bytes = fuzz.bytes(count: 1 + round * 7)
            _ = HTMLScan(String(decoding: bytes, as: UTF8.self))
            _ = CSSScan(bytes[...])
        }
    }

    /// Each hostile shape at 0.5 MB and 1 MB: the larger may take at most about twice as long
    /// (ratio under 4). How long 5 MB takes is a figure, printed by `CheckMessageBenchmarks`
    /// (bench/run.sh), never a time limit here, which a busy machine would break.
    @Test(arguments: [
        "<",                                  // a "<" that starts no tag, over and over
        "<a href=\"",                          // a quote that never closes
        "<!--x>",                              // comments that never close
        "<div style=\"color:red\">",           // 1M open elements, each with a colour
        "<style>a{color:red}",                 // style blocks with no end
        "<img src=\"http://e.com/p.gif\" width=1 height=1>", // 1M images
        "/*{;:",                               // CSS punctuation
        "<a href=x>click here",                // unclosed links
    ])
    func hostileHTMLStaysLinear(_ unit: String) {
        func time(_ megabytes: Double) -> Duration {
            let html = String(repeating: unit, count: Int(megabytes * 1_000_000) / unit.utf8.count)
            let message = Array(("From: a@example.com\r\nDate: x\r\nMessage-ID: <a@b>\r\nContent-Type: text/html\r\n\r\n" + html).utf8)
            let clock = ContinuousClock()
            let start = clock.now
            _ = MessageCheck(bytes: message).run()
            return clock.now - start
        }
        _ = time(0.1)
        let half = time(0.5)
        let full = time(1)
        #expect(full / half < 4, "0.5 MB: \(half), 1 MB: \(full)")
    }
}

/// Deeply nested HTML (a tester timed 40k nested `<div>` over 100 s in check-message): each shape at N and 2N
/// nesting levels, run through all of `check-message`'s checks but the spam score. The larger
/// may take at most about twice as long (ratio under 4, best of three), never an absolute time.
struct NestedHTMLLinearTests {
    /// Each shape: what opens one level, and what closes it (the closes after the innermost text).
    @Test(arguments: [
        ("<div>", "</div>"),
        ("<table><tr><td>", "</td></tr></table>"),
        ("<div style=\"color:red\">x", "</div>"),
        ("<div>\n", "</div>\n"),             // one element per line
        ("<div>", ""),                         // never closed
    ])
    func nestedHTMLStaysLinear(_ open: String, _ close: String) {
        func time(_ levels: Int) -> Duration {
            let html = String(repeating: open, count: levels) + "text" + String(repeating: close, count: levels)
            let message = Array(("From: a@example.com\r\nDate: x\r\nMessage-ID: <a@b>\r\nContent-Type: text/html\r\n\r\n" + html).utf8)
            let clock = ContinuousClock()
            let start = clock.now
            _ = MessageCheck(bytes: message).run()
            return clock.now - start
        }
        _ = time(1_000)
        // Best of three each: on a busy machine one run may be held up (4.04 was seen), while
        // quadratic work is four times slower every time.
        let single = (0..<3).map { _ in time(5_000) }.min()!
        let double = (0..<3).map { _ in time(10_000) }.min()!
        #expect(double / single < 4, "5,000 levels: \(single), 10,000 levels: \(double)")
    }
}

/// How deep the HTML nests decides whether SpamAssassin is asked at all (it takes minutes over
/// thousands of levels): real mail's nesting, and unclosed paragraphs, cells and list items, are
/// not "too deep".
struct HTMLNestingDepthTests {
    @Test func nestingPastTheBoundIsNotedButParagraphsAreNotLevels() {
        func nested(_ levels: Int) -> String { String(repeating: "<div>", count: levels) + "x" + String(repeating: "</div>", count: levels) }
        #expect(!HTMLScan(nested(HTMLScan.maximumDepth)).nestsTooDeep)
        #expect(HTMLScan(nested(HTMLScan.maximumDepth + 1)).nestsTooDeep)
        #expect(HTMLScan(String(repeating: "<div>x", count: 1000)).nestsTooDeep, "never closed: as deep as it opens")
        let newsletter = "<body>" + String(repeating: "<p>para", count: 1000) + "<ul>" + String(repeating: "<li>item", count: 1000) + "</ul>"
            + "<table>" + String(repeating: "<tr><td>a<td>b", count: 1000) + "</table></body>"
        #expect(!HTMLScan(newsletter).nestsTooDeep, "HTML lets these end tags out")
        #expect(!HTMLScan(String(repeating: "<br><img src=a.png>", count: 1000)).nestsTooDeep)
    }
}
