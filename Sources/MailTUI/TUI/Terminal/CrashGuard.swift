#if canImport(Glibc)
import Glibc
#endif

/// Gives the terminal back if mailtui dies on a fatal signal (a trap, a segfault, an abort): the
/// shell's terminal modes are restored and the alternate screen left, with async-signal-safe calls
/// only, and then the signal takes its usual course (a core dump, the status a shell reports).
enum CrashGuard {
    /// The terminal's modes before curses changed them; filled before the handler is installed.
    nonisolated(unsafe) private static var savedModes: UnsafeMutablePointer<termios>?
    /// Leave the alternate screen, application keypad mode off, cursor shown, attributes reset.
    nonisolated(unsafe) private static var resetSequence: UnsafeMutableBufferPointer<UInt8>?

    static let fatalSignals: [Int32] = [SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGSEGV, SIGSYS]

    /// Call before curses starts: remembers the modes to come back to and installs the handler.
    static func install() {
        if savedModes == nil {
            savedModes = .allocate(capacity: 1)
            savedModes?.initialize(to: termios())
            let bytes = Array("\u{1B}[?1049l\u{1B}[?1l\u{1B}>\u{1B}[?25h\u{1B}[0m\r\n".utf8)
            let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: bytes.count)
            _ = buffer.initialize(from: bytes)
            resetSequence = buffer
        }
        guard let savedModes, tcgetattr(STDIN_FILENO, savedModes) == 0 else { return }
        let handler: @convention(c) (Int32) -> Void = { signalNumber in
            if let modes = CrashGuard.savedModes { _ = tcsetattr(STDIN_FILENO, TCSANOW, modes) }
            if let reset = CrashGuard.resetSequence { _ = write(STDOUT_FILENO, reset.baseAddress, reset.count) }
            // Back to the default action; the signal is blocked while this runs, so it is delivered
            // (or the faulting instruction repeats) as soon as the handler returns.
            signal(signalNumber, SIG_DFL)
            raise(signalNumber)
        }
        for number in fatalSignals { signal(number, handler) }
    }

    /// Call after curses has restored the terminal itself.
    static func uninstall() {
        for number in fatalSignals { signal(number, SIG_DFL) }
    }
}
