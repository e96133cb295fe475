import MailCore

/// A draft of an earlier compose screen, found at start (`KeptDrafts`).
struct KeptDraft: Equatable, Sendable {
    var path: String
    var draft: Draft

    var fileName: String { path.split(separator: "/").last.map(String.init) ?? path }

    /// One line: when, and what.
    var summary: String {
        let m = draft.message
        let what = [m.subject.isEmpty ? "(no subject)" : "\"\(m.subject)\"", m.to.isEmpty ? nil : "to \(m.to)", draft.settings.host.isEmpty ? nil : "via \(draft.settings.host)"]
        return TerminalSanitizer.sanitize("\(LocalTime.text(draft.savedAt, short: true))  " + what.compactMap { $0 }.joined(separator: " "), maxLength: 300)
    }
}

/// Ctrl-R: the drafts kept from earlier screens. Opening one swaps it with the form (the form
/// goes to its file, so nothing typed is lost); `d` deletes one; Esc leaves them for later.
extension AppState {
    /// The status line at start when earlier screens left drafts.
    var keptDraftsNotice: String? {
        guard let first = keptDrafts.first else { return nil }
        return (keptDrafts.count == 1 ? "A draft from an earlier screen (closed or killed) is kept" : "\(keptDrafts.count) drafts from earlier screens are kept")
            + " (\(first.fileName)): Ctrl-R opens it"
    }

    mutating func openKeptDrafts() {
        guard !keptDrafts.isEmpty else {
            notice = "No drafts of earlier screens are kept"
            return
        }
        overlay = .keptDrafts(selected: 0)
    }

    /// Ctrl-R's update: its keys are `PickerKeys.keptDrafts`.
    mutating func updateKeptDrafts(_ key: Key, selected: Int) -> [Effect] {
        guard selected < keptDrafts.count else { overlay = nil; return [] }
        switch PickerKeys.keptDrafts.action(for: key) {
        case .up?: overlay = .keptDrafts(selected: max(0, selected - 1))
        case .down?: overlay = .keptDrafts(selected: min(keptDrafts.count - 1, selected + 1))
        case .later?: overlay = nil
        case .delete?:
            let gone = keptDrafts.remove(at: selected)
            notice = "Deleted the kept draft \(gone.fileName)"
            overlay = keptDrafts.isEmpty ? nil : .keptDrafts(selected: min(selected, keptDrafts.count - 1))
            return [.replaceKeptDraft(path: gone.path, with: nil)]
        case .open?:
            let chosen = keptDrafts[selected]
            let current = savedDraft(at: 0)
            let m = current.message
            let formIsEmpty = m.from.isEmpty && m.to.isEmpty && m.subject.isEmpty && m.textBody.isEmpty && m.htmlBody.isEmpty && m.attachments.isEmpty
            apply(settings: chosen.draft.settings)
            apply(draft: chosen.draft.message)
            fieldErrors = [:]
            overlay = nil
            if formIsEmpty {
                keptDrafts.remove(at: selected)
                notice = "Opened the draft of an earlier screen (\(chosen.fileName))"
            } else {
                keptDrafts[selected] = KeptDraft(path: chosen.path, draft: current)
                notice = "Opened the draft of an earlier screen; the form you had is kept in its place (Ctrl-R swaps back)"
            }
            return [.replaceKeptDraft(path: chosen.path, with: formIsEmpty ? nil : current)] + changed()
                + (attachments.isEmpty ? [] : [.checkAttachments(attachments.map(\.spec))])
        case nil: break
        }
        return []
    }

    /// The Ctrl-R window's lines (the keys are in the hint bar).
    func keptDraftLines(selected: Int) -> [WindowLine] {
        [WindowLine("Drafts kept from earlier screens (closed or killed), newest first"), WindowLine("")]
            + keptDrafts.enumerated().map { index, kept in
                WindowLine((index == selected ? "▸ " : "  ") + kept.summary + "  (\(kept.fileName))", selected: index == selected)
            }
    }
}
