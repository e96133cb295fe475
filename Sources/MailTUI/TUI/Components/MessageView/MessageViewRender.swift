import MailCore
import MailServer

/// A caught message, full screen: who sent what, the checks, the tab bar, and the tab's lines.
enum MessageViewRender {
    static func draw(_ view: MessageView, _ state: AppState, _ theme: Theme, into screen: inout ScreenBuffer) {
        let width = state.width
        screen.fill(x: 0, y: 0, width: width, height: state.height, style: .plain)
        let r = view.record
        // The mailbox leads when the inbox holds several (it is what the user filters by), as the
        // inbox's column does; otherwise the login ends the line, as its badge does.
        let mailbox = state.mailboxes.several || state.mailboxes.chosen != nil ? InboxMailbox(r) : nil
        let title = (mailbox.map { " Mailbox \($0.label) ·" } ?? "") + " \(r.from.isEmpty ? "<>" : r.from) → \(r.recipients.map(\.address).joined(separator: ", "))  \"\(state.inboxSubjects[r])\"  "
            + ByteCount.human(r.bytes) + (r.tls.map { " · \($0)" } ?? "") + (r.cipher.map { " \($0)" } ?? "")
            + (mailbox == nil ? r.authUser.map { " · login \(InboxMailbox.login($0).label)" } ?? "" : "")
        screen.fill(x: 0, y: 0, width: width, height: 1, style: theme.statusBar)
        screen.put(TerminalSanitizer.sanitize(title, maxLength: 500), x: 0, y: 0, style: theme.statusBar, maxWidth: width)

        let checks = view.content?.checks ?? []
        let checkRows = max(1, min(6, checks.count))
        // The Checks tab's count leads the first line; the inbox's own checks follow it.
        let lead = view.content == nil ? 0 : summary(view.checks, theme, into: &screen)
        if view.content == nil {
            screen.put(view.problem == nil ? " Checking…" : "", x: 0, y: 1, style: theme.time)
        } else if checks.isEmpty {
            let dkim = view.content?.dkim.flatMap { $0.hasPrefix("DKIM: pass") ? $0 + " · " : nil } ?? ""
            screen.put(" ✓ \(dkim)The inbox's own checks found nothing to fix (Date, Message-ID, sender alignment, parts, line lengths, types, size, links)",
                       x: lead, y: 1, style: theme.success, maxWidth: width - lead)
        } else {
            for (index, check) in checks.prefix(checkRows).enumerated() {
                let shown = index == checkRows - 1 && checks.count > checkRows ? "… and \(checks.count - checkRows + 1) more checks" : check
                let x = index == 0 ? lead : 0
                screen.put(" ⚠ " + shown, x: x, y: 1 + index, style: theme.warning, maxWidth: width - x)
            }
        }

        let lines = view.lines(view.tab)
        let barY = 1 + checkRows
        var x = 0
        for tab in MessageTab.allCases {
            x += screen.put(" \(tab.rawValue + 1) ", x: x, y: barY, style: theme.hintKey)
            x += screen.put(tab.title + " ", x: x, y: barY, style: tab == view.tab ? theme.activeTab : theme.label)
        }
        let rows = MessageView.contentRows(height: state.height, checks: checks.count)
        let prompt: String? = view.search.map { "Search: \($0.text)" } ?? view.savePath.map { "Save \(view.content?.attachments[safe: view.selectedAttachment]?.name ?? "") to: \($0.text)" } ?? view.message
        let shownRows = prompt == nil ? rows : rows - 1
        // Long lines wrap at the edge rather than being cut off; only the rows on screen are wrapped.
        let shown = view.shownRows(width: MessageView.textWidth(screen: width), rows: max(0, shownRows))
        // The DKIM verdict comes after the message is shown (DNS may be slow): say it is coming.
        let pending = view.content != nil && view.content?.dkim == nil ? " DKIM: checking… ·" : ""
        let last = shown.last.map { $0.line + 1 } ?? min(lines.count, view.top + 1)
        let position = lines.isEmpty ? "" : pending + " \(min(lines.count, view.top + 1))–\(last) of \(lines.count) "
        if x + DisplayWidth.of(position) < width { screen.put(position, x: width - DisplayWidth.of(position), y: barY, style: theme.time) }

        for (row, line) in shown.enumerated() {
            let style = line.line == view.found ? Style(reverse: true) : Style.plain
            screen.put(line.text, x: 1, y: barY + 1 + row, style: style, maxWidth: width - 1)
        }
        screen.cursor = nil
        if let prompt {
            let y = barY + rows
            screen.fill(x: 0, y: y, width: width, height: 1, style: theme.statusBar)
            let used = screen.put(" " + prompt, x: 0, y: y, style: theme.statusBar, maxWidth: width)
            if view.search != nil || view.savePath != nil { screen.cursor = (min(width - 1, used), y) }
        }
        Renderer.hints(state, Layout(width: state.width, height: state.height), theme, into: &screen)
    }

    /// The Checks tab's count of problems and warnings at the start of the line above the tabs,
    /// in the colour of the worst; the columns it took.
    private static func summary(_ checks: CaughtMessageChecks?, _ theme: Theme, into screen: inout ScreenBuffer) -> Int {
        let style = switch checks {
        case nil: theme.time
        case let checks? where checks.problems > 0: theme.error
        case let checks? where checks.warnings > 0: theme.warning
        default: theme.success
        }
        let used = screen.put(" " + (checks?.summary ?? CaughtMessageChecks.pendingSummary), x: 0, y: 1, style: style, maxWidth: screen.width)
        return used + screen.put(" ·", x: used, y: 1, style: theme.time, maxWidth: max(0, screen.width - used))
    }
}
