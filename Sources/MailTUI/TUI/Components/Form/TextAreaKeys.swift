/// The body editor's keys: typing, and these.
extension TextArea {
    enum Action: Hashable, Sendable {
        case newline, up, down, left, right, home, end, backspace, delete, killToStart, killToEnd
    }

    static let keys = KeyTable<Action>("Body (Text, HTML, Headers)", [
        KeyBinding(.newline, [.enter], help: "a new line"),
        KeyBinding(.up, [.up], help: "the line above"),
        KeyBinding(.down, [.down], help: "the line below"),
        KeyBinding(.left, [.left], help: "move left (to the line above at its start)"),
        KeyBinding(.right, [.right], help: "move right (to the line below at its end)"),
        KeyBinding(.home, [.home, .control("a")], help: "to the start of the line"),
        KeyBinding(.end, [.end, .control("e")], help: "to the end of the line"),
        KeyBinding(.backspace, [.backspace], help: "delete before the cursor (joins the lines at a line's start)"),
        KeyBinding(.delete, [.delete, .control("d")], help: "delete under the cursor"),
        KeyBinding(.killToStart, [.control("u")], help: "delete to the start of the line"),
        KeyBinding(.killToEnd, [.control("k")], help: "delete to the end of the line (the line break at its end)"),
    ])

    /// Applies an editing key (typing, and the keys of `TextArea.keys`); false when the key is not
    /// one of them.
    mutating func edit(_ key: Key) -> Bool {
        if case .character(let c) = key {
            insert(String(c))
            return true
        }
        guard let action = Self.keys.action(for: key) else { return false }
        switch action {
        case .newline: newline()
        case .up: up()
        case .down: down()
        case .left: left()
        case .right: right()
        case .home: home()
        case .end: end()
        case .backspace: backspace()
        case .delete: delete()
        case .killToStart: killToStart()
        case .killToEnd: killToEnd()
        }
        return true
    }
}
