/// What a key asks the compose screen to do, whatever field has the focus.
enum Command: Equatable, Sendable, CaseIterable {
    case send, probe, autoDetect, checkDomain, cancel, preview, bodyTab, editor, nextField, previousField
    case scrollUp, scrollDown, inbox, faults, profiles, history, keptDrafts, fullText, repaint, help, quit
}

/// One command with its keys and words: the hint bar, the F1 help and the README's key table are
/// made from these, and `update` finds commands in them, so the four cannot drift apart.
struct Binding: Sendable {
    let command: Command
    let keys: [Key]
    /// The keys as the hint bar and the help show them.
    let keyText: String
    /// One or two words for the hint bar.
    let hint: String
    /// A line for the help and the README.
    let help: String
}

/// Keys that act within one kind of field, for the hint bar and the help (the field's own
/// handler acts on them).
struct FieldKeys: Sendable {
    let keyText: String
    let hint: String
    let help: String
}

enum KeyMap {
    static let bindings: [Binding] = [
        Binding(command: .send, keys: [.function(5), .control("s")], keyText: "F5", hint: "Send",
                help: "send (in the background: typing, scrolling and resizing keep working)"),
        Binding(command: .probe, keys: [.function(6), .control("p")], keyText: "F6", hint: "Probe",
                help: "probe the server: extensions, AUTH before/after STARTTLS, TLS, certificate, timings"),
        Binding(command: .autoDetect, keys: [.function(7)], keyText: "F7", hint: "Auto-detect",
                help: "auto-detect: look the host up, try 587, 465, 25, 2525 and the typed port at once, fill in the best port and security, or say why nothing answers (a blocked network, nothing listening)"),
        Binding(command: .checkDomain, keys: [.control("g")], keyText: "^G", hint: "Check domain",
                help: "check the From address's domain as receivers do: MX, SPF (for the server's addresses), DKIM keys of the provider, DMARC, reverse DNS"),
        Binding(command: .cancel, keys: [.escape], keyText: "Esc", hint: "Cancel", help: "cancel a running send, probe or auto-detect, at once"),
        Binding(command: .preview, keys: [.control("v")], keyText: "^V", hint: "Preview",
                help: "preview: the exact bytes that would be sent, with the MIME structure"),
        Binding(command: .bodyTab, keys: [.function(3), .control("t")], keyText: "F3", hint: "Text/HTML/Headers",
                help: "switch the body tab: Text, HTML, Headers (one Name: value per line)"),
        Binding(command: .editor, keys: [.function(4)], keyText: "F4", hint: "$EDITOR", help: "edit the current body tab in $VISUAL / $EDITOR (else vi)"),
        Binding(command: .nextField, keys: [.tab], keyText: "Tab", hint: "Next", help: "next field (↓ too, outside the body)"),
        Binding(command: .previousField, keys: [.backTab], keyText: "S-Tab", hint: "Previous", help: "previous field (↑ too, outside the body)"),
        Binding(command: .scrollUp, keys: [.pageUp], keyText: "PgUp", hint: "Conversation", help: "scroll the conversation up, whatever has the focus"),
        Binding(command: .scrollDown, keys: [.pageDown], keyText: "PgDn", hint: "Conversation", help: "scroll the conversation down"),
        Binding(command: .inbox, keys: [.function(2)], keyText: "F2", hint: "Inbox",
                help: "the local test server's inbox: the messages it caught, newest first; Enter shows one"),
        Binding(command: .faults, keys: [.function(12)], keyText: "F12", hint: "Faults",
                help: "faults of the local test server (F12 or f in the inbox too): the next send, or every one, fails at a stage with a reply, a delay, a close or a hang, or as a provider would (presets)"),
        Binding(command: .profiles, keys: [.function(8)], keyText: "F8", hint: "Profiles",
                help: "profiles and provider presets (Gmail, Microsoft 365, SES, SendGrid...): Enter loads one, s saves the form as one, e shows an export (each press the next format), w saves it"),
        Binding(command: .history, keys: [.function(9)], keyText: "F9", hint: "History", help: "history: Enter re-opens a past send or probe, with its transcript; s writes a report to paste into an issue (no password)"),
        Binding(command: .keptDrafts, keys: [.control("r")], keyText: "^R", hint: "Kept drafts",
                help: "drafts of earlier screens that were closed or killed while another screen was open: Enter opens one (the form is kept in its place), d deletes it"),
        Binding(command: .fullText, keys: [.control("o")], keyText: "^O", hint: "Full text", help: "open the whole status line and diagnosis in a window"),
        Binding(command: .repaint, keys: [.control("l")], keyText: "^L", hint: "Repaint", help: "repaint the screen"),
        Binding(command: .help, keys: [.function(1)], keyText: "F1", hint: "Help", help: "all keys"),
        Binding(command: .quit, keys: [.function(10), .control("q")], keyText: "F10", hint: "Quit", help: "quit (asks while a send runs; the draft is kept)"),
    ]

    /// The command a key gives, if it gives one.
    static func command(for key: Key) -> Command? {
        bindings.first { $0.keys.contains(key) }?.command
    }

    static func binding(_ command: Command) -> Binding { bindings.first { $0.command == command }! }

    /// Every key of a binding, for the help: `F5 / Ctrl-S`.
    static func allKeysText(_ binding: Binding) -> String {
        binding.keys.map(name).joined(separator: " / ")
    }

    static func name(_ key: Key) -> String {
        switch key {
        case .character(" "): "Space"
        case .character(let c): String(c)
        case .control(let c): "Ctrl-" + c.uppercased()
        case .function(let n): "F\(n)"
        case .enter: "Enter"
        case .tab: "Tab"
        case .backTab: "Shift-Tab"
        case .backspace: "Backspace"
        case .delete: "Delete"
        case .escape: "Esc"
        case .left: "←"
        case .right: "→"
        case .up: "↑"
        case .down: "↓"
        case .home: "Home"
        case .end: "End"
        case .pageUp: "PgUp"
        case .pageDown: "PgDn"
        }
    }

    // MARK: Keys within fields

    static let textEditing = FieldKeys(keyText: "^U ^K ^W", hint: "Edit",
                                       help: "text fields: ← → Home End Backspace Delete, Ctrl-A Ctrl-E, Ctrl-U to start, Ctrl-K to end, Ctrl-W a word")
    static let choice = FieldKeys(keyText: "←→ Space", hint: "Change",
                                  help: "Security, Auth, Stop after: ← → or Space change it, and a letter picks the choice that starts with it")
    static let toggle = FieldKeys(keyText: "Space", hint: "Toggle", help: "Verify cert, Deliver if some recipients are refused: Space toggles")
    static let attachAdd = FieldKeys(keyText: "Enter", hint: "Add", help: "Attach: type a path, Tab completes it, Enter adds the file")
    static let attachComplete = FieldKeys(keyText: "Tab", hint: "Complete", help: "")
    static let attachSelect = FieldKeys(keyText: "^N Del", hint: "Select, remove",
                                        help: "Attach, with the field empty: Ctrl-N selects a file, Delete removes it")
    static let conversation = FieldKeys(keyText: "↑↓ Home End", hint: "Scroll",
                                        help: "Conversation (focus it with Tab): ↑ ↓ Home End scroll, End follows new lines")
    static let body = FieldKeys(keyText: "F3 F4", hint: "Tabs, $EDITOR", help: "Body: type as in any editor; Enter is a new line")
    static let messageView = FieldKeys(keyText: "F2 Enter", hint: "Read",
                                       help: "A caught message (F2, Enter): ← → or 1-6 switch Text, HTML, Headers, Structure, Raw, Conversation; "
                                           + "↑ ↓ PgUp PgDn Home End scroll; / searches, n finds the next; a picks an attachment, s saves it (Tab completes); "
                                           + "r sends it again (it becomes the draft); d deletes it (u in the list brings it back until the screen closes); Esc goes back to the list")

    /// Every key, as the help and the README list it.
    static var helpRows: [(keys: String, text: String)] {
        bindings.map { (allKeysText($0), $0.help) }
            + fieldKeys.map { ("", $0.help) }
    }

    /// The keys within fields and windows, in the order the help and the README list them.
    static var fieldKeys: [FieldKeys] {
        [textEditing, choice, toggle, attachAdd, attachSelect, conversation, body, messageView]
    }
}
