import Dispatch
import MailCore
import Synchronization

/// The requests of `GET /api/v1/wait` that no message answered yet. The server tells of each
/// message it stores (`arrived`), and each waiting request whose query it matches is answered
/// with it; no request polls the folder. Each is answered once: by a message already there, one
/// that arrives, or its timeout (408).
final class APIWaiters: Sendable {
    final class Waiter: Sendable {
        let query: SearchQuery
        /// The index's key of the mailbox it waits in; nil: any.
        let mailbox: String?
        private let reply: Mutex<(@Sendable (APIResponse) -> Void)?>

        init(query: SearchQuery, mailbox: String? = nil, reply: @escaping @Sendable (APIResponse) -> Void) {
            self.query = query
            self.mailbox = mailbox
            self.reply = Mutex(reply)
        }

        /// Answers, unless it was answered already; true when this call answered.
        @discardableResult
        func answer(_ response: APIResponse) -> Bool {
            guard let reply = reply.withLock({ r in defer { r = nil }; return r }) else { return false }
            reply(response)
            return true
        }

        var answered: Bool { reply.withLock { $0 == nil } }

        /// Its client went: nothing is answered any more.
        func drop() { reply.withLock { $0 = nil } }
    }

    /// Told when a request's connection closes before it was answered: a waiter registered for
    /// it is removed at once rather than holding one of the `most` places until its timeout.
    final class Abandon: Sendable {
        private let state = Mutex<(gone: Bool, action: (@Sendable () -> Void)?)>((false, nil))

        /// Runs `action` when the client goes, or now if it went already.
        func onAbandon(_ action: @escaping @Sendable () -> Void) {
            let goneAlready = state.withLock { state in
                if !state.gone { state.action = action }
                return state.gone
            }
            if goneAlready { action() }
        }

        func abandon() {
            let action = state.withLock { state in
                state.gone = true
                defer { state.action = nil }
                return state.action
            }
            action?()
        }
    }

    let directory: String
    private let waiting = Mutex<[ObjectIdentifier: Waiter]>([:])
    /// Arrivals are matched here, off the server's event loops: a message is read and parsed.
    private let queue = DispatchQueue(label: "mailtui.api-wait")

    init(directory: String) { self.directory = directory }

    /// The most requests that wait at once; beyond, 503: each holds a connection and a timer.
    static let most = 1000

    var count: Int { waiting.withLock { $0.count } }

    /// Registers the waiter; false when too many wait already.
    func add(_ waiter: Waiter) -> Bool {
        waiting.withLock { waiting in
            guard waiting.count < Self.most else { return false }
            waiting[ObjectIdentifier(waiter)] = waiter
            return true
        }
    }

    func remove(_ waiter: Waiter) { _ = waiting.withLock { $0.removeValue(forKey: ObjectIdentifier(waiter)) } }

    func arrived(_ id: String, read: Bool) {
        let snapshot = waiting.withLock { Array($0.values) }
        guard !snapshot.isEmpty else { return }
        queue.async { [self] in
            guard let message = APIMessage(id: id, directory: directory) else { return }
            var searchable = SearchableMessage(parsing: message.root, envelope: message.record.recipients.map(\.address), time: message.record.time,
                                               size: message.record.bytes)
            searchable.read = read
            let mailbox = Mailbox.of(message.record)
            searchable.tags = mailbox.isEmpty ? [] : [mailbox.lowercased()]
            for waiter in snapshot where waiter.query.matches(searchable) && (waiter.mailbox ?? mailbox) == mailbox {
                if waiter.answer(.json(message.summary(read: read))) { remove(waiter) }
            }
        }
    }
}

extension APIResponder {
    /// `GET /api/v1/wait?query=&timeout=30`: the oldest stored message that matches, else the
    /// first to arrive that does, as Mailpit's message summary; 408 at the timeout. The waiter is
    /// registered before the index is looked at, so a message stored meanwhile is not missed.
    func wait(_ query: [String: String], abandon: APIWaiters.Abandon? = nil, reply: @escaping @Sendable (APIResponse) -> Void) {
        var timeout = 30.0
        if let text = query["timeout"] {
            guard let seconds = Double(text), seconds.isFinite, seconds >= 0, seconds <= Self.longestWait else {
                return reply(.text(400, "timeout takes seconds from 0 to \(Int(Self.longestWait)): ?timeout=30"))
            }
            timeout = seconds
        }
        let search = SearchQuery(query["query"] ?? "")
        let mailbox = query["mailbox"].flatMap { $0.isEmpty ? nil : Mailbox.key($0) }
        let waiter = APIWaiters.Waiter(query: search, mailbox: mailbox, reply: reply)
        guard waiters.add(waiter) else {
            return reply(.text(503, "\(APIWaiters.most) requests wait already: try again when one is answered"))
        }
        abandon?.onAbandon { [waiters] in
            waiter.drop()
            waiters.remove(waiter)
        }
        if case .success(let index) = index, let first = index.page(search, mailbox: mailbox, start: 0, limit: 1, oldestFirst: true).summaries.first {
            waiter.answer(.json(first))
        }
        guard !waiter.answered else { return waiters.remove(waiter) }
        let seconds = timeout
        let text = query["query"].map { " matching \"\($0)\"" } ?? ""
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { [waiters] in
            waiter.answer(.text(408, "no message\(text) arrived within \(seconds) seconds: GET /api/v1/messages lists what did"))
            waiters.remove(waiter)
        }
    }
}
