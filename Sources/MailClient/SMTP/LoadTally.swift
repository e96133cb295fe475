/// What a load run has done so far, in memory that does not grow with `--count`: the counts,
/// replies by code, one example per failed stage, and the latencies (every one up to
/// `latencySampleLimit`, then a uniform sample of that many, so percentiles stay fair estimates).
///
/// A run of 20,000 refusals of 250 KB each once kept every refusal's text (4.7 GB); a tally
/// keeps one short example per stage however many messages fail.
public struct LoadTally: Sendable {
    /// Latencies kept exactly up to this many messages (1.6 MB); past it, a reservoir sample.
    public static let latencySampleLimit = 100_000

    public private(set) var delivered = 0
    public private(set) var failed = 0
    /// Replies by code; messages that got none are under 0.
    public private(set) var codes: [Int: Int] = [:]
    /// Failures by stage, each with the first example seen (already cut by `LoadOutcome`).
    public private(set) var failures: [SMTPStage: LoadSummary.Failures] = [:]
    public private(set) var slowest: Duration?
    /// The latencies kept: all of them, or a uniform sample once there are too many.
    private(set) var latencies: [Duration] = []
    private var random = SystemRandomNumberGenerator()

    public init() {}

    public var counted: Int { delivered + failed }

    public mutating func add(_ outcome: LoadOutcome) {
        if outcome.delivered { delivered += 1 } else { failed += 1 }
        codes[outcome.code ?? 0, default: 0] += 1
        if let stage = outcome.failedStage {
            failures[stage, default: LoadSummary.Failures(stage: stage, count: 0, example: LoadOutcome.cut(outcome.example ?? ""))].count += 1
            failures[stage]?.codes[outcome.code ?? 0, default: 0] += 1
        }
        slowest = max(slowest ?? outcome.latency, outcome.latency)
        // Algorithm R: the n-th latency replaces a kept one with probability limit / n.
        if latencies.count < Self.latencySampleLimit {
            latencies.append(outcome.latency)
        } else {
            let slot = Int.random(in: 0..<counted, using: &random)
            if slot < Self.latencySampleLimit { latencies[slot] = outcome.latency }
        }
    }

    /// The bytes of text and latencies the tally holds: what must stay flat as `--count` grows.
    public var heldBytes: Int {
        failures.values.reduce(0) { $0 + $1.example.utf8.count } + latencies.count * MemoryLayout<Duration>.stride
    }
}
