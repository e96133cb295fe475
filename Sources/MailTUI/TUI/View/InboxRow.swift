import MailCore
import MailServer

/// One caught message in a line: when, who to whom, what, how big, and how it came.
enum InboxRow {
    static func text(_ m: StoredMessage) -> String {
        let time = LocalTime.text(m.time, short: true)
        let badges = (m.tls != nil ? " [TLS]" : "") + (m.authUser.map { " [login \($0)]" } ?? "") + (m.faults.isEmpty ? "" : " [fault]")
        return TerminalSanitizer.sanitize("\(time)  \(m.from) → \(m.recipients.map(\.address).joined(separator: ", "))  \"\(subject(m))\"  \(ByteCount.human(m.bytes))\(badges)",
                                          maxLength: 1000)
    }

    /// The Subject as a person reads it: encoded words decoded (the record keeps them as they came).
    static func subject(_ m: StoredMessage) -> String {
        EncodedWords.decode(m.subject ?? "")
    }
}
