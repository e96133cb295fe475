import MailCore
import MailServer

/// Keys in a caught message's view.
extension AppState {
    /// Opens a caught message's view: at once with what was read before, else reading it, unless
    /// a read of it is under way already.
    mutating func open(_ record: StoredMessage) -> [Effect] {
        var view = MessageView(record: record)
        view.content = readMessages[id: record.id]
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

    mutating func handle(_ key: Key, in view: MessageView) -> [Effect] {
        var view = view
        let effects = react(to: key, in: &view)
        // Unless the key left the view (Esc, d), it stays, scrolled within its lines.
        if case .message(let shown) = overlay, shown.record.id == view.record.id {
            view.top = min(max(0, view.top), max(0, view.lines(view.tab).count - 1))
            overlay = .message(view)
        }
        return effects
    }

    private mutating func react(to key: Key, in view: inout MessageView) -> [Effect] {
        var effects: [Effect] = []
        if var search = view.search {
            switch key {
            case .escape: view.search = nil
            case .enter:
                view.search = nil
                view.query = search.text
                view.found = view.find(search.text, from: view.top)
                if let found = view.found { view.top = max(0, found - 2) } else { view.message = "Not found: \(search.text)" }
            default:
                if search.edit(key) { view.search = search }
            }
            return effects
        }
        if var path = view.savePath {
            switch key {
            case .escape: view.savePath = nil
            case .tab: effects = [.completePath(path.text)]
            case .enter:
                guard let attachment = view.content?.attachments[safe: view.selectedAttachment], !path.text.trimmingSpaces.isEmpty else { break }
                view.savePath = nil
                view.message = "Saving \(attachment.name)…"
                effects = [.saveAttachment(view.record, part: attachment.path, to: path.text.trimmingSpaces.expandingTilde)]
            default:
                if path.edit(key) { view.savePath = path }
            }
            return effects
        }
        view.message = nil
        let page = max(1, MessageView.contentRows(height: height, checks: view.content?.checks.count ?? 0) - 1)
        switch key {
        case .escape, .character("q"):
            overlay = .inbox(selected: captured.firstIndex { $0.id == view.record.id } ?? 0)
        case .right, .tab, .character("l"): switchTab(&view, to: (view.tab.rawValue + 1) % MessageTab.allCases.count)
        case .left, .backTab, .character("h"): switchTab(&view, to: (view.tab.rawValue + MessageTab.allCases.count - 1) % MessageTab.allCases.count)
        case .character(let c) where ("1"..."6").contains(c): switchTab(&view, to: Int(String(c))! - 1)
        case .up, .character("k"): view.top -= 1
        case .down, .character("j"): view.top += 1
        case .pageUp: view.top -= page
        case .pageDown, .character(" "): view.top += page
        case .home, .character("g"): view.top = 0
        case .end, .character("G"): view.top = max(0, view.lines(view.tab).count - page)
        case .character("/"): view.search = TextField()
        case .character("n"):
            guard let query = view.query else { view.message = "Press / to search"; break }
            view.found = view.find(query, from: (view.found ?? view.top) + 1)
            if let found = view.found { view.top = max(0, found - 2) } else { view.message = "Not found: \(query)" }
        case .character("a"):
            guard let files = view.content?.attachments, !files.isEmpty else { view.message = "No attachments"; break }
            view.selectedAttachment = (view.selectedAttachment + 1) % files.count
            view.message = "Attachment \(view.selectedAttachment + 1) of \(files.count): \(files[view.selectedAttachment].name) (s saves it)"
        case .character("s"):
            guard let file = view.content?.attachments[safe: view.selectedAttachment] else { view.message = "No attachment to save"; break }
            view.savePath = TextField(Self.safeFileName(file.name))
        case .character("r") where serving != nil:
            view.message = "Send again is in the compose screen: run mailtui, then F2 (it shares this inbox)"
        case .character("r"):
            view.message = "Opening the message as a new draft…"
            effects = [.sendAgain(view.record)]
        case .character("d"), .delete:
            overlay = .inbox(selected: captured.firstIndex { $0.id == view.record.id } ?? 0)
            deleteFromInbox([view.record.id])
        default: break
        }
        return effects
    }

    private func switchTab(_ view: inout MessageView, to index: Int) {
        view.tab = MessageTab(rawValue: index) ?? .text
        view.top = 0
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
