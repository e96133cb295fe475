/// The keys of the plain windows: F1's help and Ctrl-O's full text scroll, and the question
/// before quitting.
enum WindowKeys {
    enum ScrollAction: Hashable, Sendable { case lineUp, lineDown, pageUp, pageDown }

    static let scrolling = KeyTable<ScrollAction>("Help (F1) and full text (Ctrl-O)", [
        KeyBinding(.lineUp, [.up], help: "scroll a line up"),
        KeyBinding(.lineDown, [.down], help: "scroll a line down"),
        KeyBinding(.pageUp, [.pageUp], keyText: "↑↓ PgUp/PgDn", hint: "Scroll", help: "a page up"),
        KeyBinding(.pageDown, [.pageDown], help: "a page down"),
    ])

    /// What the scrolling windows' hint bar adds: any key not in `scrolling` closes them.
    static let closeHint: Hint = ("any other key", "Close")

    enum ConfirmAction: Hashable, Sendable { case yes, no }

    static let confirmQuit = KeyTable<ConfirmAction>("Quit? (asked while a send runs or the draft cannot be saved)", [
        KeyBinding(.yes, [.character("y"), .character("Y")], keyText: "y", hint: "Quit", help: "quit"),
        KeyBinding(.no, [.character("n"), .character("N"), .escape], keyText: "n", hint: "Stay", help: "stay"),
    ])
}

/// A line of a window over the form; a selected one is drawn in reverse video besides its ▸.
struct WindowLine: Equatable, Sendable {
    var text: String
    var selected: Bool

    init(_ text: String, selected: Bool = false) {
        self.text = text
        self.selected = selected
    }
}
