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
        var pipeEnds: PipeEnds?
        if captureOutput {
            pipeEnds = PipeEnds(nonBlocking: false)
            guard pipeEnds != nil else { return (-1, "") }
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let pipeEnds {
            posix_spawn_file_actions_adddup2(&actions, pipeEnds.write, STDOUT_FILENO)
            posix_spawn_file_actions_addclose(&actions, pipeEnds.read)
            posix_spawn_file_actions_addclose(&actions, pipeEnds.write)
        }
        let words = ["/bin/sh", "-c", script] + arguments
        let argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, "/bin/sh", &actions, nil, argv, environ)
        if let pipeEnds { close(pipeEnds.write) }
        guard spawned == 0 else {
            if let pipeEnds { close(pipeEnds.read) }
            return (-1, "")
        }
        var output: [UInt8] = []
        if let pipeEnds {
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = buffer.withUnsafeMutableBytes { read(pipeEnds.read, $0.baseAddress, 4096) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                output += buffer[0..<n]
            }
            close(pipeEnds.read)
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exitCode = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return (exitCode, String(decoding: output, as: UTF8.self))
    }

    /// How a captured command ended.
    public enum Capture: Sendable, Equatable {
        /// It exited (status 128 + N when signal N ended it) with this output.
        case exited(status: Int32, output: String)
        /// It printed more than the limit; it was stopped.
        case tooMuchOutput(limit: Int)
        /// It did not finish in time; it was stopped.
        case timedOut(after: Duration)
        /// It could not be started.
        case notStarted
    }

    /// Runs `/bin/sh -c script` in a process group of its own and returns its standard output, but
    /// reads at most `limit` bytes and waits at most `timeout`: past either, the whole group is
    /// killed. For password commands, which must never hang mailtui or fill its memory.
    public static func capture(_ script: String, limit: Int, timeout: Duration) -> Capture {
        guard let pipeEnds = PipeEnds(nonBlocking: false) else { return .notStarted }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, pipeEnds.write, STDOUT_FILENO)
        posix_spawn_file_actions_addclose(&actions, pipeEnds.read)
        posix_spawn_file_actions_addclose(&actions, pipeEnds.write)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)
        let words = ["/bin/sh", "-c", script]
        let argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, "/bin/sh", &actions, &attributes, argv, environ)
        close(pipeEnds.write)
        let readEnd = pipeEnds.read
        defer { close(readEnd) }
        guard spawned == 0 else { return .notStarted }

        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        var stopped: Capture?
        while true {
            let left = deadline - clock.now
            if left <= .zero { stopped = .timedOut(after: timeout); break }
            var fd = pollfd(fd: readEnd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&fd, 1, Int32(clamping: left.milliseconds + 1))
            if ready < 0 && errno == EINTR { continue }
            if ready == 0 { continue }
            let n = buffer.withUnsafeMutableBytes { read(readEnd, $0.baseAddress, 4096) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            output += buffer[0..<n]
            if output.count > limit { stopped = .tooMuchOutput(limit: limit); break }
        }
        if stopped != nil { kill(-pid, SIGKILL) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        if let stopped { return stopped }
        let exitCode = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return .exited(status: exitCode, output: String(decoding: output, as: UTF8.self))
    }
}
