import Synchronization

/// The connections open now, in all and by client address, so that neither limit is passed: one
/// host opening many slow connections cannot lock every other client out.
final class ConnectionCount: Sendable {
    /// Which limit a connection would pass.
    enum Refusal: Equatable {
        case total(Int)
        case address(String, Int)

        /// The 421 reply's text, naming the limit.
        var reply: String {
            switch self {
            case .total(let limit): "4.7.0 Too many connections (at most \(limit) at once), try again later"
            case .address(let address, let limit): "4.7.0 Too many connections from \(address) (at most \(limit) at once from one address), try again later"
            }
        }

        var ending: String {
            switch self {
            case .total: "too many connections"
            case .address: "too many connections from this address"
            }
        }
    }

    private let maxTotal: Int
    private let maxPerAddress: Int
    private let state = Mutex((total: 0, byAddress: [String: Int]()))

    init(maxTotal: Int, maxPerAddress: Int) {
        self.maxTotal = maxTotal
        self.maxPerAddress = maxPerAddress
    }

    /// Counts one more connection from `address`, or says which limit it would pass (and counts
    /// nothing).
    func admit(_ address: String) -> Refusal? {
        state.withLock { state in
            guard state.total < maxTotal else { return .total(maxTotal) }
            let mine = state.byAddress[address, default: 0]
            guard mine < maxPerAddress else { return .address(address, maxPerAddress) }
            state.total += 1
            state.byAddress[address] = mine + 1
            return nil
        }
    }

    /// Forgets an admitted connection.
    func release(_ address: String) {
        state.withLock { state in
            state.total -= 1
            let left = state.byAddress[address, default: 1] - 1
            state.byAddress[address] = left > 0 ? left : nil
        }
    }
}
