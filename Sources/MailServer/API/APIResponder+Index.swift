import MailCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

extension APIResponder {
    /// The answers the index gives: lists, searches, read marks, deletions, counts and tags.
    func indexed(_ route: APIRoute, query: [String: String], body: [UInt8]) -> APIResponse {
        let index: MessageIndex
        switch self.index {
        case .success(let opened): index = opened
        case .failure(let error): return .text(503, "the store's index cannot be used: \(error)")
        }
        // `?mailbox=NAME`: one login's mail; `default` is the mail sent without a login.
        let mailbox = query["mailbox"].flatMap { $0.isEmpty ? nil : Mailbox.key($0) }
        switch route {
        case .listMessages:
            guard let page = Page(query) else { return Page.problem }
            return .json(list(index, search: nil, mailbox: mailbox, page: page))
        case .search, .deleteSearch:
            guard let text = query["query"], !text.isEmpty else { return .text(400, "give a search: ?query=subject:\"Reset\" (Mailpit's search syntax)") }
            let search = SearchQuery(text)
            if route == .deleteSearch { return delete(index.ids(search, mailbox: mailbox)) }
            guard let page = Page(query) else { return Page.problem }
            return .json(list(index, search: search, mailbox: mailbox, page: page))
        case .markMessages:
            guard let selection = Self.selection(body) else { return Self.badBody }
            guard let read = selection.Read else { return .text(400, "give {\"IDs\": [...], \"Read\": true} or false") }
            let ids = selection.IDs.flatMap { $0.isEmpty ? nil : $0 }
            guard index.mark(ids, mailbox: mailbox, read: read) else { return problem(index) }
            return .ok
        case .deleteMessages:
            guard let selection = Self.selection(body) else { return Self.badBody }
            if let ids = selection.IDs, !ids.isEmpty { return delete(ids) }
            // Everything: of one mailbox as the index has it, else every message in the folder
            // (the truth, even for messages not indexed yet).
            return delete(mailbox.map { index.ids(nil, mailbox: $0) } ?? MessageStore.storedIDs(in: directory))
        case .info:
            let counts = index.counts(mailbox: mailbox)
            var size = stat()
            let databaseSize = lstat(index.path, &size) == 0 ? Int(size.st_size) : 0
            let uptime = Int(Date().timeIntervalSince(started))
            var information = Mailpit.AppInformation(Version: "mailtui", LatestVersion: "", Database: index.path, DatabaseSize: databaseSize,
                                                Messages: counts.total, Unread: counts.unread, Tags: index.tagCounts(mailbox: mailbox),
                                                RuntimeStats: Mailpit.RuntimeStats(Uptime: uptime, Memory: 0, MessagesDeleted: deleted.withLock { $0 },
                                                                                   SMTPAccepted: 0, SMTPAcceptedSize: 0, SMTPRejected: 0, SMTPIgnored: 0))
            information.IndexProblem = index.lastProblem.withLock { $0 }
            return .json(information)
        case .tags(let method):
            guard method == "PUT" else { return .json(index.tagNames(mailbox: mailbox)) }
            guard let request = try? JSONDecoder().decode(Mailpit.SetTags.self, from: Data(body)) else {
                return .text(400, "give {\"IDs\": [\"ID\", ...], \"Tags\": [\"tag\", ...]} (an empty Tags removes them)")
            }
            let tags = request.Tags.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            if let refused = Self.tagProblem(tags) { return .text(400, refused) }
            guard index.setTags(tags, on: request.IDs) else { return problem(index) }
            return .ok
        default:
            return .text(500, "not an index route")
        }
    }

    /// A list or a search: `total` and `unread` count the mailbox (nil: every message),
    /// `messages_count` what matched, `tags` every tag in use there.
    private func list(_ index: MessageIndex, search: SearchQuery?, mailbox: String?, page: Page) -> Mailpit.MessagesSummary {
        let counts = index.counts(mailbox: mailbox)
        let found = index.page(search, mailbox: mailbox, start: page.start, limit: page.limit)
        return Mailpit.MessagesSummary(total: counts.total, unread: counts.unread, count: found.summaries.count, messages_count: found.matched,
                                       start: page.start, tags: index.tagNames(mailbox: mailbox), messages: found.summaries)
    }

    private func problem(_ index: MessageIndex) -> APIResponse {
        let said = index.lastProblem.withLock { $0 } ?? "unknown failure"
        if index.isRebuilding { return .text(503, "the store's index is being rebuilt from the folder: \(said). Try again when GET /api/v1/info shows it rebuilt") }
        return .text(503, "the store's index could not be changed: \(said); try again")
    }

    /// Why tags are refused, or nil: at most 50 of at most 100 characters, no control characters
    /// (the index keeps them one a line).
    static func tagProblem(_ tags: [String]) -> String? {
        guard tags.count <= 50 else { return "at most 50 tags on a message" }
        for tag in tags where tag.count > 100 || tag.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return "a tag is at most 100 characters, without control characters: \(QuotedString.basic(String(tag.prefix(40))))"
        }
        return nil
    }
}
