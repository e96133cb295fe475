#if canImport(Glibc)
import Glibc
#endif

/// The locale the compose screen draws in, set once before the terminal starts: the user's, with
/// UTF-8 character types. ncurses and `wcwidth` (so `DisplayWidth`) answer by LC_CTYPE, and
/// mailtui draws UTF-8, so a C locale (a bare shell) gets C.UTF-8 character types. Once per
/// process, whoever asks first (the terminal, the benchmark, a test).
enum TerminalLocale {
    static func adopt() { _ = adopted }

    private static let adopted: Void = {
        setlocale(LC_ALL, "")
        let current = setlocale(LC_CTYPE, nil).map { String(cString: $0).lowercased() } ?? ""
        if !current.contains("utf-8") && !current.contains("utf8") { setlocale(LC_CTYPE, "C.UTF-8") }
    }()
}
