import MailCore

/// What the index keeps of one message: what a list shows (Mailpit's summary) and what a search
/// looks at (the parts `SearchableMessage` reads, decoded and lower-cased as it makes them), so
/// that lists and searches on these parts never read the files. Built once, when the message is
/// stored or found in the folder.
struct IndexRow: Sendable, Equatable {
    var id: String
    /// Milliseconds since 1970 (the id's first field), for `Created`.
    var created: Int
    /// The record's seconds since 1970, for `after:` and `before:`.
    var time: Int
    var mailbox: String
    var size: Int
    var attachments: Int
    var inlines: Int
    /// Lower-cased, as a search compares them.
    var searchFrom: String
    var searchTo: String
    var searchCc: String
    var searchBcc: String
    var searchReplyTo: String
    var searchSubject: String
    var searchMessageID: String
    /// Mailpit's summary fields.
    var envelopeFrom: String
    var username: String
    var from: Mailpit.Address?
    var to: [Mailpit.Address]
    var cc: [Mailpit.Address]
    var bcc: [Mailpit.Address]
    var replyTo: [Mailpit.Address]
    var subject: String
    var messageID: String
    var snippet: String
    /// Tags it starts with: `not-sent` on a relayed attempt's note (Mailpit's clients can leave
    /// those out by tag).
    var tags: [String]

    init(record: StoredMessage, bytes: [UInt8]) {
        self.init(APIMessage(record: record, bytes: bytes))
    }

    init(_ message: APIMessage) {
        let record = message.record
        let summary = message.summary(read: false)
        let searchable = SearchableMessage(parsing: message.root, envelope: record.recipients.map(\.address), time: record.time, size: record.bytes,
                                           readingBodies: false)
        id = record.id
        created = record.id.split(separator: "-").first.flatMap { Int($0) } ?? record.time * 1000
        time = record.time
        mailbox = Mailbox.of(record)
        size = record.bytes
        attachments = summary.Attachments
        inlines = searchable.inlines
        searchFrom = searchable.from
        searchTo = searchable.to
        searchCc = searchable.cc
        searchBcc = searchable.bcc
        searchReplyTo = searchable.replyTo
        searchSubject = searchable.subject
        searchMessageID = searchable.messageID
        envelopeFrom = record.from
        username = summary.Username
        from = summary.From.value
        to = summary.To
        cc = summary.Cc
        bcc = summary.Bcc
        replyTo = summary.ReplyTo
        subject = summary.Subject
        messageID = summary.MessageID
        snippet = summary.Snippet
        tags = record.notSent == true ? [Mailbox.notSentTag] : []
    }

    /// Mailpit's summary of the message, with its read mark and user tags as the index has them.
    func summary(read: Bool, tags: [String]) -> Mailpit.MessageSummary {
        Mailpit.MessageSummary(ID: id, MessageID: messageID, Read: read, From: Mailpit.Nullable(from), To: to, Cc: cc, Bcc: bcc, ReplyTo: replyTo,
                               Subject: subject, Created: APIMessage.rfc3339(millis: created), Username: username,
                               Tags: Mailbox.tags(mailbox: mailbox, tags: tags), Size: size, Attachments: attachments, Snippet: snippet)
    }

    /// Addresses as the index stores them: Mailpit's JSON, written by hand (one per message on
    /// the store's writer thread, where an encoder's cost shows).
    static func json(_ addresses: [Mailpit.Address]) -> String {
        "[" + addresses.map { "{\"Name\":" + QuotedString.basic($0.Name) + ",\"Address\":" + QuotedString.basic($0.Address) + "}" }.joined(separator: ",") + "]"
    }
}

/// Mailboxes: each SMTP login name is one; mail sent without a login (or as `default`) is in the
/// default mailbox, which the API names `default` and the index keeps as "". A message's
/// Mailpit `Tags` hold its mailbox (none for the default one), then the tags set on it.
public enum Mailbox {
    /// The name `?mailbox=` takes for mail sent without a login.
    public static let defaultName = "default"
    /// The tag of a relayed attempt's note (`StoredMessage.notSent`).
    public static let notSentTag = "not-sent"

    static func of(_ record: StoredMessage) -> String {
        guard let user = record.authUser, user != defaultName else { return "" }
        return user
    }

    /// The index's key for a name given to the API.
    static func key(_ name: String) -> String { name == defaultName ? "" : name }

    static func tags(mailbox: String, tags: [String]) -> [String] {
        var out = mailbox.isEmpty ? [] : [mailbox]
        for tag in tags where !out.contains(tag) { out.append(tag) }
        return out
    }
}
