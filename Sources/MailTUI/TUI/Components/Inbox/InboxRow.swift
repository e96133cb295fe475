import MailCore
import MailServer

/// One caught message in a line: when, who to whom, what, how big, and how it came.
enum InboxRow {
    /// `subject` is the one the list decoded when the message arrived (`InboxSubjects`).
    static func text(_ m: StoredMessage, subject: String) -> String {
        let time = LocalTime.text(m.time, short: true)
        let badges = (m.tls != nil ? " [TLS]" : "") + (m.authUser.map { " [login \($0)]" } ?? "") + (m.faults.isEmpty ? "" : " [fault]")
            + (m.relayed.map { "  " + $0.outcome } ?? "")
        return TerminalSanitizer.sanitize("\(time)  \(m.from.isEmpty ? "<>" : m.from) → \(m.recipients.map(\.address).joined(separator: ", "))  \"\(subject)\"  \(ByteCount.human(m.bytes))\(badges)",
                                          maxLength: 1000)
    }
}
