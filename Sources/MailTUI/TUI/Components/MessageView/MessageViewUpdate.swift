import MailCore
import MailServer

/// Keys in a caught message's view.
extension AppState {
    /// Opens a caught message's view: at once with what was read before, else reading it, unless
    /// a read of it is under way already.
    mutating func open(_ record: StoredMessage) -> [Effect] {
        var view = MessageView(record: record)
        view.content = readMessages[id: record.id]
        view.checks = readMessages.checks[record.id]
        overlay = .message(view)
        return readMessages.startReading(record.id) ? [.readCaptured(record)] : []
    }

    /// A caught message was read (or could not be): kept, and shown if its view is open.
    mutating func read(_ id: String, content: CapturedMessage?, problem: String?) {
        readMessages.finished(id, content)
        guard case .message(var view) = overlay, view.record.id == id else { return }
        view.content = content
        view.problem = problem
        overlay = .message(view)
    }

    /// A caught message's DKIM verdict, which comes after the message is shown.
    mutating func dkimChecked(_ id: String, _ verdict: DKIMVerifier.Verdict) {
        readMessages.apply(verdict, to: id)
        guard case .message(var view) = overlay, view.record.id == id else { return }
        view.content?.apply(verdict)
        overlay = .message(view)
    }

    /// A caught message's checks (`check-message`'s), which come after the message is shown.
    mutating func messageChecked(_ id: String, _ checks: CaughtMessageChecks) {
        readMessages.checked(id, checks)
        guard case .message(var view) = overlay, view.record.id == id else { return }
        view.checks = checks
        overlay = .message(view)
    }

    /// The message view's update: its keys are `MessageViewKeys`; the search and the path to save
    /// to are typed with the one line editor.
    mutating func updateMessageView(_ key: Key, _ view: MessageView) -> [Effect] {
        var view = view
        let effects = react(to: key, in: &view)
        // Unless the key left the view (Esc, d, F10), it stays.
        if case .message(let shown) = overlay, shown.record.id == view.record.id { overlay = .message(view) }
        return effects
    }

    private mutating func react(to key: Key, in view: inout MessageView) -> [Effect] {
        if var search = view.search {
            switch MessageViewKeys.searching.action(for: key) {
            case .back?: view.search = nil
            case .find?:
                view.search = nil
                view.query = search.text
                view.found = view.find(search.text, from: view.top)
                if let found = view.found { view.scroll(toLine: found - 2) } else { view.message = "Not found: \(search.text)" }
            case nil:
                if search.edit(key) { view.search = search }
            }
            return []
        }
        if var path = view.savePath {
            switch MessageViewKeys.saving.action(for: key) {
            case .back?: view.savePath = nil
            case .complete?: return [.completePath(path.text)]
            case .save?:
                guard let attachment = view.content?.attachments[safe: view.selectedAttachment], !path.text.trimmingSpaces.isEmpty else { break }
                view.savePath = nil
                view.message = "Saving \(attachment.name)…"
                return [.saveAttachment(view.record, part: attachment.path, to: path.text.trimmingSpaces.expandingTilde)]
            case nil:
                if path.edit(key) { view.savePath = path }
            }
            return []
        }
        view.message = nil
        let textWidth = MessageView.textWidth(screen: width)
        let page = max(1, MessageView.contentRows(height: height, checks: view.content?.checks.count ?? 0) - 1)
        let tabs = MessageTab.allCases.count
        switch MessageViewKeys.table.action(for: key) {
        case .back?:
            overlay = .inbox(selected: shownIndex(of: view.record.id) ?? 0)
        case .quit?:
            overlay = nil
            return perform(.quit)
        case .nextTab?: switchTab(&view, to: (view.tab.rawValue + 1) % tabs)
        case .previousTab?: switchTab(&view, to: (view.tab.rawValue + tabs - 1) % tabs)
        case .tab?:
            if case .character(let c) = key, let number = Int(String(c)) { switchTab(&view, to: number - 1) }
        case .lineUp?: view.scroll(by: -1, width: textWidth)
        case .lineDown?: view.scroll(by: 1, width: textWidth)
        case .pageUp?: view.scroll(by: -page, width: textWidth)
        case .pageDown?: view.scroll(by: page, width: textWidth)
        case .top?: view.scroll(toLine: 0)
        case .bottom?: view.scrollToEnd(width: textWidth, rows: page + 1)
        case .search?: view.search = TextField()
        case .findNext?:
            guard let query = view.query else { view.message = "Press / to search"; break }
            view.found = view.find(query, from: (view.found ?? view.top) + 1)
            if let found = view.found { view.scroll(toLine: found - 2) } else { view.message = "Not found: \(query)" }
        case .nextAttachment?:
            guard let files = view.content?.attachments, !files.isEmpty else { view.message = "No attachments"; break }
            view.selectedAttachment = (view.selectedAttachment + 1) % files.count
            view.message = "Attachment \(view.selectedAttachment + 1) of \(files.count): \(files[view.selectedAttachment].name) (s saves it)"
        case .saveAttachment?:
            guard let file = view.content?.attachments[safe: view.selectedAttachment] else { view.message = "No attachment to save"; break }
            view.savePath = TextField(Self.safeFileName(file.name))
        case .sendAgain? where serving != nil:
            view.message = "Send again is in the compose screen: run mailtui, then F2 (it shares this inbox)"
        case .sendAgain?:
            view.message = "Opening the message as a new draft…"
            return [.sendAgain(view.record)]
        case .delete?:
            overlay = .inbox(selected: shownIndex(of: view.record.id) ?? 0)
            deleteFromInbox([view.record.id])
        case nil: break
        }
        return []
    }

    /// The message view's hint bar: the search's or the save's keys while one is typed.
    func messageViewHints(_ view: MessageView) -> [Hint] {
        if view.search != nil { return MessageViewKeys.searching.hints() }
        if view.savePath != nil { return MessageViewKeys.saving.hints() }
        return MessageViewKeys.table.hints()
    }

    private func switchTab(_ view: inout MessageView, to index: Int) {
        view.tab = MessageTab(rawValue: index) ?? .text
        view.top = 0
        view.topRow = 0
        view.found = nil
    }

    /// A file name from a message, made safe to offer as a path and to save under: only its last
    /// part (after a slash or a backslash), without control, bidirectional or other invisible characters
    /// (an ESC or U+202E would reach the terminal or hide the real extension), without leading dots
    /// or `~` (never a hidden file, never the home folder), and short enough for a file system.
    static func safeFileName(_ name: String) -> String {
        let last = name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        var cleaned = String(String.UnicodeScalarView(last.unicodeScalars.filter { scalar in
            switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .privateUse, .unassigned: false
            default: true
            }
        }))
        cleaned = String(cleaned.drop { $0 == "." || $0 == "~" || $0.isWhitespace })
        while cleaned.last?.isWhitespace == true { cleaned.removeLast() }
        while cleaned.utf8.count > 200 {
            // Cut the stem, keep a short extension.
            let dot = cleaned.lastIndex(of: ".").flatMap { cleaned.distance(from: $0, to: cleaned.endIndex) <= 16 ? $0 : nil }
            guard let dot, dot > cleaned.startIndex else { cleaned.removeLast(); continue }
            cleaned.remove(at: cleaned.index(before: dot))
        }
        return cleaned.isEmpty ? "attachment" : cleaned
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}

extension MessageView {
    /// Rows for the tab's lines: the screen less the title, the checks (at most six shown), the
    /// tab bar and the hint line.
    static func contentRows(height: Int, checks: Int) -> Int {
        max(1, height - 3 - max(1, min(6, checks)))
    }
}
