import MailCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A search as the index answers it: the terms on parts the index keeps become SQL (found in the
/// lower-cased columns with `instr`, as `SearchText` finds them in the message), and the others
/// (plain words, which look into the bodies) are left to be matched on the files of the rows the
/// SQL let through.
struct IndexQuery {
    var sql = "1"
    var values: [SQLValue] = []
    /// Terms that need the message's files.
    var rest: [SearchQuery.Term] = []

    /// `mailbox`: the index's key of the mailbox ("" the default one), nil for every mailbox.
    init(_ search: SearchQuery?, mailbox: String?) {
        var parts: [String] = []
        if let mailbox {
            parts.append("mailbox = ?")
            values.append(.text(mailbox))
        }
        for term in search?.terms ?? [] {
            guard let (condition, bound) = Self.condition(term.filter) else {
                rest.append(term)
                continue
            }
            parts.append(term.negated ? "NOT (\(condition))" : "(\(condition))")
            values += bound
        }
        if !parts.isEmpty { sql = parts.joined(separator: " AND ") }
    }

    /// The SQL of a filter and its values, or nil when the index cannot answer it.
    static func condition(_ filter: SearchQuery.Filter) -> (String, [SQLValue])? {
        func found(_ column: String, _ text: String) -> (String, [SQLValue]) { ("instr(\(column), ?) > 0", [.text(text.lowercased())]) }
        switch filter {
        case .text: return nil
        case .from(let t): return found("s_from", t)
        case .to(let t): return found("s_to", t)
        case .cc(let t): return found("s_cc", t)
        case .bcc(let t): return found("s_bcc", t)
        case .replyTo(let t): return found("s_reply_to", t)
        case .subject(let t): return found("s_subject", t)
        case .messageID(let t): return found("s_message_id", t)
        case .addressed(let t):
            let columns = ["s_to", "s_from", "s_cc", "s_bcc", "s_reply_to"]
            return (columns.map { "instr(\($0), ?) > 0" }.joined(separator: " OR "), Array(repeating: .text(t.lowercased()), count: columns.count))
        case .tag(let t):
            let folded = t.lowercased()
            return ("(mailbox != '' AND mailbox_folded = ?) OR instr(tags_folded, ?) > 0", [.text(folded), .text("\n" + folded + "\n")])
        case .isRead: return ("read = 1", [])
        case .isUnread: return ("read = 0", [])
        case .isTagged: return ("mailbox != '' OR tags != ''", [])
        case .hasAttachment: return ("attachments > 0", [])
        case .hasInline: return ("inlines > 0", [])
        case .after(let seconds): return ("time >= ?", [.int(seconds)])
        case .before(let seconds): return ("time <= ?", [.int(seconds)])
        case .larger(let bytes): return ("size > ?", [.int(bytes)])
        case .smaller(let bytes): return ("size < ?", [.int(bytes)])
        }
    }
}

/// A page of a list or a search as the index answers it.
struct IndexPage: Sendable {
    /// How many messages match, on every page.
    var matched: Int
    var summaries: [Mailpit.MessageSummary]
}

extension MessageIndex {
    /// The messages of `mailbox` (nil: all) that match `search` (nil: every one), newest first
    /// (oldest first with `oldestFirst`), the page from `start` of at most `limit`.
    func page(_ search: SearchQuery?, mailbox: String?, start: Int, limit: Int, oldestFirst: Bool = false) -> IndexPage {
        let query = IndexQuery(search, mailbox: mailbox)
        let order = oldestFirst ? "ASC" : "DESC"
        guard !query.rest.isEmpty else {
            return read(IndexPage(matched: 0, summaries: [])) { connection throws(SQLiteError) in
                // Few matches: one read of the table finds them all, sorted here. Many: they are
                // counted, and walking the ids newest first finds the page soon (walking the ids
                // for few matches would look up every row in id order).
                var found: [(number: Int, id: String)] = []
                try connection.rows("SELECT number, id FROM messages WHERE \(query.sql) LIMIT ?", query.values + [.int(fewMatches + 1)]) {
                    found.append(($0.int(0), $0.text(1)))
                }
                if found.count <= fewMatches {
                    found.sort { oldestFirst ? $0.id < $1.id : $0.id > $1.id }
                    let shown = start < found.count ? found[start..<min(found.count, start + min(limit, found.count))].map(\.number) : []
                    return IndexPage(matched: found.count, summaries: try Self.summaries(shown, connection))
                }
                let matched = try connection.number("SELECT COUNT(*) FROM messages WHERE " + query.sql, query.values)
                guard matched > start else { return IndexPage(matched: matched, summaries: []) }
                var numbers: [Int] = []
                try connection.rows("SELECT number FROM messages WHERE \(query.sql) ORDER BY id \(order) LIMIT ? OFFSET ?",
                                    query.values + [.int(limit), .int(start)]) { numbers.append($0.int(0)) }
                return IndexPage(matched: matched, summaries: try Self.summaries(numbers, connection))
            }
        }
        // Plain words: the rows the index lets through, then their files.
        let matched = matching(query, order: order).map(\.number)
        let shown = Array(matched.dropFirst(start).prefix(limit))
        return read(IndexPage(matched: matched.count, summaries: [])) { connection throws(SQLiteError) in
            IndexPage(matched: matched.count, summaries: try Self.summaries(shown, connection))
        }
    }

    /// The ids of the messages of `mailbox` that match `search`, newest first (for deleting).
    func ids(_ search: SearchQuery?, mailbox: String?) -> [String] {
        matching(IndexQuery(search, mailbox: mailbox), order: "DESC").map(\.id)
    }

    /// The rows the query's SQL lets through, then, when it has terms the index cannot answer,
    /// those whose files match them.
    private func matching(_ query: IndexQuery, order: String) -> [(number: Int, id: String)] {
        let candidates = read([(number: Int, id: String, read: Bool, tags: String)]()) { connection throws(SQLiteError) in
            var out: [(number: Int, id: String, read: Bool, tags: String)] = []
            try connection.rows("SELECT number, id, read, tags_folded FROM messages WHERE \(query.sql) ORDER BY id \(order)", query.values) {
                out.append(($0.int(0), $0.text(1), $0.int(2) != 0, $0.text(3)))
            }
            return out
        }
        guard !query.rest.isEmpty else { return candidates.map { ($0.number, $0.id) } }
        let rest = SearchQuery(terms: query.rest)
        return candidates.filter { candidate in
            guard let message = APIMessage(id: candidate.id, directory: directory) else { return false }
            var searchable = SearchableMessage(parsing: message.root, envelope: message.record.recipients.map(\.address), time: message.record.time,
                                               size: message.record.bytes)
            searchable.read = candidate.read
            searchable.tags = [Mailbox.of(message.record).lowercased()].filter { !$0.isEmpty } + candidate.tags.split(separator: "\n").map(String.init)
            return rest.matches(searchable)
        }.map { ($0.number, $0.id) }
    }

    /// How many messages `mailbox` (nil: all) holds, and how many of them are unread.
    func counts(mailbox: String?) -> (total: Int, unread: Int) {
        read((0, 0)) { connection throws(SQLiteError) in
            if let mailbox {
                return (try connection.number("SELECT COUNT(*) FROM messages WHERE mailbox = ?", [.text(mailbox)]),
                        try connection.number("SELECT COUNT(*) FROM messages WHERE mailbox = ? AND read = 0", [.text(mailbox)]))
            }
            return (try connection.number("SELECT COUNT(*) FROM messages"), try connection.number("SELECT COUNT(*) FROM messages WHERE read = 0"))
        }
    }

    /// Each tag in use (the mailboxes, then the tags set on messages) and how many messages have it.
    func tagCounts(mailbox: String?) -> [String: Int] {
        read([String: Int]()) { connection throws(SQLiteError) in try Self.tags(connection, mailbox: mailbox, counted: true) }
    }

    /// The tags in use, sorted.
    func tagNames(mailbox: String?) -> [String] {
        read([String]()) { connection throws(SQLiteError) in try Self.tags(connection, mailbox: mailbox, counted: false).keys.sorted() }
    }

    /// The mailboxes are found by jumping from one to the next in their index (a few look-ups
    /// each, not a read of every row), then counted when asked; the tags set on messages are few
    /// (their own partial index).
    private static func tags(_ connection: SQLiteConnection, mailbox: String?, counted: Bool) throws(SQLiteError) -> [String: Int] {
        var counts: [String: Int] = [:]
        var boxes: [String] = []
        if let mailbox {
            if !mailbox.isEmpty { boxes = [mailbox] }
        } else {
            try connection.rows("""
                WITH RECURSIVE boxes(name) AS (
                    SELECT MIN(mailbox) FROM messages WHERE mailbox > ''
                    UNION ALL SELECT (SELECT MIN(mailbox) FROM messages WHERE mailbox > name) FROM boxes WHERE name IS NOT NULL)
                SELECT name FROM boxes WHERE name IS NOT NULL
                """) { boxes.append($0.text(0)) }
        }
        for box in boxes {
            let count = counted ? try connection.number("SELECT COUNT(*) FROM messages WHERE mailbox = ?", [.text(box)]) : 1
            if count > 0 { counts[box, default: 0] += count }
        }
        let filter = mailbox == nil ? "" : " AND mailbox = ?"
        try connection.rows("SELECT mailbox, tags FROM messages WHERE tags != ''\(filter)", mailbox.map { [.text($0)] } ?? []) { row in
            let box = row.text(0)
            for tag in row.text(1).split(separator: "\n").map(String.init) where tag != box { counts[tag, default: 0] += 1 }
        }
        return counts
    }

    /// The tags set on a message (not its mailbox's).
    func userTags(_ id: String) -> [String] {
        read([String]()) { connection throws(SQLiteError) in
            var tags: [String] = []
            try connection.rows("SELECT tags FROM messages WHERE id = ?", [.text(id)]) { tags = $0.text(0).split(separator: "\n").map(String.init) }
            return tags
        }
    }

    /// Whether the message is marked read; nil when the index has no such message.
    func isRead(_ id: String) -> Bool? {
        read(nil as Bool?) { connection throws(SQLiteError) in
            var found: Bool?
            try connection.rows("SELECT read FROM messages WHERE id = ?", [.text(id)]) { found = $0.int(0) != 0 }
            return found
        }
    }

    /// The id of the newest message of `mailbox` (nil: of all).
    func newest(mailbox: String?) -> String? {
        read(nil as String?) { connection throws(SQLiteError) in
            var found: String?
            let filter = mailbox == nil ? "" : " WHERE mailbox = ?"
            try connection.rows("SELECT id FROM messages\(filter) ORDER BY id DESC LIMIT 1", mailbox.map { [.text($0)] } ?? []) { found = $0.text(0) }
            return found
        }
    }

    static func summaries(_ numbers: [Int], _ connection: SQLiteConnection) throws(SQLiteError) -> [Mailpit.MessageSummary] {
        var out: [Mailpit.MessageSummary] = []
        for number in numbers { if let summary = try summary(number, connection) { out.append(summary) } }
        return out
    }

    /// The summary of one row, as Mailpit shows it.
    static func summary(_ number: Int, _ connection: SQLiteConnection) throws(SQLiteError) -> Mailpit.MessageSummary? {
        var summary: Mailpit.MessageSummary?
        try connection.rows("""
            SELECT m.id, m.created, m.mailbox, m.read, m.tags, m.size, m.attachments, s.username, s.from_name, s.from_address,
                s.to_json, s.cc_json, s.bcc_json, s.reply_to_json, s.subject, s.message_id, s.snippet
            FROM messages m JOIN summaries s ON s.message = m.number WHERE m.number = ?
            """, [.int(number)]) { row in
            let decoder = JSONDecoder()
            func addresses(_ column: Int32) -> [Mailpit.Address] { (try? decoder.decode([Mailpit.Address].self, from: Data(row.text(column).utf8))) ?? [] }
            let tags = row.text(4).split(separator: "\n").map(String.init)
            summary = Mailpit.MessageSummary(
                ID: row.text(0), MessageID: row.text(15), Read: row.int(3) != 0,
                From: Mailpit.Nullable(row.isNull(9) ? nil : Mailpit.Address(Name: row.text(8), Address: row.text(9))),
                To: addresses(10), Cc: addresses(11), Bcc: addresses(12), ReplyTo: addresses(13), Subject: row.text(14),
                Created: APIMessage.rfc3339(millis: row.int(1)), Username: row.text(7), Tags: Mailbox.tags(mailbox: row.text(2), tags: tags),
                Size: row.int(5), Attachments: row.int(6), Snippet: row.text(16))
        }
        return summary
    }
}
