#if canImport(Glibc)
import Glibc
#endif

/// Runs a shell command: a password command (`--password-cmd`), the user's editor.
public enum ShellCommand {
    /// Runs `/bin/sh -c script` with `arguments` as `$0`, `$1`, ... and waits for it. With
    /// `captureOutput` its standard output is returned; otherwise it shares this terminal.
    /// The exit status is 128 + the signal number when a signal ended it.
    @discardableResult
    public static func run(_ script: String, arguments: [String] = [], captureOutput: Bool = true) -> (status: Int32, output: String) {
        var pipeEnds: [Int32] = [-1, -1]
        if captureOutput { guard pipe(&pipeEnds) == 0 else { return (-1, "") } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if captureOutput {
            posix_spawn_file_actions_adddup2(&actions, pipeEnds[1], STDOUT_FILENO)
            posix_spawn_file_actions_addclose(&actions, pipeEnds[0])
            posix_spawn_file_actions_addclose(&actions, pipeEnds[1])
        }
        let words = ["/bin/sh", "-c", script] + arguments
        let argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, "/bin/sh", &actions, nil, argv, environ)
        if captureOutput { close(pipeEnds[1]) }
        guard spawned == 0 else {
            if captureOutput { close(pipeEnds[0]) }
            return (-1, "")
        }
        var output: [UInt8] = []
        if captureOutput {
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = buffer.withUnsafeMutableBytes { read(pipeEnds[0], $0.baseAddress, 4096) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                output += buffer[0..<n]
            }
            close(pipeEnds[0])
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exitCode = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return (exitCode, String(decoding: output, as: UTF8.self))
    }
}
