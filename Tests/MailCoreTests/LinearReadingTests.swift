import Crypto
import Foundation
@testable import MailCore
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Reading a caught message is reading outside input: hostile headers and HTML must take time in
/// proportion to their size. Each test grows the input and checks that four times the bytes take
/// well under sixteen times as long (quadratic work would), and that each size finishes within a
/// generous bound (a step over it fails at once, without trying the larger ones).
@Suite struct LinearReadingTests {
    /// The CPU time `work` takes on this thread: unlike the wall clock, it does not grow when
    /// other work on a busy machine takes the processor away in the middle (which hits a long
    /// run more often than a short one, and would look like superlinear time).
    static func seconds(_ work: () -> Void) -> Double {
        var start = timespec()
        var end = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &start)
        work()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &end)
        return Double(end.tv_sec - start.tv_sec) + Double(end.tv_nsec - start.tv_nsec) / 1e9
    }

    /// Times `work` at each size, best of three rounds (the sizes taken in turn, so that a busy
    /// moment of the machine falls on all of them); fails at once when a run takes over `bound`
    /// seconds, and when the largest size takes over `ratio` times the smallest (the sizes grow
    /// four times: linear work is about 4, quadratic 16).
    static func expectLinear(_ what: String, sizes: [Int], bound: Double, ratio: Double = 8, _ work: (Int) -> Void,
                             sourceLocation: SourceLocation = #_sourceLocation) {
        var times = sizes.map { _ in Double.infinity }
        for _ in 0..<3 {
            for (index, size) in sizes.enumerated() {
                let time = seconds { work(size) }
                guard time < bound else {
                    Issue.record("\(what): \(size) bytes took \(time) s, over \(bound) s", sourceLocation: sourceLocation)
                    return
                }
                times[index] = min(times[index], time)
            }
        }
        // A floor of a few milliseconds, so that noise on a tiny first size cannot fail it.
        let growth = times.last! / max(times.first!, 0.005)
        #expect(growth < ratio, "\(what): \(sizes) took \(times) s", sourceLocation: sourceLocation)
    }

    @Test func anEncodedWordFloodDecodesInLinearTime() {
        // The attack: "=?a?b?c" over and over; each looked like the start of an encoded word whose
        // end was searched for up to the end of the value.
        Self.expectLinear("=?a?b?c", sizes: [16_000, 32_000, 64_000], bound: 2) { size in
            let value = String(repeating: "=?a?b?c", count: size / 7)
            #expect(EncodedWords.decode(value) == value)
        }
        Self.expectLinear("=?a?q?x?", sizes: [16_000, 32_000, 64_000], bound: 2) { size in
            _ = EncodedWords.decode(String(repeating: "=?a?q?x?", count: size / 8))
        }
        Self.expectLinear("words", sizes: [16_000, 32_000, 64_000], bound: 2) { size in
            let value = String(repeating: "=?utf-8?q?caf=C3=A9?= ", count: size / 22)
            #expect(EncodedWords.decode(value).hasPrefix("cafécafé"))
        }
    }

    /// A folded Subject of a megabyte: sizes grow to it, each within a bound, so that a slow
    /// reader fails at a small size instead of running for hours.
    @Test func aMegabyteFoldedSubjectOpens() {
        for word in ["=?a?b?c", "=?utf-8?B?w6k=?="] {
            for (size, bound) in [(16_000, 3.0), (128_000, 10.0), (1_000_000, 30.0)] {
                var header = "From: a@example.com\r\nSubject:"
                while header.utf8.count < size { header += " " + String(repeating: word, count: 10) + "\r\n" }
                let bytes = Array((header + "\r\nbody\r\n").utf8)
                let elapsed = Self.seconds {
                    let message = CapturedMessage(bytes: bytes, envelopeFrom: "a@example.com")
                    #expect(message.text == ["body"])
                    #expect(message.headers.contains { $0.hasPrefix("Subject: ") })
                }
                guard elapsed < bound else {
                    Issue.record("\(word): a \(size)-byte Subject took \(elapsed) s, over \(bound) s")
                    break
                }
            }
        }
    }

    @Test func htmlCommentsReadInLinearTime() {
        Self.expectLinear("<!--x>", sizes: [50_000, 100_000, 200_000], bound: 10, ratio: 6) { size in
            let html = "<p>before</p>" + String(repeating: "<!--x>", count: size / 6) + "<p>after</p>"
            #expect(HTMLText(html).lines == ["before", "", "after"])
        }
    }

    /// The HTML tab and the checks (which look for http:// links) used to read the HTML each: a
    /// message's reading now costs one reading of its HTML and the rest (about 1.5 of it here),
    /// where two readings and the rest came to about 2.5.
    @Test func htmlIsReadOnceForTheViewAndTheChecks() {
        let html = String(repeating: "<p><a href=http://example.com/x>link</a> &amp; text", count: 4_000)
        let bytes = Array("From: a@example.com\r\nContent-Type: text/html\r\n\r\n\(html)\r\n".utf8)
        var parsing = Double.infinity
        var reading = Double.infinity
        for _ in 0..<3 {
            parsing = min(parsing, Self.seconds { _ = HTMLText(html) })
            reading = min(reading, Self.seconds {
                let message = CapturedMessage(bytes: bytes, envelopeFrom: "a@example.com")
                #expect(message.checks.contains { $0.hasPrefix("4000 http:// links in the HTML") })
            })
        }
        #expect(reading < 2 * parsing, "HTML alone \(parsing) s, the whole message \(reading) s")
    }

    @Test func hostileHTMLReadsInLinearTime() {
        let cases: [(String, (Int) -> String)] = [
            ("unclosed tags", { String(repeating: "<a href=\"x", count: $0 / 10) }),
            ("< floods", { String(repeating: "<", count: $0) }),
            ("< floods with text", { String(repeating: "< a", count: $0 / 3) + ">" }),
            ("deep nesting", { String(repeating: "<div><b>", count: $0 / 8) + "x" + String(repeating: "</b></div>", count: $0 / 10) }),
            ("links", { String(repeating: "<a href=http://x>y</a>", count: $0 / 22) }),
            ("entities", { String(repeating: "&&#x;&amp", count: $0 / 9) }),
            ("unclosed script", { "<script>" + String(repeating: "<b>", count: $0 / 3) }),
            ("attribute names", { "<a " + String(repeating: "href", count: $0 / 4) + ">" }),
        ]
        for (what, make) in cases {
            Self.expectLinear(what, sizes: [100_000, 200_000, 400_000], bound: 10) { size in _ = HTMLText(make(size)) }
        }
        // 20,000 levels of nesting read without recursion.
        let deep = String(repeating: "<div><blockquote>", count: 20_000) + "deep" + String(repeating: "</blockquote></div>", count: 20_000)
        #expect(HTMLText(deep).lines == ["deep"])
    }

    /// Choosing the fields that h= names looked through every field for each name; a header of
    /// many fields signed many times over took minutes.
    @Test func dkimHeaderSelectionIsLinear() throws {
        let body = Array("x\r\n".utf8)
        let bh = Data(SHA256.hash(data: body)).base64EncodedString()
        let key = Curve25519.Signing.PrivateKey()
        struct Keys: DNSResolving {
            let record: String
            func query(_ name: String, _ type: DNSType) -> DNSAnswer { .records([DNSRecord(name: name, type: 16, data: .text([record]))]) }
        }
        let dns = Keys(record: "v=DKIM1; k=ed25519; p=" + key.publicKey.rawRepresentation.base64EncodedString())
        let names = ["from", "to", "subject", "date"] + (0..<96).map { "x-\($0 % 8)" }
        func message(fields: Int, signed: Bool, names: [String] = names) -> [UInt8] {
            var header = "From: a@example.com\r\nTo: b@example.com\r\nSubject: s\r\n"
            header.reserveCapacity(fields * 12)
            for index in 0..<fields { header += "X-\(index % 8): \(index)\r\n" }
            if signed {
                header += "DKIM-Signature: v=1; a=ed25519-sha256; c=relaxed/simple; d=example.com; s=s; h=\(names.joined(separator: ":")); bh=\(bh); b=AAAA\r\n"
            }
            return Array((header + "\r\n").utf8) + body
        }
        let small = message(fields: 20_000, signed: true)
        guard case .fail(let why) = DKIMVerifier(dns: dns).verify(small) else { Issue.record("the signature should fail"); return }
        #expect(why.contains("does not verify"), "the header hash was computed: \(why)")
        // Reading the header once versus checking 100 h= entries against it: each entry used to
        // cost a pass over every field. Best of three, taken in turn.
        for fields in [20_000, 80_000] {
            let signed = message(fields: fields, signed: true)
            let unsigned = message(fields: fields, signed: false)
            var reading = Double.infinity
            var verifying = Double.infinity
            for _ in 0..<3 {
                reading = min(reading, Self.seconds { _ = DKIMVerifier(dns: dns).verify(unsigned) })
                verifying = min(verifying, Self.seconds { _ = DKIMVerifier(dns: dns).verify(signed) })
                if verifying > 10 * max(reading, 0.001) && verifying > 1 { break }
            }
            #expect(verifying < 10 * max(reading, 0.001), "\(fields) fields: reading \(reading) s, verifying \(verifying) s")
        }
        // The attack: every field signed, so h= as long as the header.
        let fields = 20_000
        let everyField = ["from"] + (0..<fields).map { "x-\($0 % 8)" }
        let reading = Self.seconds { _ = DKIMVerifier(dns: dns).verify(message(fields: fields, signed: false)) }
        let verifying = Self.seconds { _ = DKIMVerifier(dns: dns).verify(message(fields: fields, signed: true, names: everyField)) }
        #expect(verifying < 10 * max(reading, 0.001), "h= of \(everyField.count) entries: reading \(reading) s, verifying \(verifying) s")
    }
}
