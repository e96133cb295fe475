/// What a load run (`--count`) did: rate, latency percentiles, replies by code, failures by
/// stage with one example each. Pure, from the outcomes.
public struct LoadSummary: Sendable, Equatable {
    public struct Failures: Sendable, Equatable {
        public var stage: SMTPStage
        public var count: Int
        public var example: String
    }

    public var delivered: Int
    public var failed: Int
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

    public init(outcomes: [LoadOutcome], elapsed: Duration) {
        delivered = outcomes.filter(\.delivered).count
        failed = outcomes.count - delivered
        self.elapsed = elapsed
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        messagesPerSecond = seconds > 0 ? Double(delivered) / seconds : 0
        let sorted = outcomes.map(\.latency).sorted()
        func percentile(_ p: Double) -> Duration? {
            guard !sorted.isEmpty else { return nil }
            return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
        }
        p50 = percentile(0.50)
        p90 = percentile(0.90)
        p99 = percentile(0.99)
        slowest = sorted.last
        codes = outcomes.reduce(into: [:]) { $0[$1.code ?? 0, default: 0] += 1 }
        var byStage: [SMTPStage: Failures] = [:]
        for outcome in outcomes {
            guard let stage = outcome.failedStage else { continue }
            byStage[stage, default: Failures(stage: stage, count: 0, example: outcome.example ?? "")].count += 1
        }
        failures = byStage.values.sorted { $0.count > $1.count }
    }

    static func ms(_ d: Duration?) -> String {
        guard let d else { return "-" }
        let value = Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
        return value < 10 ? String(format1: value) + " ms" : String(value.rounded().saturatingInt) + " ms"
    }

    /// The summary as a person reads it.
    public var lines: [String] {
        var out = ["\(delivered) delivered, \(failed) failed in \(LoadSummary.ms(elapsed)): \(messagesPerSecond.rounded().saturatingInt) messages per second",
                   "latency p50 \(Self.ms(p50)), p90 \(Self.ms(p90)), p99 \(Self.ms(p99)), max \(Self.ms(slowest))",
                   "replies " + codes.keys.sorted().map { "\($0 == 0 ? "none" : String($0)): \(codes[$0] ?? 0)" }.joined(separator: ", ")]
        for failure in failures {
            out.append("failed at \(failure.stage.displayName): \(failure.count), e.g. \(failure.example)")
        }
        return out
    }

    /// One JSON object; the rate under `messages_per_second`.
    public var json: String {
        func ms(_ d: Duration?) -> String {
            guard let d else { return "null" }
            return String(format1: Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15)
        }
        let codeList = codes.keys.sorted().map { "\"\($0 == 0 ? "none" : String($0))\":\(codes[$0] ?? 0)" }.joined(separator: ",")
        let failureList = failures.map { "{\"stage\":\(QuotedString.basic($0.stage.rawValue)),\"count\":\($0.count),\"example\":\(QuotedString.basic($0.example))}" }
            .joined(separator: ",")
        return "{\"delivered\":\(delivered),\"failed\":\(failed),\"seconds\":\(String(format1: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)),"
            + "\"messages_per_second\":\(String(format1: messagesPerSecond)),\"latency_ms\":{\"p50\":\(ms(p50)),\"p90\":\(ms(p90)),\"p99\":\(ms(p99)),\"max\":\(ms(slowest))},"
            + "\"replies\":{\(codeList)},\"failures\":[\(failureList)]}"
    }
}

extension String {
    /// A number with one decimal: `12.3`.
    public init(format1 value: Double) {
        let tenths = (value * 10).rounded().saturatingInt
        self = "\(tenths / 10).\(abs(tenths % 10))"
    }
}
