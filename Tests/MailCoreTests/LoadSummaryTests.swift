import Testing
@testable import MailCore

/// The load run's summary: rate, percentiles, replies by code, failures by stage.
@Suite struct LoadSummaryTests {
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
        #expect(summary.lines.contains("failed at RCPT TO: 2, e.g. 550 5.1.1 No such user"))
        #expect(summary.json.contains("\"messages_per_second\":48.5") && summary.json.contains("\"replies\":{\"none\":1,\"250\":97,\"550\":2}"))
        #expect(LoadSummary(outcomes: [], elapsed: .zero).p50 == nil)
        // Durations at the edge never trap when shown.
        let edge = LoadSummary(outcomes: [LoadOutcome(number: 1, latency: .seconds(Int64.max), code: 250, failedStage: nil, example: nil)],
                               elapsed: .nanoseconds(1))
        #expect(!edge.lines.isEmpty && !edge.json.isEmpty)
        #expect(Duration.seconds(Int64.max).milliseconds == Int.max && Duration.seconds(Int64.min).milliseconds == Int.min)
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
