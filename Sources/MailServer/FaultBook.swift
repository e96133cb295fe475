import MailCore
import NIOCore
import Synchronization

/// The faults in force and how often each stage was reached since the server started (shared by
/// all connections), so that `rcpt@2` strikes the second recipient whichever session it is in.
/// It also keeps what the limits remember (the rate limits' counts, greylisting's first tries)
/// and the seeded generator that decides the `~P%` faults. The compose screen's fault panel
/// changes them while the server runs.
public final class FaultBook: Sendable {
    /// A fault in force; a `once` fault goes when it has struck.
    struct Armed: Sendable {
        var fault: Fault
        var once: Bool
    }

    struct State: Sendable {
        var faults: [Armed]
        var counts: [SMTPStage: Int] = [:]
        var ledger = LimitLedger()
        var random: SplitMix64
    }

    private let state: Mutex<State>
    /// `--seed`: the same seed makes the same chances strike (given the same order of arrivals).
    public let seed: UInt64

    public init(_ faults: [Fault] = [], seed: UInt64? = nil) {
        let seed = seed ?? UInt64.random(in: .min ... .max)
        self.seed = seed
        state = Mutex(State(faults: faults.map { Armed(fault: $0, once: false) }, random: SplitMix64(seed: seed)))
    }

    /// Counts one more arrival at `stage` and returns the fault that strikes it, if one does.
    /// A limit strikes only past its limit; a `~P%` fault only when its chance says so.
    func reach(_ stage: SMTPStage, _ facts: FaultFacts) -> (fault: Fault, occurrence: Int)? {
        state.withLock { state in
            let count = (state.counts[stage] ?? 0) + 1
            state.counts[stage] = count
            return Self.strike(stage, count, facts, answers: true, &state).first
        }
    }

    /// The faults that change how the next message is read (`bandwidth`, `close-after`), as it
    /// begins: they count it as the next arrival at `data`.
    func pace(_ facts: FaultFacts) -> [(fault: Fault, occurrence: Int)] {
        state.withLock { state in Self.strike(.data, (state.counts[.data] ?? 0) + 1, facts, answers: false, &state) }
    }

    /// The faults at `stage` that strike arrival `count`: the first that answers, or every one
    /// that paces.
    private static func strike(_ stage: SMTPStage, _ count: Int, _ facts: FaultFacts, answers: Bool,
                               _ state: inout State) -> [(fault: Fault, occurrence: Int)] {
        var struck: [(fault: Fault, occurrence: Int)] = []
        var index = 0
        while index < state.faults.count {
            let armed = state.faults[index]
            let fault = armed.fault
            guard fault.stage == stage, fault.occurrence == nil || fault.occurrence == count, fault.action.pacesTheMessage != answers,
                  limitStrikes(fault, index, facts, &state), fault.probability.map({ state.random.unit() < $0 }) ?? true else {
                index += 1
                continue
            }
            struck.append((fault, count))
            if armed.once { state.faults.remove(at: index) } else { index += 1 }
            if answers { break }
        }
        return struck
    }

    /// Whether a rate limit or greylisting is past its limit (any other fault: yes).
    private static func limitStrikes(_ fault: Fault, _ index: Int, _ facts: FaultFacts, _ state: inout State) -> Bool {
        switch fault.action {
        case .throttle(let limit, let seconds, let scope, _, _):
            let key = "\(index)\u{0}" + (scope == .login ? facts.login ?? "" : (facts.sender ?? "").lowercased())
            return state.ledger.throttles(key, count: limit, seconds: seconds, now: facts.now)
        case .greylist(let seconds):
            return state.ledger.greylists(client: facts.client, sender: facts.sender ?? "", recipient: facts.recipient ?? "",
                                          seconds: seconds, now: facts.now)
        default:
            return true
        }
    }

    /// Puts these faults in force instead of any before, counting `@N` from now, the limits
    /// forgotten and the chances drawn again from the seed; `once` faults strike a single time
    /// (the next message), the others until cleared.
    public func replace(with faults: [Fault], once: Bool) {
        state.withLock { state in
            state = State(faults: faults.map { Armed(fault: $0, once: once) }, random: SplitMix64(seed: seed))
        }
    }

    /// Takes out the faults `leaving` picks and puts `adding` in force after the others, until
    /// cleared (the API's chaos triggers change this way). The others stay, with their counts and
    /// what the limits remember; the chances are drawn again from the seed, so a run with the
    /// same seed strikes the same from here.
    public func exchange(leaving: (Fault) -> Bool, for adding: [Fault]) {
        state.withLock { state in
            state.faults.removeAll { leaving($0.fault) }
            state.faults += adding.map { Armed(fault: $0, once: false) }
            state.random = SplitMix64(seed: seed)
        }
    }

    /// The faults in force, as values.
    public var inForce: [Fault] {
        state.withLock { state in state.faults.map(\.fault) }
    }

    /// The faults in force, as `--fault` writes them, `(once)` marked.
    public var active: [String] {
        state.withLock { state in state.faults.map { $0.fault.description + ($0.once ? " (once)" : "") } }
    }
}
