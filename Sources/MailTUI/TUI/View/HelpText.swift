/// The F1 window: every key, made from the key map.
enum HelpText {
    static var lines: [String] {
        let keyWidth = KeyMap.helpRows.map { DisplayWidth.of($0.keys) }.max() ?? 10
        var lines = ["mailtui keys (↑ ↓ PgUp PgDn scroll, any other key closes)", ""]
        for row in KeyMap.helpRows {
            let keys = row.keys + String(repeating: " ", count: max(0, keyWidth - DisplayWidth.of(row.keys)))
            lines.append((row.keys.isEmpty ? String(repeating: " ", count: keyWidth) : keys) + "  " + row.text)
        }
        lines += ["", "Conversation: -> sent, <- received, ~> <~ inside TLS. Passwords are never shown.",
                  "The form (not the password) is saved as a draft as you type."]
        return lines
    }

    /// The README's key table, made from the same map (a test checks that the README has it).
    static var markdownTable: String {
        var out = "| Keys | |\n|---|---|\n"
        for binding in KeyMap.bindings { out += "| \(KeyMap.allKeysText(binding)) | \(binding.help) |\n" }
        for keys in KeyMap.fieldKeys {
            out += "| \(keys.keyText) | \(keys.help) |\n"
        }
        return out
    }
}
