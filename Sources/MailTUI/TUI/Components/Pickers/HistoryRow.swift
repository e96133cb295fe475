import MailCore

/// One past send or probe in a line: when, where, how, and what happened, in words.
enum HistoryRow {
    static func text(_ entry: HistoryEntry) -> String {
        let s = entry.settings
        var line = "\(LocalTime.text(entry.time, short: true))  \(entry.kind.rawValue)  \(s.host):\(s.effectivePort) \(s.security.displayName)"
        if let subject = entry.draft?.subject, !subject.isEmpty { line += "  \"\(subject)\"" }
        return line + "  " + outcome(entry)
    }

    /// `ok: 250 …`, or `✗ RCPT TO: the server refused a recipient`.
    static func outcome(_ entry: HistoryEntry) -> String {
        guard !entry.succeeded else { return "ok: \(entry.result)" }
        let stage = entry.failureStage.flatMap(SMTPStage.init(rawValue:))?.displayName ?? "?"
        let reason = entry.failureKind.flatMap(FailureKind.init(rawValue:))?.words ?? entry.result
        return "✗ \(stage): \(reason)"
    }
}
