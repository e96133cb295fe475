import Dispatch
import Synchronization

/// DKIM verification of a caught message in the background, under one deadline for all of its key
/// lookups together. A silent DNS server makes each lookup wait out its timeout (about 10 s, five
/// signatures 50 s); the message is shown at once, and its verdict follows by the deadline.
public enum DKIMCheck {
    /// The time all of a message's key lookups get together.
    public static let timeLimit: Duration = .seconds(10)

    /// Verifies in the background; `report` is called exactly once, with the verdict or, if DNS
    /// has not answered by the deadline, with a temporary error that says so.
    public static func start(_ message: [UInt8], dns: any DNSResolving, within limit: Duration = timeLimit,
                             report: @escaping @Sendable (DKIMVerifier.Verdict) -> Void) {
        let once = Once()
        let deadline = ContinuousClock.now + limit
        // Queues of their own, not the global ones: those have as many threads as processors,
        // and with them all blocked in DNS lookups (this one's included) the deadline would wait.
        DispatchQueue(label: "mailtui.dkim.verify").async {
            // No lookup starts after the deadline, so this ends at most one lookup's timeout later.
            let verdict = DKIMVerifier(dns: dns).verify(message, deadline: deadline)
            if once.claim() { report(verdict) }
        }
        let milliseconds = Int(max(0, min(limit / .milliseconds(1), 86_400_000)))
        DispatchQueue(label: "mailtui.dkim.deadline").asyncAfter(deadline: .now() + .milliseconds(milliseconds)) {
            if once.claim() { report(.temporaryError(timedOut(limit))) }
        }
    }

    static func timedOut(_ limit: Duration) -> String {
        "the DNS server gave no DKIM key within \(limit.components.seconds) s: try again, or ask another DNS server (--dns-server)"
    }

    /// Lets the first of two racers through.
    private final class Once: Sendable {
        private let done = Mutex(false)

        func claim() -> Bool {
            done.withLock { done in
                defer { done = true }
                return !done
            }
        }
    }
}
