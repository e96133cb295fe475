import MailCore

/// Caught messages already read for the message view, by id, and those being read now. Reading a
/// large message (MIME, HTML, checks) takes a while off the UI thread: opening it again shows it at
/// once, and opening it while it is being read waits for that read instead of starting another.
struct ReadMessages: Equatable, Sendable {
    /// How many read messages are kept: each holds up to thousands of lines per tab.
    static let kept = 8

    private(set) var contents: [String: CapturedMessage] = [:]
    /// Ids in `contents`, the one used last at the end.
    private(set) var order: [String] = []
    /// Ids being read now.
    private(set) var pending: Set<String> = []
    /// The check-message checks of kept messages, which come after the message (`checked`).
    private(set) var checks: [String: CaughtMessageChecks] = [:]

    subscript(id id: String) -> CapturedMessage? { contents[id] }

    /// Whether a read of the message must start: not when it is read already, or being read.
    mutating func startReading(_ id: String) -> Bool {
        if contents[id] != nil {
            touch(id)
            return false
        }
        return pending.insert(id).inserted
    }

    /// A read ended: keeps its content (if it could be read), forgetting the least recently used.
    mutating func finished(_ id: String, _ content: CapturedMessage?) {
        pending.remove(id)
        guard let content else { return }
        contents[id] = content
        touch(id)
        while order.count > Self.kept {
            let oldest = order.removeFirst()
            contents[oldest] = nil
            checks[oldest] = nil
        }
    }

    /// The DKIM verdict of a kept message arrived.
    mutating func apply(_ verdict: DKIMVerifier.Verdict, to id: String) {
        contents[id]?.apply(verdict)
    }

    /// The checks of a kept message arrived (those of a message no longer kept are dropped).
    mutating func checked(_ id: String, _ result: CaughtMessageChecks) {
        if contents[id] != nil { checks[id] = result }
    }

    private mutating func touch(_ id: String) {
        order.removeAll { $0 == id }
        order.append(id)
    }
}
