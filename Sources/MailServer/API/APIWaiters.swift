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
        /// nil: the first message, answered as its summary (Mailpit's shape); N: the first N, as
        /// a list (`?count=N`, what `mailtui wait --api --count N` asks).
        let wanted: Int?
        /// Only messages whose id sorts after this one (`?after=ID`: the store lists ids in the
        /// order it caught them), so that `wait --new` skips what was there.
        let after: String?
        /// The index's key of the mailbox it waits in; nil: any.
        let mailbox: String?
        private let state: Mutex<(reply: (@Sendable (APIResponse) -> Void)?, found: [String: Mailpit.MessageSummary])>

        init(query: SearchQuery, wanted: Int? = nil, after: String? = nil, mailbox: String? = nil, reply: @escaping @Sendable (APIResponse) -> Void) {
            self.query = query
            self.mailbox = mailbox
            self.wanted = wanted
            self.after = after
            state = Mutex((reply, [:]))
        }

        func accepts(_ id: String) -> Bool { after.map { id > $0 } ?? true }

        var foundCount: Int { state.withLock { $0.found.count } }

        /// A matching message; answers once it makes enough (kept by id: the same message seen
        /// in the folder and as an arrival counts once). True when this call answered.
        @discardableResult
        func found(_ id: String, _ summary: Mailpit.MessageSummary) -> Bool {
            let answer: (reply: @Sendable (APIResponse) -> Void, response: APIResponse)? = state.withLock { state in
                guard let reply = state.reply else { return nil }
                state.found[id] = summary
                guard let wanted else {
                    state.reply = nil
                    return (reply, .json(summary))
                }
                guard state.found.count >= wanted else { return nil }
                state.reply = nil
                let oldest = state.found.sorted { $0.key < $1.key }.prefix(wanted).map(\.value)
                return (reply, .json(WaitList(messages: Array(oldest))))
            }
            guard let answer else { return false }
            answer.reply(answer.response)
            return true
        }

        /// Answers, unless it was answered already; true when this call answered.
        @discardableResult
        func answer(_ response: APIResponse) -> Bool {
            guard let reply = state.withLock({ state in defer { state.reply = nil }; return state.reply }) else { return false }
            reply(response)
            return true
        }

        var answered: Bool { state.withLock { $0.reply == nil } }

        /// Its client went: nothing is answered any more.
        func drop() { state.withLock { $0.reply = nil } }
    }

    /// `?count=N`'s answer: the first N matching messages, oldest first (mailtui's own form).
    struct WaitList: Codable {
        var messages: [Mailpit.MessageSummary]
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
            // Not read for no one (reconciling may tell of thousands of rows).
            let live = snapshot.filter { !$0.answered && $0.accepts(id) }
            guard !live.isEmpty else { return }
            // A relayed attempt's note is not the app's mail: no wait is answered with it.
            guard let message = APIMessage(id: id, directory: directory), message.record.notSent != true else { return }
            var searchable = SearchableMessage(parsing: message.root, envelope: message.record.recipients.map(\.address), time: message.record.time,
                                               size: message.record.bytes)
            searchable.read = read
            let mailbox = Mailbox.of(message.record)
            searchable.tags = mailbox.isEmpty ? [] : [mailbox.lowercased()]
            for waiter in live where waiter.query.matches(searchable) && (waiter.mailbox ?? mailbox) == mailbox {
                if waiter.found(id, message.summary(read: read)) { remove(waiter) }
            }
        }
    }
}

extension APIResponder {
    /// `GET /api/v1/wait?query=&timeout=30`: the oldest stored message that matches, else the
    /// first to arrive that does, as Mailpit's message summary; 408 at the timeout. The waiter is
    /// registered before the index is looked at, so a message stored meanwhile is not missed.
    /// With `count=N`, the first N such messages, as `{"messages": [...]}`; with `after=ID`, only
    /// messages caught after that one.
    func wait(_ query: [String: String], abandon: APIWaiters.Abandon? = nil, reply: @escaping @Sendable (APIResponse) -> Void) {
        var timeout = 30.0
        if let text = query["timeout"] {
            guard let seconds = Double(text), seconds.isFinite, seconds >= 0, seconds <= Self.longestWait else {
                return reply(.text(400, "timeout takes seconds from 0 to \(Int(Self.longestWait)): ?timeout=30"))
            }
            timeout = seconds
        }
        var wanted: Int?
        if let text = query["count"] {
            guard let n = Int(text), (1...Self.mostWanted).contains(n) else { return reply(.text(400, "count takes 1 to \(Self.mostWanted): ?count=2")) }
            wanted = n
        }
        if let after = query["after"], !StoreNames.isID(after) {
            return reply(.text(400, "after takes a message ID, as GET /api/v1/messages lists them"))
        }
        let search = SearchQuery(query["query"] ?? "")
        let mailbox = query["mailbox"].flatMap { $0.isEmpty ? nil : Mailbox.key($0) }
        let waiter = APIWaiters.Waiter(query: search, wanted: wanted, after: query["after"], mailbox: mailbox, reply: reply)
        guard waiters.add(waiter) else {
            return reply(.text(503, "\(APIWaiters.most) requests wait already: try again when one is answered"))
        }
        abandon?.onAbandon { [waiters] in
            waiter.drop()
            waiters.remove(waiter)
        }
        if case .success(let index) = index {
            for summary in Self.stored(search, in: index, mailbox: mailbox, after: waiter.after, limit: wanted ?? 1) {
                guard !waiter.answered else { break }
                waiter.found(summary.ID, summary)
            }
        }
        guard !waiter.answered else { return waiters.remove(waiter) }
        let seconds = timeout
        let text = query["query"].map { " matching \"\($0)\"" } ?? ""
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { [waiters] in
            let arrived = waiter.wanted.map { " (\(waiter.foundCount) of \($0) did)" } ?? ""
            waiter.answer(.text(408, "no message\(text) arrived within \(seconds) seconds\(arrived): GET /api/v1/messages lists what did"))
            waiters.remove(waiter)
        }
    }

    /// The most messages one wait may ask for.
    static let mostWanted = 10_000

    /// The oldest `limit` stored messages that match, of those caught after `after` (nil: all),
    /// relayed attempts' notes left out.
    /// Those after an id are the newest, so they are found walking back from the newest.
    static func stored(_ search: SearchQuery, in index: MessageIndex, mailbox: String?, after: String?, limit: Int) -> [Mailpit.MessageSummary] {
        // A relayed attempt's note (tagged `not-sent`) is not the app's mail: it is passed over.
        // Pages grow twice over, so a store of notes costs a few reads (a page with plain words
        // reads files), while the usual first page has none.
        func wanted(_ summary: Mailpit.MessageSummary) -> Bool { !summary.Tags.contains(Mailbox.notSentTag) }
        var start = 0
        var size = max(limit, 50)
        guard let after else {
            var oldest: [Mailpit.MessageSummary] = []
            while oldest.count < limit {
                let page = index.page(search, mailbox: mailbox, start: start, limit: size, oldestFirst: true).summaries
                oldest += page.filter(wanted)
                guard page.count == size else { break }
                start += size
                size *= 2
            }
            return Array(oldest.prefix(limit))
        }
        var newer: [Mailpit.MessageSummary] = []
        while true {
            let page = index.page(search, mailbox: mailbox, start: start, limit: size).summaries
            let taken = page.prefix { $0.ID > after }
            newer += taken.filter(wanted)
            guard taken.count == size else { break }
            start += size
            size *= 2
        }
        return Array(newer.reversed().prefix(limit))
    }
}
