/// A caught message's keys (F2, then Enter), and those of the two lines typed in it.
enum MessageViewKeys {
    enum Action: Hashable, Sendable {
        case nextTab, previousTab, tab, lineUp, lineDown, pageUp, pageDown, top, bottom
        case search, findNext, nextAttachment, saveAttachment, sendAgain, delete, back, quit
    }

    static let table = KeyTable<Action>("A caught message (F2, then Enter)", [
        KeyBinding(.nextTab, [.right, .tab, .character("l")], keyText: "←→ 1-7", hint: "Tabs", help: "the next tab"),
        KeyBinding(.previousTab, [.left, .backTab, .character("h")], help: "the tab before"),
        KeyBinding(.tab, (1...7).map { .character(Character(String($0))) }, help: "Text, HTML, Headers, Structure, Raw, Conversation, Checks", helpKeys: "1-7"),
        KeyBinding(.lineUp, [.up, .character("k")], keyText: "↑↓ PgUp/PgDn", hint: "Scroll", help: "scroll a row up"),
        KeyBinding(.lineDown, [.down, .character("j")], help: "scroll a row down"),
        KeyBinding(.pageUp, [.pageUp], help: "a page up"),
        KeyBinding(.pageDown, [.pageDown, .character(" ")], help: "a page down"),
        KeyBinding(.top, [.home, .character("g")], help: "the start"),
        KeyBinding(.bottom, [.end, .character("G")], help: "the end"),
        KeyBinding(.search, [.character("/")], keyText: "/ n", hint: "Search", help: "search the tab (any case)"),
        KeyBinding(.findNext, [.character("n")], help: "find the next match"),
        KeyBinding(.nextAttachment, [.character("a")], keyText: "a s", hint: "Attachment, save", help: "pick the next attachment"),
        KeyBinding(.saveAttachment, [.character("s")], help: "save the attachment picked (Tab completes the path)"),
        KeyBinding(.sendAgain, [.character("r")], keyText: "r", hint: "Send again", help: "send it again: it becomes the draft in the form"),
        KeyBinding(.delete, [.character("d"), .delete], keyText: "d", hint: "Delete", help: "delete it (u in the list brings it back until the screen closes)"),
        KeyBinding(.back, [.escape, .character("q")], keyText: "Esc", hint: "Inbox", help: "back to the list"),
        KeyBinding(.quit, [.function(10), .control("q")], keyText: "F10", hint: "Quit", help: "quit mailtui"),
    ])

    enum SearchAction: Hashable, Sendable { case find, back }

    static let searching = KeyTable<SearchAction>("Searching a caught message (/)", [
        KeyBinding(.find, [.enter], keyText: "Enter", hint: "Find", help: "find what is typed"),
        KeyBinding(.back, [.escape], keyText: "Esc", hint: "Back", help: "stop searching"),
    ])

    enum SaveAction: Hashable, Sendable { case complete, save, back }

    static let saving = KeyTable<SaveAction>("Saving an attachment (s)", [
        KeyBinding(.complete, [.tab], keyText: "Tab", hint: "Complete", help: "complete the path"),
        KeyBinding(.save, [.enter], keyText: "Enter", hint: "Save", help: "save it there (a name taken gets a number)"),
        KeyBinding(.back, [.escape], keyText: "Esc", hint: "Back", help: "do not save"),
    ])
}
