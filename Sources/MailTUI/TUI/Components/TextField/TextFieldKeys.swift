/// The line editor's keys, readline's: every one-line text in the screen is edited with these.
extension TextField {
    enum Action: Hashable, Sendable {
        case left, right, home, end, backspace, delete, killToStart, killToEnd, deleteWord
    }

    static let keys = KeyTable<Action>("Text fields (and every line typed in a window)", [
        KeyBinding(.left, [.left, .control("b")], help: "move left"),
        KeyBinding(.right, [.right, .control("f")], help: "move right"),
        KeyBinding(.home, [.home, .control("a")], help: "to the start"),
        KeyBinding(.end, [.end, .control("e")], help: "to the end"),
        KeyBinding(.backspace, [.backspace], help: "delete before the cursor"),
        KeyBinding(.delete, [.delete, .control("d")], help: "delete under the cursor"),
        KeyBinding(.killToStart, [.control("u")], keyText: "^U ^K ^W", hint: "Edit", help: "delete to the start"),
        KeyBinding(.killToEnd, [.control("k")], help: "delete to the end"),
        KeyBinding(.deleteWord, [.control("w")], help: "delete the word before the cursor"),
    ])
}
