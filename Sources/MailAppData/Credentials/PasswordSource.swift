#if canImport(Glibc)
import Glibc
#endif

/// Where a password (or XOAUTH2 token) comes from. Never from the command line: other users can read
/// a process's argv.
public enum PasswordSource: Sendable, Equatable, Codable {
    /// An environment variable, e.g. MAIL_PASSWORD.
    case environment(String)
    /// A command whose standard output is the password (like msmtp's passwordeval), run by /bin/sh
    /// only when the password is needed.
    case command(String)
    /// Standard input, up to the first newline.
    case standardInput
    /// A masked prompt on the terminal.
    case prompt

    public var description: String {
        switch self {
        case .environment(let name): "environment variable \(name)"
        case .command(let command): "command `\(command)`"
        case .standardInput: "standard input"
        case .prompt: "prompt"
        }
    }
}

/// Why no password could be had.
public struct PasswordError: Error, Sendable, Equatable, CustomStringConvertible {
    public var source: String
    public var reason: String
    public var description: String { "password from \(source): \(reason)" }

    public init(source: String, reason: String) {
        self.source = source
        self.reason = reason
    }
}

extension PasswordSource {
    /// The most a password command may print.
    public static let commandOutputLimit = 64 * 1024
    /// How long a password command may take (a keyring asking for its own passphrase takes a while).
    public static let commandTimeout: Duration = .seconds(30)

    /// Reads the secret. Trailing newlines are dropped; an empty result is an error.
    public func resolve(promptText: String = "Password: ") throws(PasswordError) -> Secret {
        let value: String
        switch self {
        case .environment(let name):
            guard let raw = getenv(name) else {
                throw PasswordError(source: description, reason: "\(name) is not set")
            }
            value = String(cString: raw)
        case .command(let command):
            switch ShellCommand.capture(command, limit: Self.commandOutputLimit, timeout: Self.commandTimeout) {
            case .exited(0, let output): value = output
            case .exited(let status, _):
                throw PasswordError(source: description, reason: status == 127 ? "the command was not found (exit status 127)" : "the command failed (exit status \(status))")
            case .tooMuchOutput(let limit):
                throw PasswordError(source: description, reason: "the command printed more than \(limit / 1024) KiB, which is no password; it was stopped")
            case .timedOut(let after):
                throw PasswordError(source: description, reason: "the command gave no answer within \(after.components.seconds) s and was stopped (does it wait for input?)")
            case .notStarted:
                throw PasswordError(source: description, reason: "the command could not be started")
            }
        case .standardInput:
            value = readLine(strippingNewline: true) ?? ""
        case .prompt:
            guard let typed = TerminalPrompt.readSecret(prompt: promptText) else {
                throw PasswordError(source: description, reason: "no terminal to ask on")
            }
            value = typed
        }
        var trimmed = value
        while trimmed.hasSuffix("\n") || trimmed.hasSuffix("\r") { trimmed.removeLast() }
        if trimmed.isEmpty { throw PasswordError(source: description, reason: "it is empty") }
        return Secret(trimmed)
    }

    /// The source used when the user gave a username but named no source: MAIL_PASSWORD when it is
    /// set, else a prompt when there is a terminal; nil when neither is available.
    public static func fallback(environment: (String) -> String? = { getenv($0).map { String(cString: $0) } },
                                hasTerminal: Bool = isatty(STDIN_FILENO) == 1) -> PasswordSource? {
        if let value = environment("MAIL_PASSWORD"), !value.isEmpty { return .environment("MAIL_PASSWORD") }
        return hasTerminal ? .prompt : nil
    }
}

/// A prompt on the controlling terminal with echo turned off.
enum TerminalPrompt {
    static func readSecret(prompt: String) -> String? {
        let tty = open("/dev/tty", O_RDWR | O_CLOEXEC)
        guard tty >= 0 else { return nil }
        defer { close(tty) }
        var saved = termios()
        guard tcgetattr(tty, &saved) == 0 else { return nil }
        var quiet = saved
        quiet.c_lflag &= ~tcflag_t(ECHO)
        _ = prompt.withCString { write(tty, $0, strlen($0)) }
        tcsetattr(tty, TCSAFLUSH, &quiet)
        defer {
            tcsetattr(tty, TCSAFLUSH, &saved)
            _ = write(tty, "\n", 1)
        }
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while read(tty, &byte, 1) == 1, byte != 10, byte != 13 { bytes.append(byte) }
        return String(decoding: bytes, as: UTF8.self)
    }
}
