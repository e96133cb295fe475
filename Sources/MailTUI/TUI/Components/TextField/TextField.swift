/// Grapheme clusters, as the terminal draws them: what the cursor moves over and Backspace deletes.
enum Clusters {
    /// `characters` with `character` inserted at `index`, re-joined into clusters around it, and
    /// the index after it.
    static func insert(_ character: Character, into characters: [Character], at index: Int) -> ([Character], Int) {
        let before = String(characters[..<index]) + String(character)
        let joined = Array(before)
        return (joined + characters[index...], joined.count)
    }
}

/// A one-line editable text with a cursor, edited like readline: the model behind every form field.
struct TextField: Equatable, Sendable {
    private(set) var characters: [Character]
    /// Index into `characters`, 0...count.
    private(set) var cursor: Int

    init(_ text: String = "") {
        characters = Array(text)
        cursor = characters.count
    }

    var text: String {
        get { String(characters) }
        set { characters = Array(newValue); cursor = characters.count }
    }

    var isEmpty: Bool { characters.isEmpty }

    /// Moves the cursor to `index`, clamped to the text.
    mutating func moveCursor(to index: Int) { cursor = min(max(0, index), characters.count) }

    /// Inserts text; code points typed one by one join the character before them when they
    /// belong to it (a skin tone, a zero-width joiner, the second half of a flag).
    mutating func insert(_ text: String) {
        for character in text where character != "\n" && character != "\r" && character != "\r\n" {
            (characters, cursor) = Clusters.insert(character, into: characters, at: cursor)
        }
    }
    /// Applies a line-editing key (typing, and the keys of `TextField.keys`); false when the key is
    /// not one of them. The one line editor: the form's fields, the pickers' names and paths, the
    /// message view's search and the fault panel's value all edit through it.
    mutating func edit(_ key: Key) -> Bool {
        if case .character(let c) = key {
            insert(String(c))
            return true
        }
        guard let action = Self.keys.action(for: key) else { return false }
        switch action {
        case .backspace: backspace()
        case .delete: delete()
        case .left: left()
        case .right: right()
        case .home: home()
        case .end: end()
        case .killToStart: killToStart()
        case .killToEnd: killToEnd()
        case .deleteWord: deleteWordBack()
        }
        return true
    }

    mutating func backspace() { if cursor > 0 { characters.remove(at: cursor - 1); cursor -= 1 } }
    mutating func delete() { if cursor < characters.count { characters.remove(at: cursor) } }
    mutating func left() { cursor = max(0, cursor - 1) }
    mutating func right() { cursor = min(characters.count, cursor + 1) }
    mutating func home() { cursor = 0 }
    mutating func end() { cursor = characters.count }
    /// Ctrl-U: delete from the start of the line to the cursor.
    mutating func killToStart() { characters.removeSubrange(0..<cursor); cursor = 0 }
    /// Ctrl-K: delete from the cursor to the end.
    mutating func killToEnd() { characters.removeSubrange(cursor...) }
    /// Ctrl-W: delete the word before the cursor (and the blanks after it).
    mutating func deleteWordBack() {
        var start = cursor
        while start > 0 && characters[start - 1] == " " { start -= 1 }
        while start > 0 && characters[start - 1] != " " { start -= 1 }
        characters.removeSubrange(start..<cursor)
        cursor = start
    }

    /// The text with a thin bar at the cursor, for a line typed inside a window (which has no
    /// terminal cursor of its own).
    var markedAtCursor: String { String(characters[..<cursor]) + "▏" + String(characters[cursor...]) }

    /// The part to show in `width` columns so that the cursor stays visible (horizontal
    /// scrolling), and the cursor's column within it.
    func visible(width: Int) -> (text: String, cursorColumn: Int) {
        guard width > 0 else { return ("", 0) }
        var start = 0
        var widthBeforeCursor = DisplayWidth.of(String(characters[0..<cursor]))
        // Keep one column for the cursor at the end.
        while widthBeforeCursor > width - 1 && start < cursor {
            widthBeforeCursor -= DisplayWidth.of(characters[start])
            start += 1
        }
        var shown = ""
        var used = 0
        for character in characters[start...] {
            let w = DisplayWidth.of(character)
            if used + w > width { break }
            shown.append(character)
            used += w
        }
        return (shown, widthBeforeCursor)
    }
}
