import Synchronization

/// A resolver that stops asking after its first failure. Offline (CI with no network), each
/// lookup of a check would wait out the same timeout; one wait says DNS does not answer.
final class FailFastResolver: DNSResolving, Sendable {
    private let base: any DNSResolving
    private let failure = Mutex<String?>(nil)

    init(_ base: any DNSResolving) { self.base = base }

    func query(_ name: String, _ type: DNSType) -> DNSAnswer {
        if let why = failure.withLock({ $0 }) { return .failure(why) }
        let answer = base.query(name, type)
        if case .failure(let why) = answer { failure.withLock { $0 = why } }
        return answer
    }

    var displayName: String { base.displayName }
    /// Already cut when made (`MessageCheck.run`); the failure is shared with every later lookup.
    func waitingAtMost(seconds: Int) -> any DNSResolving { self }
}
