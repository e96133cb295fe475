/// What a key asks the compose screen to do, whatever field has the focus. The screen's own
/// table; each component (Components/) has its table for the keys within it.
enum Command: Hashable, Sendable, CaseIterable {
    case send, probe, autoDetect, checkDomain, cancel, preview, bodyTab, editor, nextField, previousField
    case scrollUp, scrollDown, inbox, faults, relay, profiles, history, keptDrafts, fullText, repaint, help, quit
}

/// The compose screen's key table: `update` finds its commands here (before the focused field
/// sees the key), and the hint bar, F1 and the README's first key table show it.
enum KeyMap {
    static let commands = KeyTable<Command>("The compose screen", [
        KeyBinding(.send, [.function(5), .control("s")], keyText: "F5", hint: "Send",
                help: "send (in the background: typing, scrolling and resizing keep working)"),
        KeyBinding(.probe, [.function(6), .control("p")], keyText: "F6", hint: "Probe",
                help: "probe the server: extensions, AUTH before/after STARTTLS, TLS, certificate, timings"),
        KeyBinding(.autoDetect, [.function(7)], keyText: "F7", hint: "Auto-detect",
                help: "auto-detect: look the host up, try 587, 465, 25, 2525 and the typed port at once, fill in the best port and security, or say why nothing answers (a blocked network, nothing listening)"),
        KeyBinding(.checkDomain, [.control("g")], keyText: "^G", hint: "Check domain",
                help: "check the From address's domain as receivers do: MX, SPF (for the server's addresses), DKIM keys of the provider, DMARC, reverse DNS"),
        KeyBinding(.cancel, [.escape], keyText: "Esc", hint: "Cancel", help: "cancel a running send, probe or auto-detect, at once"),
        KeyBinding(.preview, [.control("v")], keyText: "^V", hint: "Preview",
                help: "preview: the exact bytes that would be sent, with the MIME structure"),
        KeyBinding(.bodyTab, [.function(3), .control("t")], keyText: "F3", hint: "Text/HTML/Headers",
                help: "switch the body tab: Text, HTML, Headers (one Name: value per line)"),
        KeyBinding(.editor, [.function(4)], keyText: "F4", hint: "$EDITOR", help: "edit the current body tab in $VISUAL / $EDITOR (else vi)"),
        KeyBinding(.nextField, [.tab], keyText: "Tab", hint: "Next", help: "next field (↓ too, outside the body)"),
        KeyBinding(.previousField, [.backTab], keyText: "S-Tab", hint: "Previous", help: "previous field (↑ too, outside the body)"),
        KeyBinding(.scrollUp, [.pageUp], keyText: "PgUp", hint: "Conversation", help: "scroll the conversation up, whatever has the focus"),
        KeyBinding(.scrollDown, [.pageDown], keyText: "PgDn", hint: "Conversation", help: "scroll the conversation down"),
        KeyBinding(.inbox, [.function(2)], keyText: "F2", hint: "Inbox",
                help: "the local test server's inbox: the messages it caught, newest first; Enter shows one"),
        KeyBinding(.faults, [.function(12)], keyText: "F12", hint: "Faults",
                help: "faults of the local test server (F12 or f in the inbox too): the next send, or every one, fails at a stage with a reply, a delay, a close, a hang or a limit (a rate, greylisting, a slow line, a drop partway), or as a provider would (presets)"),
        KeyBinding(.relay, [.control("y")], keyText: "^Y", hint: "Relay",
                help: "relay what my app sends to the server in the form: the local test server forwards each message there live, both legs recorded (F2 shows the outcome); asks once, since the mail really goes out; again: stop relaying"),
        KeyBinding(.profiles, [.function(8)], keyText: "F8", hint: "Profiles",
                help: "profiles and provider presets (Gmail, Microsoft 365, SES, SendGrid...): Enter loads one, s saves the form as one, e shows an export (each press the next format), w saves it"),
        KeyBinding(.history, [.function(9)], keyText: "F9", hint: "History", help: "history: Enter re-opens a past send or probe, with its transcript; s writes a report to paste into an issue (no password)"),
        KeyBinding(.keptDrafts, [.control("r")], keyText: "^R", hint: "Kept drafts",
                help: "drafts of earlier screens that were closed or killed while another screen was open: Enter opens one (the form is kept in its place), d deletes it"),
        KeyBinding(.fullText, [.control("o")], keyText: "^O", hint: "Full text", help: "open the whole status line and diagnosis in a window"),
        KeyBinding(.repaint, [.control("l")], keyText: "^L", hint: "Repaint", help: "repaint the screen"),
        KeyBinding(.help, [.function(1)], keyText: "F1", hint: "Help", help: "all keys"),
        KeyBinding(.quit, [.function(10), .control("q")], keyText: "F10", hint: "Quit", help: "quit (asks while a send runs; the draft is kept)"),
    ])

    static var bindings: [KeyBinding<Command>] { commands.bindings }

    /// The command a key gives, if it gives one.
    static func command(for key: Key) -> Command? { commands.action(for: key) }

    static func binding(_ command: Command) -> KeyBinding<Command> { commands.binding(command)! }

    /// Every key of a binding, for the help: `F5 / Ctrl-S`.
    static func allKeysText(_ binding: KeyBinding<Command>) -> String { binding.helpKeyText }
}
