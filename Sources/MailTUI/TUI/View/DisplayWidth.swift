@preconcurrency import CNcurses
#if canImport(Glibc)
import Glibc
#endif

/// How many terminal columns text takes, as the C library counts them (`wcwidth`, summed over a
/// grapheme cluster like `wcswidth`): what ncurses and terminals such as tmux use to place each
/// code point. A cluster such as 👍🏽 or 🇩🇪 is drawn code point by code point, each spacing one in a
/// cell of its own with the zero-width ones (joiners, variation selectors, combining marks) after
/// it, so that the screen, ncurses' cursor and the terminal agree on every column. wcwidth answers
/// by LC_CTYPE, which `TerminalLocale` sets to UTF-8 when the program starts the terminal.
enum DisplayWidth {
    static func of(_ character: Character) -> Int {
        cells(of: character).reduce(0) { $0 + $1.width }
    }

    static func of(_ scalar: Unicode.Scalar) -> Int {
        if scalar.value == 0 { return 0 }
        let width = wcwidth(wchar_t(bitPattern: scalar.value))
        return width < 0 ? 1 : Int(width)
    }

    static func of(_ text: some StringProtocol) -> Int {
        text.reduce(0) { $0 + of($1) }
    }

    /// The cells a character takes: each spacing code point with the zero-width ones after it.
    /// A zero-width joiner is not drawn: a terminal would join the sequence (👨‍👩‍👧) into one glyph
    /// narrower than ncurses counts, and every later column would be off; its parts are drawn side
    /// by side instead (the text keeps the joiners). A leading zero-width code point (a lone
    /// combining mark) takes no cell.
    static func cells(of character: Character) -> [(text: String, width: Int)] {
        var cells: [(text: String, width: Int)] = []
        for scalar in character.unicodeScalars where scalar != "\u{200D}" {
            let width = of(scalar)
            if width == 0 {
                if !cells.isEmpty { cells[cells.count - 1].text.unicodeScalars.append(scalar) }
            } else {
                cells.append((String(scalar), width))
            }
        }
        return cells
    }
}
