import MailCore
#if canImport(Glibc)
import Glibc
#endif
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `mailtui wait --api URL`: the same wait as `StoreWait`, through a running serve's HTTP API
/// (one in another container or of another user): the server's long poll
/// `GET /api/v1/wait?count=N` answers when N matching messages are caught, and is asked again
/// when a poll's 600 s run out before the wait's own timeout. Each message found is then read
/// (`/raw` for its bytes, `/conversation` for its envelope) so that it prints as `--store`
/// prints it; reading `/raw` leaves it unread, as the store wait does. At the timeout, a search
/// and the list name what matched and what came instead.
public struct APIWait {
    public typealias Fetch = (_ path: String, _ seconds: Double, _ limit: Int) -> Result<APIGet.Reply, APIGet.Failure>

    /// Mailpit's search syntax; empty: any message.
    public var query: String
    public var count: Int
    public var timeout: Double
    public var onlyNew: Bool
    /// The API's address, for messages.
    public var base: String
    let fetch: Fetch

    /// The longest single poll the server takes (`APIResponder.longestWait`).
    static let longestPoll = 600.0
    /// Time for an answer beyond the poll's own timeout (a busy machine), at most.
    static let slack = 30.0
    /// Time for each request beyond its poll: the wait's own timeout, between 2 and 30 s, so
    /// that an API that hangs or drips keeps `--timeout 3` near 3 s, not 30.
    var slack: Double { min(Self.slack, max(2, timeout)) }
    /// A list of up to 10,000 summaries, or one message's bytes (the store takes 32 MiB by default).
    static let bodyLimit = 80 << 20
    /// How many of the newest messages are looked through to name the others at the timeout.
    static let othersLooked = 10_000

    public init(api: APIGet, query: String, count: Int, timeout: Double, onlyNew: Bool) {
        self.init(base: api.base, query: query, count: count, timeout: timeout, onlyNew: onlyNew) { api.get($0, seconds: $1, limit: $2) }
    }

    init(base: String, query: String, count: Int, timeout: Double, onlyNew: Bool, fetch: @escaping Fetch) {
        self.base = base
        self.query = query
        self.count = count
        self.timeout = timeout
        self.onlyNew = onlyNew
        self.fetch = fetch
    }

    /// Waits; `started` is called once the newest message before the wait is known (with
    /// `onlyNew`, only later ones count).
    public func run(started: () -> Void = {}) throws(APIWaitError) -> StoreWait.Outcome {
        let deadline = StoreWait.now() + timeout
        let marker = try listed(start: 0, limit: 1).first
        started()
        while true {
            let asked = StoreWait.now()
            let poll = min(max(0, deadline - asked), Self.longestPoll)
            var path = "/api/v1/wait?timeout=\(poll)&count=\(count)&query=" + Self.encoded(query)
            if onlyNew, let marker { path += "&after=" + marker }
            let reply = try get(path, seconds: poll + slack)
            switch reply.status {
            case 200:
                guard let list = try? JSONDecoder().decode(Page.self, from: Data(reply.body)) else { throw notMailtui(path, reply) }
                return StoreWait.Outcome(matched: try arrived(list.messages.map(\.ID)))
            case 408 where deadline - StoreWait.now() <= 0:
                return try timedOut(after: marker)
            case 408:
                // A 408 long before the poll's end (a proxy's, say) would make this loop spin.
                if StoreWait.now() < asked + poll - 1 { usleep(UInt32(min(1, max(0, deadline - StoreWait.now())) * 1_000_000)) }
                continue
            case 400:
                throw APIWaitError(kind: .badQuery, description: "the API at \(base) refused the wait: \(reply.said)")
            default:
                throw answered(path, reply)
            }
        }
    }

    /// At the deadline: the messages that match (fewer than wanted, unless some came at the
    /// last moment) and those that arrived instead.
    func timedOut(after marker: String?) throws(APIWaitError) -> StoreWait.Outcome {
        func isNew(_ id: String) -> Bool { marker.map { id > $0 } ?? true }
        let blank = query.allSatisfy(\.isWhitespace)
        let found = blank ? try listed(start: 0, limit: count)
            : try ids(try get("/api/v1/search?limit=\(count)&query=" + Self.encoded(query), seconds: slack), "/api/v1/search")
        let matching = found.filter { !onlyNew || isNew($0) }
        var outcome = StoreWait.Outcome(matched: try arrived(matching.reversed()), timedOut: matching.count < count)
        guard outcome.timedOut else { return outcome }
        var others: [String] = []
        var start = 0
        let page = 500
        while start < Self.othersLooked {
            let ids = try listed(start: start, limit: page)
            others += ids.filter { isNew($0) && !matching.contains($0) }
            if ids.count < page || ids.contains(where: { !isNew($0) }) { break }
            start += page
        }
        others.sort()
        outcome.othersCount = others.count
        outcome.others = try arrived(others.prefix(StoreWait.othersKept))
        return outcome
    }

    func arrived(_ ids: some Sequence<String>) throws(APIWaitError) -> [ArrivedMessage] {
        var messages: [ArrivedMessage] = []
        for id in ids { messages.append(try arrived(id)) }
        return messages
    }

    /// A message as `--store` reads it: its bytes and the record's envelope.
    func arrived(_ id: String) throws(APIWaitError) -> ArrivedMessage {
        let path = "/api/v1/message/\(Self.encoded(id))/conversation"
        let said = try get(path, seconds: slack)
        guard said.status == 200 else { throw answered(path, said) }
        guard let envelope = try? JSONDecoder().decode(Envelope.self, from: Data(said.body)) else { throw notMailtui(path, said) }
        let raw = try get("/api/v1/message/\(Self.encoded(id))/raw", seconds: slack)
        guard raw.status == 200 else { throw answered("/api/v1/message/\(id)/raw", raw) }
        let record = StoredMessage(id: id, path: "", from: envelope.mailFrom, fromParameters: [],
                                   recipients: envelope.rcpt.map { .init(address: $0, parameters: []) }, helo: nil, client: "", tls: nil,
                                   authUser: nil, authMechanism: nil, time: envelope.time, bytes: envelope.bytes, subject: nil, transcript: [], faults: [])
        return ArrivedMessage(record: record, bytes: raw.body)
    }

    /// The ids of a page of `GET /api/v1/messages`, newest first.
    func listed(start: Int, limit: Int) throws(APIWaitError) -> [String] {
        try ids(try get("/api/v1/messages?start=\(start)&limit=\(limit)", seconds: slack), "/api/v1/messages")
    }

    func ids(_ reply: APIGet.Reply, _ path: String) throws(APIWaitError) -> [String] {
        guard reply.status == 200 else { throw answered(path, reply) }
        guard let page = try? JSONDecoder().decode(Page.self, from: Data(reply.body)) else { throw notMailtui(path, reply) }
        return page.messages.map(\.ID)
    }

    func get(_ path: String, seconds: Double) throws(APIWaitError) -> APIGet.Reply {
        switch fetch(path, seconds, Self.bodyLimit) {
        case .success(let reply): return reply
        case .failure(let failure) where failure.tooLarge:
            throw APIWaitError(kind: .unreachable, description: "the API at \(base) answered GET \(Self.shown(path)) with more than \(Self.bodyLimit >> 20) MiB: is --api the URL of mailtui serve's API?")
        case .failure(let failure):
            throw APIWaitError(kind: .unreachable, description: "cannot reach the API at \(base) (GET \(Self.shown(path))): \(failure.words) (libcurl error \(failure.code)): "
                + "start `mailtui serve --api PORT` there, or give --api the URL its listening line shows")
        }
    }

    func answered(_ path: String, _ reply: APIGet.Reply) -> APIWaitError {
        let hint: String = switch reply.status {
        case 401, 403: "give the token serve's --api-token set: \(APIWaitError.tokenVariable)=TOKEN (or --api-token)"
        case 404 where path.hasPrefix("/api/v1/wait"): "is --api mailtui serve's API? (Mailpit has no /api/v1/wait)"
        case 404: "the message went (deleted meanwhile?): run the wait again"
        default: "see serve's output; run the wait again"
        }
        return APIWaitError(kind: .answered(reply.status), description: "the API at \(base) answered GET \(Self.shown(path)) with \(reply.status) \(reply.said): \(hint)")
    }

    func notMailtui(_ path: String, _ reply: APIGet.Reply) -> APIWaitError {
        APIWaitError(kind: .answered(reply.status), description: "the API at \(base) answered GET \(Self.shown(path)) with JSON mailtui does not know: "
            + "is --api the URL of mailtui serve's API (and as new as this mailtui)?")
    }

    /// The path without its query (a query may be long).
    static func shown(_ path: String) -> String { String(path.prefix { $0 != "?" }) }

    /// Every byte but RFC 3986's unreserved ones percent-encoded.
    static func encoded(_ text: String) -> String {
        PercentEncoding.unreserved(text)
    }

    /// What is read of a list, a search or a wait's answer.
    struct Page: Decodable {
        struct Listed: Decodable { var ID: String }
        var messages: [Listed]
    }

    /// What is read of `/conversation`.
    struct Envelope: Decodable {
        var mailFrom: String
        var rcpt: [String]
        var time: Int
        var bytes: Int
    }
}

/// Why `wait --api` could not wait: the API was not reached, answered an error, or refused the
/// query. Each says what to try.
public struct APIWaitError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case unreachable
        case answered(Int)
        /// The server's 400: the query or the options (bad input).
        case badQuery
    }

    public var kind: Kind
    public var description: String

    /// The environment variable that holds the API token for `wait --api`.
    public static let tokenVariable = "MAILTUI_API_TOKEN"
}
