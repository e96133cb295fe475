/// What a load run (`--count`) did: rate, latency percentiles, replies by code, failures by
/// stage with one example each, and how many were never sent. Pure, from a tally of the outcomes.
public struct LoadSummary: Sendable, Equatable {
    public struct Failures: Sendable, Equatable, Encodable {
        public var stage: SMTPStage
        public var count: Int
        public var example: String
        /// The failures at this stage by reply code (0: none came, e.g. the connection dropped),
        /// so that a run against faults shows which struck how often (451 at RCPT TO: greylisted).
        public var codes: [Int: Int] = [:]

        private enum CodingKeys: String, CodingKey { case stage, count, example, codes }

        /// `codes` keyed by the reply code as text, `"none"` for no reply, as `replies` is.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(stage, forKey: .stage)
            try container.encode(count, forKey: .count)
            try container.encode(example, forKey: .example)
            try container.encode(Dictionary(uniqueKeysWithValues: codes.map { ($0.key == 0 ? "none" : String($0.key), $0.value) }), forKey: .codes)
        }

        /// `451: 9, 550: 3`.
        var codesText: String {
            codes.keys.sorted().map { "\($0 == 0 ? "none" : String($0)): \(codes[$0] ?? 0)" }.joined(separator: ", ")
        }
    }

    public var delivered: Int
    public var failed: Int
    /// Messages never sent: their connection failed or stalled before them, or the run was
    /// interrupted. Delivered, failed and not sent add up to `--count`.
    public var notSent: Int
    /// Why messages were not sent, when a connection said (e.g. "the server stopped answering at EHLO").
    public var notSentBecause: String?
    public var elapsed: Duration
    public var messagesPerSecond: Double
    /// Latency percentiles (p50, p90, p99, max), nil with no message.
    public var p50: Duration?
    public var p90: Duration?
    public var p99: Duration?
    public var slowest: Duration?
    /// Replies by code; messages that got none are under 0.
    public var codes: [Int: Int]
    public var failures: [Failures]

    /// The summary of `tally` for a run of `count` messages.
    public init(tally: LoadTally, elapsed: Duration, count: Int, notSentBecause: String? = nil) {
        delivered = tally.delivered
        failed = tally.failed
        notSent = max(0, count - tally.counted)
        self.notSentBecause = notSent > 0 ? notSentBecause : nil
        self.elapsed = elapsed
        let seconds = elapsed.inSeconds
        messagesPerSecond = seconds > 0 ? Double(delivered) / seconds : 0
        let sorted = tally.latencies.sorted()
        func percentile(_ p: Double) -> Duration? {
            guard !sorted.isEmpty else { return nil }
            return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
        }
        p50 = percentile(0.50)
        p90 = percentile(0.90)
        p99 = percentile(0.99)
        slowest = tally.slowest
        codes = tally.codes
        failures = tally.failures.values.sorted { ($0.count, $1.stage) > ($1.count, $0.stage) }
    }

    /// The summary of these outcomes, of a run of `count` messages (by default, these).
    public init(outcomes: [LoadOutcome], elapsed: Duration, count: Int? = nil) {
        var tally = LoadTally()
        for outcome in outcomes { tally.add(outcome) }
        self.init(tally: tally, elapsed: elapsed, count: count ?? outcomes.count)
    }

    static func ms(_ d: Duration?) -> String {
        guard let d else { return "-" }
        let value = Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
        return value < 10 ? String(format1: value) + " ms" : String(value.rounded().saturatingInt) + " ms"
    }

    /// The summary as a person reads it.
    public var lines: [String] {
        let unsent = notSent > 0 ? ", \(notSent) not sent" : ""
        var out = ["\(delivered) delivered, \(failed) failed\(unsent) in \(LoadSummary.ms(elapsed)): \(messagesPerSecond.rounded().saturatingInt) messages per second",
                   "latency p50 \(Self.ms(p50)), p90 \(Self.ms(p90)), p99 \(Self.ms(p99)), max \(Self.ms(slowest))",
                   "replies " + codes.keys.sorted().map { "\($0 == 0 ? "none" : String($0)): \(codes[$0] ?? 0)" }.joined(separator: ", ")]
        for failure in failures {
            out.append("failed at \(failure.stage.displayName): \(failure.count) (\(failure.codesText)), e.g. \(failure.example)")
        }
        if notSent > 0 {
            out.append("not sent: \(notSent)" + (notSentBecause.map { ", because \($0)" } ?? ""))
        }
        return out
    }

    /// The summary as `send --count N --json` prints it (docs/json.md): camelCase keys like
    /// every JSON mailtui writes, times in milliseconds and rates with one decimal.
    public struct Record: Encodable, Sendable, Equatable {
        public struct Latency: Encodable, Sendable, Equatable {
            public var p50, p90, p99, max: Double?
        }
        public var delivered: Int
        public var failed: Int
        public var notSent: Int
        public var notSentBecause: String?
        public var seconds: Double
        public var messagesPerSecond: Double
        public var latencyMs: Latency
        /// Replies by code (`"250"`); messages that got none under `"none"`.
        public var replies: [String: Int]
        public var failures: [Failures]
    }

    public var record: Record {
        func ms(_ d: Duration?) -> Double? { d.map { Self.tenths($0.inSeconds * 1000) } }
        return Record(delivered: delivered, failed: failed, notSent: notSent, notSentBecause: notSentBecause,
                      seconds: Self.tenths(elapsed.inSeconds),
                      messagesPerSecond: Self.tenths(messagesPerSecond),
                      latencyMs: Record.Latency(p50: ms(p50), p90: ms(p90), p99: ms(p99), max: ms(slowest)),
                      replies: Dictionary(uniqueKeysWithValues: codes.map { ($0.key == 0 ? "none" : String($0.key), $0.value) }), failures: failures)
    }

    /// One decimal, and finite: JSON has no infinity.
    static func tenths(_ value: Double) -> Double {
        value.isFinite ? (value * 10).rounded() / 10 : 0
    }
}

extension String {
    /// A number with one decimal: `12.3`.
    public init(format1 value: Double) {
        let tenths = (value * 10).rounded().saturatingInt
        self = "\(tenths / 10).\(abs(tenths % 10))"
    }
}
