/// One key binding of a component, as bubbles' `key.Binding`: the keys, what the hint bar shows,
/// and the line F1 and the README give it. The component's `update` finds its action by the key
/// in the same value, so the handling, the hint bar, the help and the README cannot drift apart.
struct KeyBinding<Action: Hashable & Sendable>: Sendable {
    let action: Action
    /// The keys that give the action; empty for keys a handler takes by kind (a typed letter).
    let keys: [Key]
    /// How the hint bar shows the keys (`↑↓`, `F5`); empty: this binding is not in the bar.
    let keyText: String
    /// One or two words for the hint bar.
    let hint: String
    /// A line for the help and the README; empty: not listed there.
    let help: String
    /// The keys as the help lists them, when not simply `keys` (`a letter`, `1-6`).
    let helpKeys: String?

    init(_ action: Action, _ keys: [Key], keyText: String = "", hint: String = "", help: String, helpKeys: String? = nil) {
        self.action = action
        self.keys = keys
        self.keyText = keyText
        self.hint = hint
        self.help = help
        self.helpKeys = helpKeys
    }

    /// The keys as the help and the README name them: `F5 / Ctrl-S`.
    var helpKeyText: String { helpKeys ?? keys.map(KeyName.of).joined(separator: " / ") }
}

/// A hint in the bar at the foot of the screen: the keys and their words.
typealias Hint = (keys: String, words: String)

/// A component's key map: its bindings, in the order the hint bar and the help list them, and
/// the title its section has in F1 and the README.
struct KeyTable<Action: Hashable & Sendable>: Sendable {
    let title: String
    let bindings: [KeyBinding<Action>]

    init(_ title: String, _ bindings: [KeyBinding<Action>]) {
        self.title = title
        self.bindings = bindings
    }

    /// The action a key gives in this component, if it gives one.
    func action(for key: Key) -> Action? {
        bindings.first { $0.keys.contains(key) }?.action
    }

    /// The binding of an action (every action of a table has one).
    func binding(_ action: Action) -> KeyBinding<Action>? {
        bindings.first { $0.action == action }
    }

    /// The hint-bar entries of the bindings whose actions are offered now, in the table's order.
    func hints(offering offered: (Action) -> Bool = { _ in true }) -> [Hint] {
        bindings.filter { !$0.keyText.isEmpty && offered($0.action) }.map { (keys: $0.keyText, words: $0.hint) }
    }

    /// The section F1 and the README show for this table.
    var help: HelpSection {
        HelpSection(title: title, rows: bindings.filter { !$0.help.isEmpty }.map { (keys: $0.helpKeyText, text: $0.help) })
    }

    /// A short line of keys for a window's foot (`Enter set · Esc close`), from the hint bar's
    /// entries, so that a window says what its own table says.
    func footer(offering offered: (Action) -> Bool = { _ in true }) -> String {
        hints(offering: offered).map { $0.keys + " " + $0.words.lowercased() }.joined(separator: " · ")
    }
}

/// A titled group of keys in F1's window and the README's key tables.
struct HelpSection: Sendable {
    let title: String
    let rows: [(keys: String, text: String)]
}

/// How keys are named in the help and the README.
enum KeyName {
    static func of(_ key: Key) -> String {
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
}
