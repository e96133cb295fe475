/// The fault panel's keys (F12, or f in the inbox).
enum FaultPanelKeys {
    enum Action: Hashable, Sendable { case previousRow, nextRow, previousChoice, nextChoice, set, clearAll, close, quit }

    static let table = KeyTable<Action>("Faults (F12, or f in the inbox)", [
        KeyBinding(.previousRow, [.up, .backTab], help: "the row above"),
        KeyBinding(.nextRow, [.down, .tab], keyText: "↑↓", hint: "Row", help: "the row below"),
        KeyBinding(.previousChoice, [.left], help: "the choice before (preset, stage, action, how often)"),
        KeyBinding(.nextChoice, [.right, .character(" ")], keyText: "←→ Space", hint: "Change", help: "the choice after (Space types a space in the reply)"),
        KeyBinding(.set, [.enter], keyText: "Enter", hint: "Set", help: "put the fault in force on the local server"),
        KeyBinding(.clearAll, [.control("x")], keyText: "^X", hint: "Clear all", help: "clear every fault: the server answers normally"),
        KeyBinding(.close, [.escape, .function(12)], keyText: "Esc", hint: "Close", help: "close the panel"),
        KeyBinding(.quit, [.function(10), .control("q")], keyText: "F10", hint: "Quit", help: "quit mailtui"),
    ])
}
