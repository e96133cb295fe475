/// A multi-line editable text (the bodies and extra headers), with a cursor and vertical scrolling.
struct TextArea: Equatable, Sendable {
    private(set) var lines: [[Character]]
    private(set) var row = 0
    private(set) var column = 0
    /// The first line shown.
    private(set) var scroll = 0
    /// Counts changes to the text, so that "did it change?" never compares (or joins) a 10 MB body.
    private(set) var revision = 0

    /// The same text, cursor and scroll, whatever the edits that led there.
    static func == (a: TextArea, b: TextArea) -> Bool {
        a.row == b.row && a.column == b.column && a.scroll == b.scroll && a.lines == b.lines
    }

    init(_ text: String = "") {
        lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0) }
        if lines.isEmpty { lines = [[]] }
    }

    var text: String {
        get { lines.map { String($0) }.joined(separator: "\n") }
        set { self = TextArea(newValue) }
    }

    var isEmpty: Bool { lines.count == 1 && lines[0].isEmpty }

    /// Inserts text; code points typed one by one (an emoji with a skin tone, a family, a flag)
    /// join the character before them, as they do on screen.
    mutating func insert(_ text: String) {
        if !text.isEmpty { revision += 1 }
        for character in text {
            if character == "\n" || character == "\r\n" || character == "\r" { newline() } else {
                (lines[row], column) = Clusters.insert(character, into: lines[row], at: column)
            }
        }
    }
    mutating func newline() {
        revision += 1
        let rest = Array(lines[row][column...])
        lines[row].removeSubrange(column...)
        lines.insert(rest, at: row + 1)
        row += 1
        column = 0
    }
    mutating func backspace() {
        if column > 0 || row > 0 { revision += 1 }
        if column > 0 {
            lines[row].remove(at: column - 1)
            column -= 1
        } else if row > 0 {
            column = lines[row - 1].count
            lines[row - 1] += lines[row]
            lines.remove(at: row)
            row -= 1
        }
    }
    mutating func delete() {
        if column < lines[row].count || row + 1 < lines.count { revision += 1 }
        if column < lines[row].count { lines[row].remove(at: column) } else if row + 1 < lines.count {
            lines[row] += lines[row + 1]
            lines.remove(at: row + 1)
        }
    }
    mutating func left() {
        if column > 0 { column -= 1 } else if row > 0 { row -= 1; column = lines[row].count }
    }
    mutating func right() {
        if column < lines[row].count { column += 1 } else if row + 1 < lines.count { row += 1; column = 0 }
    }
    mutating func up() { if row > 0 { row -= 1; column = min(column, lines[row].count) } }
    mutating func down() { if row + 1 < lines.count { row += 1; column = min(column, lines[row].count) } }
    mutating func home() { column = 0 }
    mutating func end() { column = lines[row].count }
    mutating func killToEnd() {
        if column < lines[row].count {
            revision += 1
            lines[row].removeSubrange(column...)
        } else {
            delete()
        }
    }
    mutating func killToStart() {
        if column > 0 { revision += 1 }
        lines[row].removeSubrange(0..<column)
        column = 0
    }
    mutating func page(_ direction: Int, height: Int) {
        let step = max(1, height - 1) * direction
        row = min(max(0, row + step), lines.count - 1)
        column = min(column, lines[row].count)
    }

    /// Scrolls so that the cursor row is within `height` rows.
    mutating func keepCursorVisible(height: Int) {
        guard height > 0 else { return }
        if row < scroll { scroll = row }
        if row >= scroll + height { scroll = row - height + 1 }
    }

    /// The rows to show and the cursor's position within them.
    func visible(width: Int, height: Int) -> (rows: [String], cursor: (x: Int, y: Int)) {
        var top = scroll
        if row < top { top = row }
        if row >= top + height { top = row - height + 1 }
        let shown = (top..<min(lines.count, top + height)).map { index -> String in
            var field = TextField(String(lines[index]))
            field.moveCursor(to: index == row ? column : 0)
            return field.visible(width: width).text
        }
        var cursorField = TextField(String(lines[row]))
        cursorField.moveCursor(to: column)
        return (shown, (cursorField.visible(width: width).cursorColumn, row - top))
    }
}
