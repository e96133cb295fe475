@preconcurrency import CNcurses
#if canImport(Glibc)
import Glibc
#endif

/// How many terminal columns text takes, as ncurses counts them: the C library's `wcwidth` of a
/// cell's first code point (ncurses draws a grapheme cluster in one cell, advancing by that width).
/// Controls count one column, since they are drawn as `?`.
enum DisplayWidth {
    /// wcwidth answers by LC_CTYPE; mailtui draws UTF-8, so a C locale (tests, a bare shell)
    /// is switched to C.UTF-8 once.
    private static let utf8: Bool = {
        let current = setlocale(LC_CTYPE, nil).map { String(cString: $0).lowercased() } ?? ""
        if !current.contains("utf-8") && !current.contains("utf8") { setlocale(LC_CTYPE, "C.UTF-8") }
        return true
    }()

    static func of(_ character: Character) -> Int {
        guard let first = character.unicodeScalars.first else { return 0 }
        return of(first)
    }

    static func of(_ scalar: Unicode.Scalar) -> Int {
        _ = utf8
        if scalar.value == 0 { return 0 }
        let width = wcwidth(wchar_t(bitPattern: scalar.value))
        return width < 0 ? 1 : Int(width)
    }

    static func of(_ text: some StringProtocol) -> Int {
        text.reduce(0) { $0 + of($1) }
    }
}
