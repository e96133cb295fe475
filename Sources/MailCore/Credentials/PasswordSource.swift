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
}

extension PasswordSource {
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
            let result = ShellCommand.run(command)
            guard result.status == 0 else {
                throw PasswordError(source: description, reason: "the command failed (exit status \(result.status))")
            }
            value = result.output
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

/// Runs `/bin/sh -c COMMAND` and captures its standard output.
enum ShellCommand {
    static func run(_ command: String) -> (status: Int32, output: String) {
        var pipeEnds: [Int32] = [0, 0]
        guard pipe(&pipeEnds) == 0 else { return (-1, "") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawn_file_actions_adddup2(&actions, pipeEnds[1], STDOUT_FILENO)
        posix_spawn_file_actions_addclose(&actions, pipeEnds[0])
        posix_spawn_file_actions_addclose(&actions, pipeEnds[1])
        defer { posix_spawn_file_actions_destroy(&actions) }
        var pid = pid_t()
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/sh"), strdup("-c"), strdup(command), nil]
        defer { argv.forEach { free($0) } }
        let spawned = posix_spawn(&pid, "/bin/sh", &actions, nil, argv, environ)
        close(pipeEnds[1])
        guard spawned == 0 else { close(pipeEnds[0]); return (-1, "") }
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(pipeEnds[0], $0.baseAddress, 4096) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            output += buffer[0..<n]
        }
        close(pipeEnds[0])
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exitCode = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return (exitCode, String(decoding: output, as: UTF8.self))
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
