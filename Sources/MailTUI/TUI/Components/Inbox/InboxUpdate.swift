import MailServer

/// Keys in the local server's inbox (F2), and deleting with undo.
extension AppState {
    /// The inbox's update: its keys are `InboxKeys.table`; the list is `captured`, shared with the
    /// message view and `mailtui serve`'s screen.
    mutating func updateInbox(_ key: Key, selected: Int) -> [Effect] {
        let confirming = confirmingDeleteAll
        confirmingDeleteAll = false
        notice = nil
        let action = serving != nil && InboxKeys.serveQuit.contains(key) ? InboxKeys.Action.quit : InboxKeys.table.action(for: key)
        switch action {
        case .quit?:
            overlay = nil
            return perform(.quit)
        case .faults?:
            overlay = .faults(FaultPanel())
            return [.refreshFaults]
        case .delete?:
            guard selected < captured.count else { return [] }
            deleteFromInbox([captured[selected].id])
        case .deleteAll?:
            guard !captured.isEmpty else { return [] }
            guard confirming else {
                confirmingDeleteAll = true
                notice = "Press D again to delete all \(captured.count) messages from the inbox"
                return []
            }
            deleteFromInbox(captured.map(\.id))
        case .undo?: undoDelete()
        case .close?: if serving == nil { overlay = nil }
        case .up?: overlay = .inbox(selected: max(0, selected - 1))
        case .down?: overlay = .inbox(selected: min(max(0, captured.count - 1), selected + 1))
        case .read?:
            guard selected < captured.count else { return [] }
            return open(captured[selected])
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

    /// Takes messages out of the list; their files stay until the screen closes, so `u` can bring
    /// them back.
    mutating func deleteFromInbox(_ ids: [String]) {
        let gone = captured.filter { ids.contains($0.id) }
        guard !gone.isEmpty else { return }
        captured.removeAll { ids.contains($0.id) }
        deletedMessages.append(gone)
        if case .inbox(let selected) = overlay { overlay = .inbox(selected: min(selected, max(0, captured.count - 1))) }
        notice = (gone.count == 1 ? "Deleted the message from the inbox" : "Deleted \(gone.count) messages from the inbox")
            + ": u brings \(gone.count == 1 ? "it" : "them") back until this screen closes"
    }

    /// Puts the last deleted messages back in their places (newest first, as the list is).
    mutating func undoDelete() {
        guard let group = deletedMessages.popLast() else {
            notice = "Nothing to undo"
            return
        }
        for message in group {
            let index = captured.firstIndex { $0.time < message.time } ?? captured.count
            captured.insert(message, at: index)
        }
        if case .inbox = overlay, let first = group.first, let index = captured.firstIndex(where: { $0.id == first.id }) { overlay = .inbox(selected: index) }
        notice = group.count == 1 ? "The deleted message is back" : "The \(group.count) deleted messages are back"
    }

    /// The caught messages deleted in this screen, whose files go when it closes.
    var deletedMessageIDs: [String] { deletedMessages.flatMap { $0.map(\.id) } }
}
