import NIOCore

/// What a session knows when it reaches a stage, for the faults that key on it.
struct FaultFacts: Sendable {
    /// The client's address, without the port.
    var client: String
    var login: String?
    var sender: String?
    var recipient: String?
    /// The session's event loop's time: virtual in an `EmbeddedChannel`, so tests need not wait.
    var now: NIODeadline

    init(client: String = "?", login: String? = nil, sender: String? = nil, recipient: String? = nil, now: NIODeadline = .now()) {
        self.client = client
        self.login = login
        self.sender = sender
        self.recipient = recipient
        self.now = now
    }
}

/// SplitMix64 (Steele, Lea and Flood, 2014): a small seeded generator, so that `--seed N` makes
/// the same faults strike the same messages in a run that sends them in the same order.
struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A chance in [0, 1), from the top 53 bits.
    mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }
}

/// The memory of the rate limits and of greylisting: when each key's messages came, and when
/// each (client, sender, recipient) was first deferred. Both tables have a cap: past it they
/// start again empty, which a real server's restart does too, so memory stays bounded whatever
/// clients send.
struct LimitLedger: Sendable {
    static let keyCap = 100_000

    /// Per fault and key: the times of the messages let through inside the window, oldest first.
    private var sent: [String: [NIODeadline]] = [:]
    /// Per (client, sender, recipient): when it was first deferred.
    private var firstTried: [String: NIODeadline] = [:]

    /// The keys held, for the tests of the cap.
    var keys: Int { sent.count + firstTried.count }

    /// Whether one more message under `key` is past `count` in `seconds`; when it is not, it is
    /// counted.
    mutating func throttles(_ key: String, count: Int, seconds: Double, now: NIODeadline) -> Bool {
        let window = TimeAmount.nanoseconds(Int64((seconds * 1e9).rounded()))
        var times = sent[key] ?? []
        // Only the last `count` times matter: the one `count` back decides.
        times.removeAll { now - $0 >= window }
        if times.count >= count {
            sent[key] = times
            return true
        }
        if sent[key] == nil, sent.count >= Self.keyCap { sent = [:] }
        times.append(now)
        sent[key] = times
        return false
    }

    /// Whether this triple is deferred now: the first time it comes, and until `seconds` passed.
    mutating func greylists(client: String, sender: String, recipient: String, seconds: Double, now: NIODeadline) -> Bool {
        let key = "\(client)\u{0}\(sender.lowercased())\u{0}\(recipient.lowercased())"
        guard let first = firstTried[key] else {
            if firstTried.count >= Self.keyCap { firstTried = [:] }
            firstTried[key] = now
            return true
        }
        return now - first < .nanoseconds(Int64((seconds * 1e9).rounded()))
    }
}
