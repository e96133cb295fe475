import Foundation
import MailCore
@testable import MailServer
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A search that cannot mean what was typed (a quote left open, nothing but punctuation) once
/// matched every message: `wait` returned at once with the wrong mail and `DELETE /search`
/// emptied the inbox. It is refused now, with the reason, and matches nothing.
@Suite struct SearchQueryProblemTests {
    static let refused = ["subject:\"Reset", "\"", "(", "subject:\"", "after:tomorrow", "-", "from:\"a b\" \"x"]

    @Test func anUnbalancedOrMeaninglessQueryMatchesNothing() {
        let message = SearchQueryTests.message()
        for text in Self.refused {
            #expect(!SearchQuery(text, utcOffsetSeconds: 0).matches(message), "\(text)")
        }
        // Blank is no search at all (wait: any message), and balanced quotes are phrases.
        #expect(SearchQuery("", utcOffsetSeconds: 0).matches(message))
        #expect(SearchQuery("  ", utcOffsetSeconds: 0).matches(message))
        #expect(SearchQuery("subject:\"Password reset\"", utcOffsetSeconds: 0).matches(message))
        #expect(SearchQuery("subject:reset (", utcOffsetSeconds: 0).matches(message))
    }

    @Test func theAPIAnswers400AndGoesOn() throws {
        let folder = APITests.Folder()
        folder.store("Subject: Welcome\n\nhi\n")
        let responder = APIResponder(directory: folder.path)
        let api = APITests()
        for target in ["/api/v1/search?query=subject%3A%22Reset", "/api/v1/search?query=%22", "/api/v1/search?query=%28",
                       "/api/v1/wait?query=%22&timeout=0"] {
            let answer = api.answer(responder, "GET", target)
            #expect(answer.status == 400, "\(target)")
        }
        #expect(api.answer(responder, "DELETE", "/api/v1/search?query=%22").status == 400)
        #expect(try api.object(api.answer(responder, "GET", "/api/v1/messages"))["total"] as? Int == 1)
        #expect(try api.object(api.answer(responder, "GET", "/api/v1/search?query=welcome"))["messages_count"] as? Int == 1)
    }
}

/// A word left out widens a search: `subject:keep before:2000-02-30T25:00` deleted every
/// `subject:keep` message through `DELETE /api/v1/search`, and `?mailbox=` with nothing after it
/// (an unset `$PROJECT`) deleted every mailbox's mail. A size past `Int` crashed the server.
@Suite struct SearchQueryWideningTests {
    @Test func aWordThatMeansNothingRefusesTheQuery() {
        let message = SearchQueryTests.message()
        for text in ["subject:reset before:2000-02-30T25:00", "subject:reset after:2099-13-01", "reset after:soon"] {
            let query = SearchQuery(text, utcOffsetSeconds: 0)
            #expect(query.problem != nil && !query.matches(message), "\(text)")
        }
        let many = (1...65).map { "w\($0)" }.joined(separator: " ")
        #expect(SearchQuery(many, utcOffsetSeconds: 0).problem != nil)
        // Punctuation alone is still left out, as Mailpit leaves it, when something else searches.
        #expect(SearchQuery("subject:reset (", utcOffsetSeconds: 0).problem == nil)
    }

    @Test func aSizePastIntIsLargerThanAnyMessage() {
        let message = SearchQueryTests.message()
        for text in ["larger:99999999999999m", "larger:999999999999999999m", "smaller:9999999999999999k", "larger:99999999999999999k"] {
            let query = SearchQuery(text, utcOffsetSeconds: 0)
            #expect(query.problem == nil, "\(text)")
        }
        #expect(!SearchQuery("larger:99999999999999m", utcOffsetSeconds: 0).matches(message))
        #expect(SearchQuery("smaller:99999999999999m", utcOffsetSeconds: 0).matches(message))
    }

    @Test func theAPIRefusesAWidenedDeletionAndAnEmptyMailbox() throws {
        let folder = APITests.Folder()
        folder.store("Subject: keep\n\nhi\n")
        folder.store("Subject: keep too\n\nhi\n")
        let responder = APIResponder(directory: folder.path)
        let api = APITests()
        #expect(api.answer(responder, "DELETE", "/api/v1/search?query=subject%3Akeep%20before%3A2000-02-30T25%3A00").status == 400)
        #expect(api.answer(responder, "DELETE", "/api/v1/messages?mailbox=", body: "{}").status == 400)
        #expect(api.answer(responder, "GET", "/api/v1/messages?mailbox=").status == 400)
        #expect(api.answer(responder, "GET", "/api/v1/search?query=larger%3A99999999999999m").status == 200)
        #expect(try api.object(api.answer(responder, "GET", "/api/v1/messages"))["total"] as? Int == 2)
    }
}

/// The parser meets whatever an HTTP client sends: random bytes and hostile sizes neither crash
/// it nor take more than time in proportion to what it reads.
@Suite struct SearchQueryFuzzTests {
    @Test func randomInputNeverCrashesAndAProblemNeverMatches() {
        var random = SplitMix64(seed: 26)
        let alphabet = Array("\"()-!: \t\nab:subject:from:to:is:read\u{0}\u{FEFF}é🙂".unicodeScalars)
        let message = SearchQueryTests.message()
        for round in 0..<3000 {
            let length = Int(random.next() % 64)
            var text = ""
            if round % 2 == 0 {
                let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
                text = String(decoding: bytes, as: UTF8.self)
            } else {
                for _ in 0..<length { text.unicodeScalars.append(alphabet[Int(random.next() % UInt64(alphabet.count))]) }
            }
            let query = SearchQuery(text, utcOffsetSeconds: 0)
            if query.problem != nil { #expect(!query.matches(message), "\(text.debugDescription)") }
            #expect(query.terms.count <= SearchQuery.maximumTerms)
        }
    }

    @Test func parsingTakesTimeInProportionToTheQuery() {
        func cpuTime(_ text: String) -> Double {
            var start = timespec(), end = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &start)
            for _ in 0..<40 { _ = SearchQuery(text, utcOffsetSeconds: 0) }
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &end)
            return max(0.002, Double(end.tv_sec - start.tv_sec) + Double(end.tv_nsec - start.tv_nsec) / 1e9)
        }
        // Quotes, words and prefixes mixed, below the cap so that the whole text is read.
        let unit = "subject:\"a b\" -from:x ( \" "
        let small = String(repeating: unit, count: 1000 / unit.count * 2)
        let large = String(repeating: unit, count: 1000 / unit.count * 4)
        let times = [cpuTime(small), cpuTime(large)]
        #expect(times[1] / times[0] < 4, "twice the query, about twice the time: \(times)")
        // Far past the cap: cut, so a megabyte costs what the cap does.
        let huge = String(repeating: "\"(", count: 500_000)
        #expect(cpuTime(huge) < 5)
        #expect(SearchQuery(huge).problem != nil)
    }
}
