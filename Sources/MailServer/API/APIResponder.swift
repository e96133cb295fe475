import MailCore
import Synchronization
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// The API's answers: a request in, a response out (through `reply`, once), on the caller's
/// thread except for `wait`, which answers when a matching message arrives or at its timeout.
/// Lists and searches are answered from the store's index (`MessageIndex`), which also keeps the
/// read marks and tags (they survive a restart); a message's own parts are read from its files.
/// `?mailbox=NAME` limits lists, searches, deletions and waits to one login's mail.
public final class APIResponder: Sendable {
    public let directory: String
    private let store: Mutex<MessageStore?>
    /// The index opened by the responder itself when no store is attached (a folder alone).
    private let ownIndex = Mutex<Result<MessageIndex, MessageIndexError>?>(nil)
    /// Whether an index of its own is reconciled with the folder when it is opened: `serve`
    /// attaches its store, which reconciles in the background, and says false.
    private let reconcilesOwnIndex: Bool
    private let faultBook = Mutex<FaultBook?>(nil)
    let waiters: APIWaiters
    let events: APIEvents
    private let token: String?
    let started = Date()
    /// The index whose reconciling tells the waiters of the rows it adds (`watch`).
    private let watched = Mutex<ObjectIdentifier?>(nil)
    let deleted = Mutex(0)

    /// The longest `wait` a request may ask for, in seconds.
    public static let longestWait = 600.0

    public init(directory: String, store: MessageStore? = nil, token: String? = nil, reconcilesOwnIndex: Bool = true) {
        self.directory = directory
        self.store = Mutex(store)
        self.token = token
        self.reconcilesOwnIndex = reconcilesOwnIndex
        waiters = APIWaiters(directory: directory)
        events = APIEvents(directory: directory)
    }

    /// The store the server writes to: deletions go through it so that it forgets them too.
    public func attach(_ store: MessageStore) { self.store.withLock { $0 = store } }

    /// The running server's faults, which `/api/v1/faults` reads and changes.
    public func attach(_ faults: FaultBook) { faultBook.withLock { $0 = faults } }

    var attachedFaults: FaultBook? { faultBook.withLock { $0 } }

    /// A message was stored: a waiting request that it matches is answered. Without a store
    /// attached, its row is added to the index here.
    public func arrived(_ record: StoredMessage) {
        if store.withLock({ $0 == nil }), case .success(let index) = index {
            index.ensure(record: record) { MessageStore.bytes(of: directory + "/" + record.id + ".eml") }
        }
        // Just stored: unread (and not a read of the index, which would wait for the writer).
        waiters.arrived(record.id, read: false)
        events.arrived(record.id)
    }

    /// The store's index, else one of the responder's own (opened once).
    var index: Result<MessageIndex, MessageIndexError> {
        if let store = store.withLock({ $0 }), let index = store.currentIndex() { return .success(watch(index)) }
        return ownIndex.withLock { own in
            if let own { return own }
            let opened = Result { () throws(MessageIndexError) in try MessageIndex(directory: directory) }
            if case .success(let index) = opened {
                _ = watch(index)
                if reconcilesOwnIndex { index.reconcile() }
            }
            own = opened
            return opened
        }
    }

    /// Rows that reconciling adds (the first indexing of a folder, a rebuild) are messages a
    /// waiting request may want: a wait looks at the index once, then hears only of these and of
    /// arrivals.
    private func watch(_ index: MessageIndex) -> MessageIndex {
        let new = watched.withLock { watched in
            defer { watched = ObjectIdentifier(index) }
            return watched != ObjectIdentifier(index)
        }
        if new { index.observe { [waiters] ids in for id in ids { waiters.arrived(id, read: false) } } }
        return index
    }

    /// Why the request is refused before any route is read (a client beyond loopback without
    /// the token), or nil.
    func refusal(_ request: APIRequest) -> APIResponse? {
        if token == nil, let refusal = Self.hostRefusal(request) { return refusal }
        guard !request.fromLoopback else { return nil }
        guard let token else { return .text(403, "the API answers only loopback clients: start serve with --api-token to let others in") }
        guard Self.bearer(request.authorization).map({ Self.same($0, token) }) == true else {
            return .text(401, "give the API token: Authorization: Bearer TOKEN")
        }
        return nil
    }

    /// Without a token, the `Host` must name this machine's loopback: a web page whose domain an
    /// attacker rebinds to 127.0.0.1 reaches the port from the browser, but sends its own name.
    static func hostRefusal(_ request: APIRequest) -> APIResponse? {
        guard let host = request.host else {
            if request.isHTTP10 { return nil }
            return .text(400, "an HTTP/1.1 request needs a Host header: Host: 127.0.0.1")
        }
        guard isLoopbackHost(host) else {
            return .text(403, "the API answers only Host 127.0.0.1, localhost or [::1] (another name may be DNS rebinding): "
                + "use http://127.0.0.1:PORT, or start serve with --api-token")
        }
        return nil
    }

    /// `127.0.0.1`, `localhost` or `[::1]`, in any case, alone or with a port of digits.
    static func isLoopbackHost(_ header: String) -> Bool {
        let host = header.lowercased()
        let name: Substring
        let port: Substring
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { return false }
            name = host[...close]
            port = host[host.index(after: close)...]
        } else if let colon = host.firstIndex(of: ":") {
            name = host[..<colon]
            port = host[colon...]
        } else {
            name = host[...]
            port = ""
        }
        guard ["127.0.0.1", "localhost", "[::1]"].contains(name) else { return false }
        guard !port.isEmpty else { return true }
        let digits = port.dropFirst()
        return port.first == ":" && !digits.isEmpty && digits.count <= 5 && digits.allSatisfy { $0.isASCII && $0.isNumber }
    }

    public func handle(_ request: APIRequest, reply: @escaping @Sendable (APIResponse) -> Void) { handle(request, abandon: nil, reply: reply) }

    /// As above; `abandon` tells a waiting request that its client went.
    func handle(_ request: APIRequest, abandon: APIWaiters.Abandon?, reply: @escaping @Sendable (APIResponse) -> Void) {
        if let refusal = refusal(request) { return reply(refusal) }
        let (route, query) = APIRoute.parse(method: request.method, target: request.target)
        if let refusal = Self.queryRefusal(route, query) { return reply(refusal) }
        switch route {
        case .wait: wait(query, abandon: abandon, reply: reply)
        default: reply(answer(route, query: query, body: request.body))
        }
    }

    func answer(_ route: APIRoute, query: [String: String], body: [UInt8]) -> APIResponse {
        switch route {
        case .listMessages, .search, .deleteSearch, .markMessages, .deleteMessages, .info, .tags:
            return indexed(route, query: query, body: body)
        case .message(let id):
            guard let message = find(id) else { return unknown(id) }
            var shown = message.message()
            if case .success(let index) = index {
                index.mark([message.id], mailbox: nil, read: true)
                shown.Tags = Mailbox.tags(mailbox: Mailbox.of(message.record), tags: index.userTags(message.id))
            }
            return .json(shown)
        case .raw(let id):
            guard let message = find(id) else { return unknown(id) }
            return APIResponse(status: 200, contentType: "text/plain; charset=utf-8", body: message.bytes)
        case .headers(let id):
            guard let message = find(id) else { return unknown(id) }
            return .json(message.headers)
        case .part(let id, let partID):
            guard let message = find(id) else { return unknown(id) }
            guard let part = PartPath.find(message.root, partID) else { return .text(404, "message \(id) has no part \(partID): GET /api/v1/message/\(id) lists its parts") }
            return APIResponse(status: 200, contentType: part.mediaType, body: part.decodedBody)
        case .conversation(let id):
            guard let message = find(id) else { return unknown(id) }
            return .json(Conversation(message.record))
        case .checks(let id):
            guard let message = find(id) else { return unknown(id) }
            return .json(Checks(id: message.id, envelopeFrom: message.record.from, bytes: message.bytes))
        case .faults(let method):
            return faults(method, body: body)
        case .chaos(let method):
            return chaos(method, body: body)
        case .wait, .events:
            return .text(500, "answered by handle and the connection")
        case .notFound:
            return .text(404, "no such endpoint: see README's \"HTTP API\" for the list (GET /api/v1/messages, /api/v1/message/ID, ...)")
        case .methodNotAllowed:
            return .text(405, "this endpoint does not take that method")
        case .badPath:
            return .text(400, "the path is refused: it climbs (..) or is not a plain /api/v1/... path")
        }
    }

    /// `latest` is the newest message.
    func find(_ id: String) -> APIMessage? {
        if id == "latest" {
            guard case .success(let index) = index else { return nil }
            return index.newest(mailbox: nil).flatMap { APIMessage(id: $0, directory: directory) }
        }
        return APIMessage(id: id, directory: directory)
    }

    private func unknown(_ id: String) -> APIResponse {
        .text(404, "no message \(id) in the store: GET /api/v1/messages lists the ids")
    }

    func delete(_ ids: [String]) -> APIResponse {
        let removed = store.withLock { $0 }?.delete(ids) ?? MessageStore.deleteFiles(ids, in: directory)
        if store.withLock({ $0 == nil }), case .success(let index) = index { index.remove(removed) }
        deleted.withLock { $0 += removed.count }
        return .ok
    }

    /// The body of PUT/DELETE /messages: JSON `{"IDs": [...]}`, a form's `ids=` fields (an older
    /// Mailpit client sends those), or nothing (every message).
    static func selection(_ body: [UInt8]) -> Mailpit.MessageSelection? {
        let trimmed = body.drop { $0 == 32 || $0 == 10 || $0 == 13 || $0 == 9 }
        guard let first = trimmed.first else { return Mailpit.MessageSelection(IDs: nil, Read: nil) }
        if first == UInt8(ascii: "{") { return try? JSONDecoder().decode(Mailpit.MessageSelection.self, from: Data(trimmed)) }
        guard let text = String(validating: trimmed, as: UTF8.self), !text.contains("{") else { return nil }
        var selection = Mailpit.MessageSelection(IDs: [], Read: nil)
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { APIRoute.percentDecoded($0, plusIsSpace: true) ?? "" }
            guard parts.count == 2 else { return nil }
            switch parts[0].lowercased() {
            case "ids": selection.IDs?.append(parts[1])
            case "read": selection.Read = parts[1].lowercased() == "true"
            default: return nil
            }
        }
        return selection
    }

    static let badBody = APIResponse.text(400, "the body is not JSON the API reads: send {\"IDs\": [\"ID\", ...]} (no body: every message)")

    static func bearer(_ header: String?) -> String? {
        guard let header, header.lowercased().hasPrefix("bearer ") else { return nil }
        return String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
    }

    /// Compared in time that does not depend on where they differ.
    static func same(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// `start` and `limit` of a list (Mailpit's defaults: 0 and 50).
    struct Page {
        var start = 0
        var limit = 50

        init?(_ query: [String: String]) {
            if let text = query["start"] { guard let n = Int(text), n >= 0 else { return nil }; start = n }
            if let text = query["limit"] { guard let n = Int(text), n >= 0 else { return nil }; limit = n == 0 ? 50 : n }
        }

        static let problem = APIResponse.text(400, "start and limit take whole numbers from 0: ?start=0&limit=50")
    }

    /// `GET /api/v1/message/{ID}/conversation`: the SMTP session that delivered the message, as
    /// the store's record keeps it, and the upstream leg when it was relayed. mailtui's own
    /// endpoint, in mailtui's JSON convention (camelCase).
    ///
    /// The envelope (`mailFrom`, `rcpt`), `time` and `bytes` let `mailtui wait --api` print
    /// what `wait --store` prints from the record.
    struct Conversation: Encodable {
        var id: String
        var client: String
        var helo: String?
        var mailFrom: String
        var rcpt: [String]
        var time: Int
        var bytes: Int
        var transcript: [TranscriptLine]
        var faults: [String]
        var relayed: RelayedLeg?

        init(_ record: StoredMessage) {
            id = record.id
            client = record.client
            helo = record.helo
            mailFrom = record.from
            rcpt = record.recipients.map(\.address)
            time = record.time
            bytes = record.bytes
            transcript = record.transcript
            faults = record.faults
            relayed = record.relayed
        }
    }
}

extension APIResponder {
    /// `GET /api/v1/message/{ID}/checks`: `check-message`'s checks of a caught message, as data
    /// (mailtui's own endpoint, camelCase). Offline, as the inbox runs them without a DNS server:
    /// no DNS, no SpamAssassin, no link requests, so the answer is the same on every machine.
    struct Checks: Encodable {
        var id: String
        /// The worst finding's verdict: `problem` is what makes `check-message` exit 12.
        var verdict: MessageCheck.Verdict
        var problems: Int
        var warnings: Int
        var findings: [MessageCheck.Finding]

        init(id: String, envelopeFrom: String, bytes: [UInt8]) {
            let options = MessageCheck.Options(envelopeFrom: envelopeFrom.isEmpty ? nil : envelopeFrom)
            let findings = MessageCheck(bytes: bytes, options: options).run()
            self.id = id
            self.findings = findings
            verdict = findings.map(\.verdict).max() ?? .ok
            problems = findings.filter { $0.verdict == .problem }.count
            warnings = findings.filter { $0.verdict == .warning }.count
        }
    }
}

extension MessageStore {
    /// Removes stored messages by their files alone; returns the ids whose files were removed.
    static func deleteFiles(_ ids: [String], in directory: String) -> [String] {
        ids.filter { id in
            guard StoreNames.isID(id), StoreNames.isPlainFile(directory + "/" + id + ".eml") else { return false }
            let gone = unlink(directory + "/" + id + ".eml") == 0
            if StoreNames.isPlainFile(directory + "/" + id + ".json") { unlink(directory + "/" + id + ".json") }
            return gone
        }
    }
}
