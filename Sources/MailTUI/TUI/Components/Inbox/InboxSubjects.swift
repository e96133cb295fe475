import MailCore
import MailServer

/// The caught messages' Subjects as the inbox shows them, decoded once when a message arrives. The
/// list is drawn on every frame, on the UI thread, and a Subject can be megabytes of encoded words
/// (BDAT has no line limit), so no frame decodes one.
struct InboxSubjects: Equatable, Sendable {
    /// A Subject longer than this (in bytes, before decoding) is shown cut, with "…": a row shows
    /// far less than this anyway.
    static let decodedBytes = 4096

    /// The decoded Subjects by message id.
    var byID: [String: String] = [:]

    /// Decodes the Subjects of messages that are new to the list, and forgets those that left it.
    mutating func follow(_ messages: [StoredMessage]) {
        if byID.count == messages.count, messages.allSatisfy({ byID[$0.id] != nil }) { return }
        var next: [String: String] = [:]
        next.reserveCapacity(messages.count)
        for message in messages { next[message.id] = byID[message.id] ?? Self.decoded(message) }
        byID = next
    }

    /// The Subject shown for a message of the list.
    subscript(_ message: StoredMessage) -> String { byID[message.id] ?? Self.decoded(message) }

    /// The Subject as a person reads it: encoded words decoded (the record keeps them as they came).
    static func decoded(_ message: StoredMessage) -> String {
        EncodedWords.shown(message.subject ?? "", limit: decodedBytes)
    }
}
