import MailCore

/// `mailtui serve` on a terminal: where it listens and its CA at the top, the inbox below, live;
/// a message's view and the fault panel open over it as in the compose screen.
enum ServeScreen {
    static func draw(_ state: AppState, header: [String], _ theme: Theme, into screen: inout ScreenBuffer) {
        let layout = Layout(width: state.width, height: state.height)
        let mailboxes = state.mailboxes
        let count = (mailboxes.chosen == nil ? "" : "\(mailboxes.shownCount) of ") + "\(state.captured.count) message\(state.captured.count == 1 ? "" : "s")"
        Renderer.rule(" mailtui serve ", Rect(x: 0, y: 0, width: state.width, height: 1), theme, into: &screen, right: " \(count) ")
        var y = 1
        for line in header {
            screen.put(" " + line, x: 0, y: y, style: theme.label, maxWidth: state.width)
            y += 1
        }
        if !state.activeFaults.isEmpty {
            screen.put(" Faults in force: " + state.activeFaults.joined(separator: "; "), x: 0, y: y, style: theme.warning, maxWidth: state.width)
            y += 1
        }
        Renderer.rule(" Inbox" + (mailboxes.chosen.map { ": " + $0.name } ?? "") + " (newest first) ", Rect(x: 0, y: y, width: state.width, height: 1), theme, into: &screen)
        y += 1
        if mailboxes.several || mailboxes.chosen != nil {
            // Two rows at most, naming fewer mailboxes when many logins would push the keys out.
            let lines = (1...6).reversed().lazy.map { TextWrap.wrap(" " + mailboxes.line(limit: $0) + "  " + mailboxes.keysText, width: state.width - 1) }
            for line in (lines.first { $0.count <= 2 } ?? lines.last ?? []).prefix(2) {
                screen.put(line, x: 0, y: y, style: theme.label, maxWidth: state.width)
                y += 1
            }
        }
        let rows = max(1, state.height - y - 2)
        if let reason = mailboxes.emptyReason {
            for (offset, line) in TextWrap.wrap(reason, width: max(10, state.width - 2)).prefix(rows).enumerated() {
                screen.put(" " + line, x: 0, y: y + offset, style: theme.time, maxWidth: state.width)
            }
        } else if state.captured.isEmpty {
            screen.put(" Nothing caught yet: point an app at MAIL_SERVER and MAIL_PORT above.", x: 0, y: y, style: theme.time, maxWidth: state.width)
        }
        var selected = 0
        if case .inbox(let index) = state.overlay { selected = index }
        for (offset, row) in Renderer.inboxRows(state, selected: selected, rows: rows).enumerated() {
            screen.put(" " + row.text, x: 0, y: y + offset, style: row.selected ? Style(bold: true) : Style.plain, maxWidth: state.width)
        }
        let status = layout.status
        screen.fill(x: status.x, y: status.y, width: status.width, height: 1, style: theme.statusBar)
        screen.put(" " + (state.notice ?? "Listening: mail here is stored, never relayed. F10 or Ctrl-C stops the server."),
                   x: status.x, y: status.y, style: theme.statusBar, maxWidth: status.width)
        Renderer.hints(state, layout, theme, into: &screen)
        switch state.overlay {
        case .inbox?, nil: screen.cursor = nil
        case let overlay?: Renderer.draw(overlay, state, theme, into: &screen)
        }
    }
}
