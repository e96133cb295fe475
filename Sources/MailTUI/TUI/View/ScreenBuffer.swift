/// A colour a cell can have; `.default` is the terminal's own.
enum Color: Int, Equatable, Sendable {
    case `default` = -1, black = 0, red, green, yellow, blue, magenta, cyan, white
}

/// How a cell looks.
struct Style: Equatable, Sendable {
    var foreground: Color = .default
    var background: Color = .default
    var bold = false
    var dim = false
    var reverse = false
    var underline = false

    static let plain = Style()
}

/// One terminal cell: one spacing code point with the zero-width ones that follow it (a joiner, a
/// variation selector, a combining accent). A double-width one occupies its cell and a
/// `continuation` cell after it.
struct Cell: Equatable, Sendable {
    var character: Character = " "
    var style: Style = .plain
    /// The right half of a wide character: drawn by the cell before it.
    var continuation = false
}

/// The whole screen as a grid of cells: what `render` draws into and what tests compare.
struct ScreenBuffer: Equatable, Sendable {
    let width: Int
    let height: Int
    private(set) var cells: [Cell]
    /// Where the terminal cursor should be, or nil to hide it.
    var cursor: (x: Int, y: Int)? {
        get { cursorX.map { ($0, cursorY) } }
        set { cursorX = newValue?.x; cursorY = newValue?.y ?? 0 }
    }
    private var cursorX: Int?
    private var cursorY = 0

    init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: Cell(), count: self.width * self.height)
    }

    subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set { cells[y * width + x] = newValue }
    }

    /// Writes text from (x, y), clipped to `maxWidth` columns and the screen edge, by display
    /// width; a wide character that does not fit is replaced by a space. Text cut at `maxWidth`
    /// ends in "…", so that a cut never passes for the whole. Returns columns used.
    @discardableResult
    mutating func put(_ text: some StringProtocol, x: Int, y: Int, style: Style = .plain, maxWidth: Int? = nil) -> Int {
        guard y >= 0 && y < height && x < width else { return 0 }
        let limit = min(width, x + (maxWidth ?? width))
        if let maxWidth, maxWidth > 1, DisplayWidth.of(text) > min(maxWidth, width - x) {
            let room = min(maxWidth, width - x) - 1
            var kept = ""
            var used = 0
            for character in text {
                let w = DisplayWidth.of(character)
                if used + w > room { break }
                kept.append(character)
                used += w
            }
            let written = put(kept, x: x, y: y, style: style)
            return written + put("…", x: x + written, y: y, style: style)
        }
        var column = x
        drawing: for character in text {
            let safe = character.unicodeScalars.allSatisfy { $0.value >= 32 && !(0x7F..<0xA0).contains($0.value) }
            for cell in safe ? DisplayWidth.cells(of: character) : [("?", 1)] {
                if column + cell.width > limit {
                    if column < limit && cell.width == 2 { self[column, y] = Cell(character: " ", style: style); column += 1 }
                    break drawing
                }
                if column >= 0 {
                    self[column, y] = Cell(character: Character(cell.text), style: style)
                    if cell.width == 2 { self[column + 1, y] = Cell(character: " ", style: style, continuation: true) }
                }
                column += cell.width
            }
        }
        return column - x
    }

    /// Fills a rectangle with a style (and spaces).
    mutating func fill(x: Int, y: Int, width w: Int, height h: Int, style: Style) {
        for row in max(0, y)..<min(height, y + h) {
            for column in max(0, x)..<min(width, x + w) { self[column, row] = Cell(character: " ", style: style) }
        }
    }

    /// Changes the style of existing cells (for highlighting).
    mutating func restyle(x: Int, y: Int, width w: Int, style: Style) {
        guard y >= 0 && y < height else { return }
        for column in max(0, x)..<min(width, x + w) { self[column, y].style = style }
    }

    /// A row as plain text, trailing spaces kept.
    func row(_ y: Int) -> String {
        var text = ""
        for x in 0..<width where !self[x, y].continuation { text.append(self[x, y].character) }
        return text
    }

    /// The whole screen as text, trailing spaces trimmed: what a person sees.
    var text: String {
        (0..<height).map { y in
            var line = row(y)
            while line.last == " " { line.removeLast() }
            return line
        }.joined(separator: "\n")
    }

    static func == (a: ScreenBuffer, b: ScreenBuffer) -> Bool {
        a.width == b.width && a.height == b.height && a.cells == b.cells && a.cursorX == b.cursorX && a.cursorY == b.cursorY
    }
}
