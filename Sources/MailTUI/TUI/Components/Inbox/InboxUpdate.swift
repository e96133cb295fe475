import MailServer

/// Keys in the local server's inbox (F2), and deleting with undo.
extension AppState {
    /// The inbox's update: its keys are `InboxKeys.table` and `InboxKeys.mailboxes`; the list is
    /// `captured`, shared with the message view and `mailtui serve`'s screen, and it shows the
    /// chosen mailbox's messages (`mailboxes`).
    mutating func updateInbox(_ key: Key, selected: Int) -> [Effect] {
        let confirming = confirmingDeleteAll
        confirmingDeleteAll = false
        notice = nil
        if let choice = InboxKeys.mailboxes.action(for: key) {
            showMailbox(choice == .next ? mailboxes.next : nil, selected: selected)
            return []
        }
        let action = serving != nil && InboxKeys.serveQuit.contains(key) ? InboxKeys.Action.quit : InboxKeys.table.action(for: key)
        switch action {
        case .quit?:
            overlay = nil
            return perform(.quit)
        case .faults?:
            overlay = .faults(FaultPanel())
            return [.refreshFaults]
        case .delete?:
            guard let message = shownMessage(selected) else { return [] }
            deleteFromInbox([message.id])
        case .deleteAll?:
            let shown = shownMessages
            guard !shown.isEmpty else { return [] }
            guard confirming else {
                confirmingDeleteAll = true
                notice = "Press D again to delete all \(shown.count) messages" + (mailboxes.chosen.map { " of " + $0.name } ?? "") + " from the inbox"
                return []
            }
            deleteFromInbox(shown.map(\.id))
        case .undo?: undoDelete()
        case .close?: if serving == nil { overlay = nil }
        case .up?: overlay = .inbox(selected: max(0, selected - 1))
        case .down?: overlay = .inbox(selected: min(max(0, mailboxes.shownCount - 1), selected + 1))
        case .read?:
            guard let message = shownMessage(selected) else { return [] }
            return open(message)
        case nil: break
        }
        return []
    }

    /// The inbox's hint bar: what works now.
    var inboxHints: [Hint] {
        InboxKeys.table.hints { action in
            switch action {
            case .undo: !deletedMessages.isEmpty
            case .close: serving == nil
            default: true
            }
        }
    }

    // MARK: Mailboxes

    /// The message shown at `index` in the inbox (the chosen mailbox's), if there is one.
    func shownMessage(_ index: Int) -> StoredMessage? {
        mailboxes.place(ofShown: index).map { captured[$0] }
    }

    /// The messages the inbox shows, newest first.
    var shownMessages: [StoredMessage] {
        (0..<mailboxes.shownCount).compactMap(shownMessage)
    }

    /// Where a message is among those shown, if it is shown.
    func shownIndex(of id: String) -> Int? {
        captured.firstIndex { $0.id == id }.flatMap(mailboxes.shownIndex(ofPlace:))
    }

    /// The status line's word on an arrival; when the inbox shows another mailbox, which one the
    /// message went to, since the list does not change.
    func caughtNotice(_ message: StoredMessage, shown: Bool) -> String {
        let caught = "The local server caught a message from <\(message.from)>"
        guard let chosen = mailboxes.chosen else { return caught + (serving == nil ? " (F2 shows it)" : "") }
        guard shown else {
            let inInbox = serving != nil || { if case .inbox = overlay { true } else { false } }()
            return caught + " for \(InboxMailbox(message).name): the inbox shows \(chosen.name) (\(inInbox ? "" : "F2, then ")M shows all)"
        }
        return caught + " for \(chosen.name)" + (serving == nil ? " (F2 shows it)" : "")
    }

    /// Shows one mailbox (nil: all), keeping the selected message selected when it is in it.
    mutating func showMailbox(_ mailbox: InboxMailbox?, selected: Int) {
        let kept = shownMessage(selected)?.id
        mailboxes.choose(mailbox, in: captured)
        overlay = .inbox(selected: kept.flatMap(shownIndex(of:)) ?? 0)
        let count = mailboxes.shownCount
        let messages = "\(count) message\(count == 1 ? "" : "s")"
        notice = switch mailbox {
        case nil: mailboxes.several ? "Showing all mailboxes: \(messages)"
            : "All mail is in one mailbox so far: mail sent with a login (MAIL_USERNAME) goes to that login's own mailbox"
        case let mailbox?: "Showing \(mailbox.phrase): \(messages)"
        }
    }

    /// Takes messages out of the list; their files stay until the screen closes, so `u` can bring
    /// them back.
    mutating func deleteFromInbox(_ ids: [String]) {
        let ids = Set(ids)
        let gone = captured.filter { ids.contains($0.id) }
        guard !gone.isEmpty else { return }
        captured.removeAll { ids.contains($0.id) }
        deletedMessages.append(gone)
        if case .inbox(let selected) = overlay { overlay = .inbox(selected: min(selected, max(0, mailboxes.shownCount - 1))) }
        notice = (gone.count == 1 ? "Deleted the message from the inbox" : "Deleted \(gone.count) messages from the inbox")
            + ": u brings \(gone.count == 1 ? "it" : "them") back until this screen closes"
    }

    /// Puts the last deleted messages back in their places (newest first, as the list is).
    mutating func undoDelete() {
        guard let group = deletedMessages.popLast() else {
            notice = "Nothing to undo"
            return
        }
        // Into a copy, so that the list's bookkeeping (Subjects, mailboxes) follows once.
        var list = captured
        for message in group {
            let index = list.firstIndex { $0.time < message.time } ?? list.count
            list.insert(message, at: index)
        }
        captured = list
        if case .inbox = overlay, let first = group.first, let index = shownIndex(of: first.id) { overlay = .inbox(selected: index) }
        notice = group.count == 1 ? "The deleted message is back" : "The \(group.count) deleted messages are back"
    }

    /// The caught messages deleted in this screen, whose files go when it closes.
    var deletedMessageIDs: [String] { deletedMessages.flatMap { $0.map(\.id) } }
}
