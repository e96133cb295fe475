@preconcurrency import CNcurses
#if canImport(Glibc)
import Glibc
#endif

/// The thin ncurses adapter: starts and stops curses, turns key codes into `Key`s, and copies a
/// `ScreenBuffer` to the terminal, only the cells that changed. Used from the main thread only.
final class Terminal {
    private var previous: ScreenBuffer?
    private var pairs: [Int: Int16] = [:]
    private(set) var colorsAvailable = false

    /// Starts curses. `wantColors` is false with NO_COLOR.
    func start(wantColors: Bool) {
        TerminalLocale.adopt()
        CrashGuard.install()
        initscr()
        raw()
        noecho()
        nonl()
        keypad(stdscr, true)
        nodelay(stdscr, true)
        set_escdelay(25)
        if wantColors && has_colors() {
            start_color()
            use_default_colors()
            colorsAvailable = true
        }
        previous = nil
    }

    func stop() {
        endwin()
        CrashGuard.uninstall()
    }

    var size: (width: Int, height: Int) { (Int(getmaxx(stdscr)), Int(getmaxy(stdscr))) }

    /// Resizes curses when the terminal's real size differs from what curses thinks; true when it
    /// did. SIGWINCH can race with a burst of resizes, so the loop asks the kernel directly too.
    func syncSize() -> Bool {
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0, size.ws_row > 0 else { return false }
        let (width, height) = self.size
        guard Int(size.ws_col) != width || Int(size.ws_row) != height else { return false }
        resizeterm(Int32(size.ws_row), Int32(size.ws_col))
        previous = nil
        return true
    }

    /// Leaves curses for a program that needs the terminal (the editor).
    func suspend() {
        def_prog_mode()
        endwin()
    }

    func resume() {
        reset_prog_mode()
        previous = nil
        clearok(stdscr, true)
        refresh()
    }

    /// Forces the next draw to repaint everything (Ctrl-L).
    func invalidate() {
        previous = nil
        clearok(stdscr, true)
    }

    /// Reads every key waiting; `resize` is reported as a key-like event.
    func readInput() -> [TerminalInput] {
        var raw: [RawInput] = []
        while true {
            var code: wint_t = 0
            let result = get_wch(&code)
            if result == ERR { break }
            raw.append(result == KEY_CODE_YES ? .keyCode(Int32(code)) : .character(UInt32(code)))
        }
        return EscapeSequences.filter(raw).compactMap { (input: RawInput) -> TerminalInput? in
            switch input {
            case .keyCode(let code): code == KEY_RESIZE ? TerminalInput.resize : Self.functionKey(code).map(TerminalInput.key)
            case .character(let code): Self.characterKey(code).map(TerminalInput.key)
            }
        }
    }

    static func functionKey(_ code: Int32) -> Key? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        case KEY_BTAB: return .backTab
        case KEY_ENTER: return .enter
        default:
            for n in 1...12 where code == mt_key_f(Int32(n)) { return .function(n) }
            return nil
        }
    }

    static func characterKey(_ code: UInt32) -> Key? {
        switch code {
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 1...26: return .control(Character(UnicodeScalar(code + 96)!))
        case 0..<32: return nil
        default: return UnicodeScalar(code).map { .character(Character($0)) }
        }
    }

    /// Copies the buffer to the screen.
    func draw(_ screen: ScreenBuffer) {
        let full = previous == nil || previous!.width != screen.width || previous!.height != screen.height
        if full { erase() }
        for y in 0..<screen.height {
            for x in 0..<screen.width {
                let cell = screen[x, y]
                if cell.continuation { continue }
                if !full, let old = previous, old[x, y] == cell { continue }
                // The whole cluster (👍🏽, 👨‍👩‍👧, 🇩🇪), up to what a cell holds.
                let text = cell.character.unicodeScalars.prefix(Int(mt_cchar_max())).map { wchar_t(bitPattern: $0.value) } + [0]
                text.withUnsafeBufferPointer { _ = mt_put_cell(Int32(y), Int32(x), $0.baseAddress, attributes(cell.style), pair(cell.style)) }
            }
        }
        if let cursor = screen.cursor {
            curs_set(1)
            move(Int32(cursor.y), Int32(cursor.x))
        } else {
            curs_set(0)
        }
        refresh()
        previous = screen
    }

    private func attributes(_ style: Style) -> attr_t {
        var attrs = attr_t(0)
        if style.bold { attrs |= mt_a_bold() }
        if style.dim { attrs |= mt_a_dim() }
        if style.reverse { attrs |= mt_a_reverse() }
        if style.underline { attrs |= mt_a_underline() }
        return attrs
    }

    /// A colour pair for the style's colours, made on first use.
    private func pair(_ style: Style) -> Int16 {
        guard colorsAvailable, style.foreground != .default || style.background != .default else { return 0 }
        let key = (style.foreground.rawValue + 1) * 16 + style.background.rawValue + 1
        if let existing = pairs[key] { return existing }
        let number = Int16(pairs.count + 1)
        guard Int32(number) < COLOR_PAIRS else { return 0 }
        init_pair(number, Int16(style.foreground.rawValue), Int16(style.background.rawValue))
        pairs[key] = number
        return number
    }
}

/// What the terminal delivers.
enum TerminalInput: Equatable {
    case key(Key)
    case resize
}
