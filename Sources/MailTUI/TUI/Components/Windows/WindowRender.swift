import MailCore

/// The windows over the form: each component gives its lines, and they are drawn here in one
/// frame, the selected row in reverse video besides its ▸. Their keys are in the hint bar.
extension Renderer {
    static func draw(_ overlay: Overlay, _ state: AppState, _ theme: Theme, into screen: inout ScreenBuffer) {
        var lines: [WindowLine]
        var top = 0
        switch overlay {
        case .message(let view):
            MessageViewRender.draw(view, state, theme, into: &screen)
            return
        case .help(let scrolled): lines = HelpText.lines.map { WindowLine($0) }; top = scrolled
        case .fullText(let text, let scrolled): lines = text.map { WindowLine($0) }; top = scrolled
        case .confirmQuit(let reason):
            lines = ["Quit mailtui?", "", reason, "", WindowKeys.confirmQuit.footer()].map { WindowLine($0) }
        case .profiles(let picker): (lines, top) = picker.lines(state)
        case .history(let picker): lines = picker.lines
        case .faults(let panel): lines = panel.lines(server: state.localServer, active: state.activeFaults)
        case .keptDrafts(let selected): lines = state.keptDraftLines(selected: selected)
        case .inbox(let selected): lines = inboxLines(state, selected: selected)
        case .signIn(let window): lines = window.lines.map { WindowLine($0) }
        case .confirmRelay(let question):
            lines = ["Relay mode", "", question, "", "An app pointed at the local server then sends through it;",
                     "F2 shows each message with the server's answer, and both legs.", "", RelayKeys.confirm.footer()].map { WindowLine($0) }
        }
        let maxWidth = state.width - 4
        let width = min(maxWidth, (lines.map { DisplayWidth.of($0.text) }.max() ?? 20) + 4)
        // Long lines wrap inside the window; long windows scroll (the help at 80x24).
        lines = lines.flatMap { line in TextWrap.wrap(line.text, width: width - 4).map { WindowLine($0, selected: line.selected) } }
        let rows = max(1, min(state.height - 4, lines.count))
        top = min(top, max(0, lines.count - rows))
        // The selected row stays in sight: rows that wrapped make a list taller than the rows it
        // kept for the screen (the inbox at 80 columns hid its selection under "↓ more").
        if let first = lines.firstIndex(where: \.selected), let last = lines.lastIndex(where: \.selected) {
            if last >= top + rows { top = min(first, last - rows + 1) }
            if first < top { top = first }
        }
        let height = rows + 2
        let x = (state.width - width) / 2
        let y = max(0, (state.height - height) / 2)
        screen.fill(x: x, y: y, width: width, height: height, style: theme.overlay)
        screen.put("┌" + String(repeating: "─", count: width - 2) + "┐", x: x, y: y, style: theme.overlay)
        for row in 1..<(height - 1) {
            screen.put("│", x: x, y: y + row, style: theme.overlay)
            screen.put("│", x: x + width - 1, y: y + row, style: theme.overlay)
            let index = top + row - 1
            guard index < lines.count else { continue }
            let style = lines[index].selected ? theme.selectedRow : theme.overlay
            if lines[index].selected { screen.fill(x: x + 1, y: y + row, width: width - 2, height: 1, style: style) }
            screen.put(lines[index].text, x: x + 2, y: y + row, style: style, maxWidth: width - 4)
        }
        var bottom = top + rows < lines.count ? "─ ↓ \(lines.count - top - rows) more " : ""
        bottom += String(repeating: "─", count: max(0, width - 2 - DisplayWidth.of(bottom)))
        screen.put("└" + bottom + "┘", x: x, y: y + height - 1, style: theme.overlay)
        screen.cursor = nil
    }

    /// The F2 window's lines.
    static func inboxLines(_ state: AppState, selected: Int) -> [WindowLine] {
        let mailboxes = state.mailboxes
        var list = [WindowLine("Inbox of the local test server" + (state.localServer.map { " on \($0)" } ?? "")
                               + (mailboxes.chosen.map { ": " + $0.name } ?? "") + " (newest first)")]
        if mailboxes.several || mailboxes.chosen != nil { list.append(WindowLine(mailboxes.line() + "  " + mailboxes.keysText)) }
        if !state.activeFaults.isEmpty { list.append(WindowLine("Faults in force: " + state.activeFaults.joined(separator: "; ") + " (f changes them)")) }
        list.append(WindowLine(""))
        if let reason = mailboxes.emptyReason {
            list.append(WindowLine(reason))
        } else if state.captured.isEmpty {
            list.append(WindowLine("Nothing caught yet: press F5, or point an app at it (MAIL_SERVER=127.0.0.1)."))
        }
        list += inboxRows(state, selected: selected, rows: 14)
        if let notice = state.notice { list += [WindowLine(""), WindowLine(notice)] }
        return list
    }

    /// The inbox's rows around the selected message, newest first: the chosen mailbox's, with a
    /// mailbox column when all are shown and there are several.
    static func inboxRows(_ state: AppState, selected: Int, rows: Int) -> [WindowLine] {
        let window = max(0, selected - (rows - 2))
        let column = InboxRow.mailboxColumn(state.mailboxes)
        return (window..<min(state.mailboxes.shownCount, window + rows)).compactMap { index in
            state.shownMessage(index).map { message in
                WindowLine((index == selected ? "▸ " : "  ") + InboxRow.text(message, subject: state.inboxSubjects[message], mailboxColumn: column),
                           selected: index == selected)
            }
        }
    }
}
