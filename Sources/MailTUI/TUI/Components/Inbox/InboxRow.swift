import MailCore
import MailServer

/// One caught message in a line: when, which mailbox (when there are several), who to whom, what,
/// how big, and how it came.
enum InboxRow {
    /// `subject` is the one the list decoded when the message arrived (`InboxSubjects`).
    /// `mailboxColumn` is the width of the mailbox column, nil when rows have none (one mailbox, or
    /// one chosen): the login is then a badge.
    static func text(_ m: StoredMessage, subject: String, mailboxColumn: Int? = nil) -> String {
        let time = LocalTime.text(m.time, short: true)
        let mailbox = mailboxColumn.map { width in
            let label = InboxMailbox(m).label
            return label + String(repeating: " ", count: max(0, width - DisplayWidth.of(label))) + "  "
        } ?? ""
        let login = mailboxColumn == nil ? m.authUser.map { " [login \(InboxMailbox.login($0).label)]" } ?? "" : ""
        let badges = (m.tls != nil ? " [TLS]" : "") + login + (m.faults.isEmpty ? "" : " [fault]")
            + (m.relayed.map { "  " + $0.outcome } ?? "")
        return TerminalSanitizer.sanitize("\(time)  \(mailbox)\(m.from.isEmpty ? "<>" : m.from) → \(m.recipients.map(\.address).joined(separator: ", "))  \"\(subject)\"  \(ByteCount.human(m.bytes))\(badges)",
                                          maxLength: 1000)
    }

    /// The width of the mailbox column for the list as it is shown, or nil when it has none: the
    /// widest name, or the widest a name is shown when there are too many names to measure on
    /// each frame.
    static func mailboxColumn(_ mailboxes: InboxMailboxes) -> Int? {
        guard mailboxes.several, mailboxes.chosen == nil else { return nil }
        guard mailboxes.mailboxes.count <= 64 else { return InboxMailbox.labelWidth }
        return mailboxes.mailboxes.map { DisplayWidth.of($0.label) }.max()
    }
}
