import MailCore
import MailServer

/// A caught message being read (F2, then Enter): its checks, and its views in tabs that scroll and
/// search. The text comes from `CapturedMessage`, read off the UI thread.
struct MessageView: Equatable, Sendable {
    var record: StoredMessage
    /// nil while the file is being read; `problem` says when it could not be.
    var content: CapturedMessage?
    var problem: String?
    var tab: MessageTab = .text
    /// The first line shown of the tab, and its first row shown (a long line wraps).
    var top = 0
    var topRow = 0
    /// Non-nil while a search is typed (`/`).
    var search: TextField?
    /// The last search, for `n`.
    var query: String?
    /// The line the last search found, marked in the view.
    var found: Int?
    var selectedAttachment = 0
    /// Non-nil while the path to save the selected attachment to is typed.
    var savePath: TextField?
    /// A line of news in the view (saved, not found).
    var message: String?
    /// What `check-message`'s checks found, nil until they arrive from the background.
    var checks: CaughtMessageChecks?

    /// What stands for the DKIM verdict while it is checked, in the background, after the message
    /// is shown.
    static let dkimPending = "DKIM: checking… (the key is being fetched from DNS)"

    /// The lines of a tab.
    func lines(_ tab: MessageTab) -> [String] {
        guard let content else { return [problem ?? "Reading the message…"] }
        switch tab {
        case .text: return content.text
        case .html: return content.html
        case .headers: return content.dkim == nil ? [MessageView.dkimPending] + content.headers : content.headers
        case .structure:
            return content.structure + (content.attachments.isEmpty ? [] : [""] + content.attachments.enumerated().map { index, file in
                (index == selectedAttachment ? "▸ " : "  ") + "\(file.name)  \(file.mediaType), \(ByteCount.human(file.size))"
            })
        case .raw: return content.raw
        case .conversation: return Self.conversation(record)
        case .checks: return checks?.lines ?? CaughtMessageChecks.pendingLines
        }
    }

    /// The next line at or after `start` (wrapping round) that holds `query`, any case.
    func find(_ query: String, from start: Int) -> Int? {
        let lines = lines(tab)
        guard !query.isEmpty, !lines.isEmpty else { return nil }
        let wanted = query.lowercased()
        for step in 0..<lines.count {
            let index = (start + step) % lines.count
            if lines[index].lowercased().contains(wanted) { return index }
        }
        return nil
    }
}

/// The views of a caught message.
enum MessageTab: Int, CaseIterable, Equatable, Sendable {
    case text, html, headers, structure, raw, conversation, checks

    var title: String {
        switch self {
        case .text: "Text"
        case .html: "HTML"
        case .headers: "Headers"
        case .structure: "Structure"
        case .raw: "Raw"
        case .conversation: "Conversation"
        case .checks: "Checks"
        }
    }
}
