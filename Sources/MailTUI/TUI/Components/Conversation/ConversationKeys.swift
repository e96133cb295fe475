/// The conversation pane's keys, while it has the focus (PgUp and PgDn scroll it from anywhere:
/// those are the screen's).
enum ConversationKeys {
    enum Action: Hashable, Sendable { case lineUp, lineDown, pageUp, pageDown, top, follow, nextField }

    static let table = KeyTable<Action>("Conversation (focus it with Tab)", [
        KeyBinding(.lineUp, [.up], keyText: "↑↓ Home End", hint: "Scroll", help: "scroll a line up"),
        KeyBinding(.lineDown, [.down], help: "scroll a line down"),
        KeyBinding(.pageUp, [.pageUp], help: "a page up"),
        KeyBinding(.pageDown, [.pageDown], help: "a page down"),
        KeyBinding(.top, [.home], help: "the first line"),
        KeyBinding(.follow, [.end], help: "the last line, and follow new lines again"),
        KeyBinding(.nextField, [.enter], help: "the next field"),
    ])
}
