#if canImport(Glibc)
import Glibc
#endif

/// The desktop's Secret Service (GNOME Keyring, KWallet) through `secret-tool`, for the refresh
/// token: then it is never in a file. The secret goes through a pipe, never through argv.
public enum SecretService {
    static let service = "mailtui-oauth"

    /// Whether `secret-tool` is there and a session bus to reach the keyring; without both the
    /// refresh token stays in the 0600 file.
    public static var isAvailable: Bool {
        guard getenv("DBUS_SESSION_BUS_ADDRESS") != nil else { return false }
        return ShellCommand.run("command -v secret-tool >/dev/null 2>&1", captureOutput: false).status == 0
    }

    public static func store(_ secret: String, account: String) -> Bool {
        run(["secret-tool", "store", "--label=mailtui OAuth refresh token for \(account)", "service", service, "account", account], input: secret)
    }

    public static func lookup(account: String) -> String? {
        let result = ShellCommand.run("secret-tool lookup service \(service) account \"$1\"", arguments: ["secret-tool", account])
        guard result.status == 0, !result.output.isEmpty else { return nil }
        return result.output.trimmingEnds(of: "\r\n")
    }

    @discardableResult
    public static func clear(account: String) -> Bool {
        ShellCommand.run("secret-tool clear service \(service) account \"$1\"", arguments: ["secret-tool", account], captureOutput: false).status == 0
    }

    /// Runs `words` (found on PATH) with `input` on its standard input; true when it exits 0.
    static func run(_ words: [String], input: String) -> Bool {
        guard let pipe = PipeEnds(nonBlocking: false) else { return false }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, pipe.read, STDIN_FILENO)
        posix_spawn_file_actions_addclose(&actions, pipe.read)
        posix_spawn_file_actions_addclose(&actions, pipe.write)
        let argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        let spawned = posix_spawnp(&pid, words[0], &actions, nil, argv, environ)
        close(pipe.read)
        if spawned == 0 {
            let bytes = Array(input.utf8)
            var sent = 0
            while sent < bytes.count {
                let n = bytes.withUnsafeBytes { write(pipe.write, $0.baseAddress! + sent, bytes.count - sent) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                sent += n
            }
        }
        close(pipe.write)
        guard spawned == 0 else { return false }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return status == 0
    }
}
