import Foundation
import Testing
@testable import MailCore
@testable import MailClient

/// The load run's summary: rate, percentiles, replies by code, failures by stage.
@Suite struct LoadSummaryTests {
    /// The record as `send --count N --json` prints it: sorted camelCase keys.
    static func json(_ summary: LoadSummary) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(summary.record)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    @Test func figuresComeFromTheOutcomes() {
        var outcomes = (1...97).map { LoadOutcome(number: $0, latency: .milliseconds($0), code: 250, failedStage: nil, example: nil) }
        outcomes.append(LoadOutcome(number: 98, latency: .milliseconds(500), code: 550, failedStage: .rcpt, example: "550 5.1.1 No such user"))
        outcomes.append(LoadOutcome(number: 99, latency: .milliseconds(2), code: 550, failedStage: .rcpt, example: "550 5.1.1 again"))
        outcomes.append(LoadOutcome(number: 100, latency: .milliseconds(1), code: nil, failedStage: .data, example: "the connection failed"))
        let summary = LoadSummary(outcomes: outcomes, elapsed: .seconds(2))
        #expect(summary.delivered == 97 && summary.failed == 3)
        #expect(summary.messagesPerSecond == 48.5)
        #expect(summary.p50 == .milliseconds(48) && summary.p90 == .milliseconds(88) && summary.p99 == .milliseconds(97))
        #expect(summary.slowest == .milliseconds(500))
        #expect(summary.codes == [250: 97, 550: 2, 0: 1])
        #expect(summary.failures.map(\.stage) == [.rcpt, .data] && summary.failures[0].count == 2 && summary.failures[0].example == "550 5.1.1 No such user")
        #expect(summary.lines[0] == "97 delivered, 3 failed in 2000 ms: 49 messages per second" || summary.lines[0] == "97 delivered, 3 failed in 2000 ms: 48 messages per second")
        #expect(summary.lines.contains("failed at RCPT TO: 2 (550: 2), e.g. 550 5.1.1 No such user"), "\(summary.lines)")
        #expect(summary.lines.contains("failed at DATA: 1 (none: 1), e.g. the connection failed"), "\(summary.lines)")
        #expect(Self.json(summary).contains("{\"codes\":{\"550\":2},\"count\":2,"), "\(Self.json(summary))")
        #expect(Self.json(summary).contains("\"codes\":{\"none\":1}"), "\(Self.json(summary))")
        #expect(Self.json(summary).contains("\"messagesPerSecond\":48.5") && Self.json(summary).contains("\"replies\":{\"250\":97,\"550\":2,\"none\":1}"), "\(Self.json(summary))")
        #expect(Self.json(summary).contains("\"latencyMs\":{\"max\":500,\"p50\":48,\"p90\":88,\"p99\":97}"), "\(Self.json(summary))")
        #expect(LoadSummary(outcomes: [], elapsed: .zero).p50 == nil)
        // Durations at the edge never trap when shown.
        let edge = LoadSummary(outcomes: [LoadOutcome(number: 1, latency: .seconds(Int64.max), code: 250, failedStage: nil, example: nil)],
                               elapsed: .nanoseconds(1))
        #expect(!edge.lines.isEmpty && Self.json(edge).hasPrefix("{"))
        #expect(Duration.seconds(Int64.max).milliseconds == Int.max && Duration.seconds(Int64.min).milliseconds == Int.min)
    }

    /// Refusals of 250 KB each: an outcome keeps a few hundred bytes of it, cut at a character,
    /// and the tally holds no more for 300,000 messages than for 150,000.
    @Test func aTallyStaysTheSameSizeWhateverTheCount() throws {
        let huge = "550 5.7.1 " + String(repeating: "ü", count: 125_000)
        let outcome = LoadOutcome(number: 1, latency: .milliseconds(3), code: 550, failedStage: .data, example: huge)
        let example = try #require(outcome.example)
        #expect(example.utf8.count <= LoadOutcome.exampleLimit && example.hasPrefix("550 5.7.1 üü") && example.hasSuffix("… (250010 bytes)"), "\(example)")
        #expect(LoadOutcome.cut("550 short") == "550 short")
        var tally = LoadTally()
        var sizes: [Int] = []
        for n in 1...300_000 {
            tally.add(LoadOutcome(number: n, latency: .microseconds(n), code: n.isMultiple(of: 3) ? 250 : 550,
                                  failedStage: n.isMultiple(of: 3) ? nil : (n.isMultiple(of: 2) ? .data : .rcpt), example: huge))
            if n == 150_000 || n == 300_000 { sizes.append(tally.heldBytes) }
        }
        #expect(sizes[0] == sizes[1] && sizes[1] < 2_000_000, "\(sizes)")
        #expect(tally.counted == 300_000 && tally.codes == [250: 100_000, 550: 200_000])
        let summary = LoadSummary(tally: tally, elapsed: .seconds(10), count: 300_000)
        #expect(summary.delivered == 100_000 && summary.failed == 200_000 && summary.notSent == 0)
        #expect(summary.slowest == .microseconds(300_000), "the slowest is exact, not sampled")
        // A sample of 100,000 of 1...300,000 µs: the median is near 150 ms.
        #expect(abs((summary.p50?.milliseconds ?? 0) - 150) < 15, "\(summary.p50.map { "\($0)" } ?? "-")")
        #expect(summary.failures.count == 2 && summary.failures.allSatisfy { $0.example.utf8.count <= LoadOutcome.exampleLimit })
        #expect(Self.json(summary).utf8.count < 2048)
    }

    /// Messages a stalled connection never reached are counted as not sent, so that delivered,
    /// failed and not sent add up to the count asked for.
    @Test func messagesNeverSentAreCounted() {
        var tally = LoadTally()
        for n in 1...3 { tally.add(LoadOutcome(number: n, latency: .milliseconds(1), code: 250, failedStage: nil, example: nil)) }
        tally.add(LoadOutcome(number: 4, latency: .seconds(5), code: nil, failedStage: .data, example: "no reply within the time limit"))
        let summary = LoadSummary(tally: tally, elapsed: .seconds(6), count: 10, notSentBecause: "the server stopped answering at DATA")
        #expect(summary.delivered + summary.failed + summary.notSent == 10 && summary.notSent == 6)
        #expect(summary.lines[0].hasPrefix("3 delivered, 1 failed, 6 not sent in 6000 ms"), "\(summary.lines)")
        #expect(summary.lines.last == "not sent: 6, because the server stopped answering at DATA")
        #expect(Self.json(summary).contains("\"notSent\":6,\"notSentBecause\":\"the server stopped answering at DATA\""), "\(Self.json(summary))")
        let nothing = LoadSummary(tally: LoadTally(), elapsed: .seconds(2), count: 100)
        #expect(nothing.lines[0].hasPrefix("0 delivered, 0 failed, 100 not sent in 2000 ms") && !Self.json(nothing).contains("notSentBecause"))
        let whole = LoadSummary(tally: tally, elapsed: .seconds(6), count: 4, notSentBecause: "ignored")
        #expect(whole.notSent == 0 && whole.notSentBecause == nil && !whole.lines.joined().contains("not sent"))
    }

    /// `{n}` becomes the message's number wherever it is, as often as it is there.
    @Test func theNumberFillsEverySlot() {
        #expect(NumberSlot("load {n}").filled(with: "7") == "load 7")
        #expect(NumberSlot("{n}{n} and {n}").filled(with: "12") == "1212 and 12")
        #expect(NumberSlot("no slot").filled(with: "3") == "no slot")
        #expect(NumberSlot("").filled(with: "3") == "")
        #expect(NumberSlot("{n").filled(with: "3") == "{n")
        #expect(NumberSlot("Grüße {n} ✓").filled(with: "5") == "Grüße 5 ✓")
        for text in ["a{n}b", "{n}", "x{n}{n}{n}y", "{{n}}", "é{n}\r\n{n}"] {
            #expect(NumberSlot(text).filled(with: "42") == text.replacing("{n}", with: "42"))
        }
    }
}
