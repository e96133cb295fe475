/// Keys in the plain windows: F1's help, Ctrl-O's full text and the question before quitting.
extension AppState {
    /// Long windows scroll with ↑ ↓ PgUp PgDn; any other key closes them.
    mutating func updateScrollWindow(_ key: Key, _ window: Overlay) -> [Effect] {
        let rows = max(1, height - 6)
        let step: Int? = switch WindowKeys.scrolling.action(for: key) {
        case .lineUp?: -1
        case .lineDown?: 1
        case .pageUp?: -rows
        case .pageDown?: rows
        case nil: nil
        }
        guard let step else { overlay = nil; return [] }
        switch window {
        case .fullText(let lines, let top): overlay = .fullText(lines, top: min(max(0, top + step), max(0, lines.count - rows)))
        case .help(let top): overlay = .help(top: min(max(0, top + step), max(0, HelpText.lines.count - rows)))
        default: break
        }
        return []
    }

    mutating func updateConfirmQuit(_ key: Key) -> [Effect] {
        switch WindowKeys.confirmQuit.action(for: key) {
        case .yes?:
            overlay = nil
            return isSending ? [.cancelSend, .quit] : [.quit]
        case .no?: overlay = nil
        case nil: break
        }
        return []
    }
}
