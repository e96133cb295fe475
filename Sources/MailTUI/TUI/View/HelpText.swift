/// The F1 window and the README's key tables, both made from the key tables: the screen's
/// (`KeyMap`) and each component's. A test checks that the README has `markdown`.
enum HelpText {
    /// Every table, in the order F1 and the README list them.
    static var sections: [HelpSection] {
        [KeyMap.commands.help, TextField.keys.help, FormKeys.moving.help, FormKeys.choice.help, FormKeys.toggle.help, FormKeys.attach.help,
         OAuthKeys.account.help, OAuthKeys.window.help,
         TextArea.keys.help, ConversationKeys.table.help, InboxKeys.table.help, InboxKeys.mailboxes.help, MessageViewKeys.table.help, MessageViewKeys.searching.help,
         MessageViewKeys.saving.help, FaultPanelKeys.table.help, PickerKeys.profiles.help, PickerKeys.entry.help, PickerKeys.history.help,
         PickerKeys.keptDrafts.help, WindowKeys.scrolling.help, WindowKeys.confirmQuit.help, RelayKeys.confirm.help]
    }

    static var lines: [String] {
        let keyWidth = min(24, sections.flatMap(\.rows).map { DisplayWidth.of($0.keys) }.max() ?? 10)
        var lines = ["mailtui keys (↑ ↓ PgUp PgDn scroll, any other key closes)"]
        for section in sections {
            lines += ["", section.title]
            for row in section.rows {
                let pad = String(repeating: " ", count: max(0, keyWidth - DisplayWidth.of(row.keys)))
                lines.append("  " + row.keys + pad + "  " + row.text)
            }
        }
        lines += ["", "Conversation: -> sent, <- received, ~> <~ inside TLS. Passwords are never shown.",
                  "The form (not the password) is saved as a draft as you type."]
        return lines
    }

    /// The README's key tables: one per section, under a bold title.
    static var markdown: String {
        sections.map { section in
            "**\(section.title)**\n\n| Keys | |\n|---|---|\n" + section.rows.map { "| \($0.keys) | \($0.text) |\n" }.joined()
        }.joined(separator: "\n")
    }
}
