/// The keys within the form's fields, by kind of field; text fields edit with `TextField.keys`
/// and the body with `TextArea.keys`.
enum FormKeys {
    /// Moving between fields from within one (Tab and Shift-Tab are the screen's).
    enum MoveAction: Hashable, Sendable { case previous, next }

    static let moving = KeyTable<MoveAction>("Moving between fields", [
        KeyBinding(.previous, [.up], help: "the field before (outside the body and the conversation)"),
        KeyBinding(.next, [.down, .enter], help: "the field after (outside the body and the conversation)"),
    ])

    /// Security, Auth and Stop after.
    enum ChoiceAction: Hashable, Sendable { case previous, next, pick }

    static let choice = KeyTable<ChoiceAction>("Security, Auth, Stop after", [
        KeyBinding(.previous, [.left], help: "the choice before"),
        KeyBinding(.next, [.right, .character(" ")], keyText: "←→ Space", hint: "Change", help: "the choice after"),
        KeyBinding(.pick, [], help: "the choice that starts with it", helpKeys: "a letter"),
    ])

    /// Verify cert, and Deliver if some recipients are refused.
    enum ToggleAction: Hashable, Sendable { case toggle }

    static let toggle = KeyTable<ToggleAction>("Verify cert, Deliver if some recipients are refused", [
        KeyBinding(.toggle, [.character(" "), .left, .right], keyText: "Space", hint: "Toggle", help: "toggle it"),
    ])

    /// The Attach field: a path typed, and the files attached.
    enum AttachAction: Hashable, Sendable { case add, complete, select, remove }

    static let attach = KeyTable<AttachAction>("Attach", [
        KeyBinding(.add, [.enter], keyText: "Enter", hint: "Add", help: "add the file whose path is typed"),
        KeyBinding(.complete, [.tab], keyText: "Tab", hint: "Complete", help: "complete the path typed"),
        KeyBinding(.select, [.control("n")], keyText: "^N Del", hint: "Select, remove", help: "with the field empty: select the next file"),
        KeyBinding(.remove, [.delete, .control("d")], help: "with the field empty: remove the selected file"),
    ])
}
