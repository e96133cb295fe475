#if canImport(Glibc)
import Glibc
#endif

/// `mailtui wait` on a store folder: the first `count` messages that match `query`, or, when
/// `timeout` seconds pass first, the ones that did, and every other message that arrived meanwhile
/// (so that a failing test says what came instead). Messages already in the folder count, unless
/// `onlyNew`: a mail that arrived a moment before the wait began is still found.
public struct StoreWait {
    public var query: SearchQuery
    public var count: Int
    public var timeout: Double
    public var onlyNew: Bool

    public struct Outcome: Sendable, Equatable {
        /// The matching messages, oldest first, at most `count`.
        public var matched: [ArrivedMessage] = []
        /// Messages that arrived during the wait and do not match: the first `othersKept`.
        public var others: [ArrivedMessage] = []
        /// How many arrived during the wait and do not match, kept or not.
        public var othersCount = 0
        public var timedOut = false
    }

    /// How many of the messages that do not match are kept to be named.
    public static let othersKept = 20

    public init(query: SearchQuery, count: Int = 1, timeout: Double = 30, onlyNew: Bool = false) {
        self.query = query
        self.count = count
        self.timeout = timeout
        self.onlyNew = onlyNew
    }

    /// Waits; `started` is called once the wait has begun (with `onlyNew`, once what is there is
    /// set aside): a message that arrives from then on is seen.
    public func run(_ watch: StoreWatch, started: () -> Void = {}) -> Outcome {
        let deadline = Self.now() + timeout
        var outcome = Outcome()
        var present = true
        if onlyNew { watch.skipPresent() }
        started()
        while true {
            for var message in watch.arrivals() {
                let matches = query.matches(message.searchable)
                // Kept to be named, not searched again: the text can be megabytes.
                message.searchable.text = ""
                if matches {
                    outcome.matched.append(message)
                    if outcome.matched.count == count { return outcome }
                } else if !present || onlyNew {
                    outcome.othersCount += 1
                    if outcome.others.count < Self.othersKept { outcome.others.append(message) }
                }
            }
            present = false
            let left = deadline - Self.now()
            if left <= 0 {
                outcome.timedOut = true
                return outcome
            }
            watch.pause(upTo: left)
        }
    }

    /// Seconds on the monotonic clock: a clock set back or forward does not move the deadline.
    static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
