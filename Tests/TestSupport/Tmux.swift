import Foundation

/// Drives a program in a private tmux server: type, press keys, resize, read the screen.
/// Never sleeps a fixed time: `waitFor` polls the screen until a text appears or a deadline passes.
public final class Tmux: @unchecked Sendable {
    public let socket: String
    public private(set) var width: Int
    public private(set) var height: Int

    /// Starts `command` (run by sh) in a new session of `width` x `height`. The program's exit
    /// status is printed as `EXIT=N` when it ends, and the pane stays open to read it.
    public init(_ command: String, width: Int = 100, height: Int = 30, environment: [String: String] = [:]) throws {
        socket = "mailtui-test-\(getpid())-\(UUID().uuidString.prefix(8))"
        self.width = width
        self.height = height
        var arguments = ["new-session", "-d", "-s", "t", "-x", String(width), "-y", String(height),
                         "-e", "LANG=C.UTF-8", "-e", "TERM=tmux-256color"]
        for (key, value) in environment.sorted(by: { $0.key < $1.key }) { arguments += ["-e", "\(key)=\(value)"] }
        arguments.append("\(command); echo EXIT=$?; sleep 120")
        try tmux(arguments)
    }

    deinit { stop() }

    /// Runs tmux with every descriptor above 2 closed first: Foundation leaks one into children,
    /// and a tmux server holding it would block the test forever.
    @discardableResult
    func tmux(_ arguments: [String]) throws -> String {
        let script = #"for fd in /proc/$$/fd/*; do n=${fd##*/}; [ "$n" -gt 2 ] 2>/dev/null && eval "exec $n>&-"; done; exec tmux -L "$0" -f /dev/null "$@""#
        let result = try Program.run("/bin/bash", ["-c", script, socket] + arguments)
        return result.out
    }

    /// Presses keys by tmux name: `Tab`, `BTab`, `Enter`, `F5`, `C-s`, `Escape`.
    public func press(_ keys: String...) throws { try tmux(["send-keys", "-t", "t"] + keys) }

    /// Presses one key this many times.
    public func press(_ key: String, times: Int) throws {
        guard times > 0 else { return }
        try tmux(["send-keys", "-t", "t"] + Array(repeating: key, count: times))
    }

    /// Types text literally (UTF-8 welcome).
    public func type(_ text: String) throws { try tmux(["send-keys", "-t", "t", "-l", text]) }

    /// The screen as text.
    public func screen() throws -> String { try tmux(["capture-pane", "-p", "-t", "t"]) }

    /// Waits until the screen contains `text`; returns that screen, or fails with the last screen.
    @discardableResult
    public func waitFor(_ text: String, timeout: Double = 60) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = try screen()
            if last.contains(text) { return last }
            usleep(20_000)
        }
        throw TmuxError.timedOut(waitingFor: text, screen: last)
    }

    /// Waits until the screen satisfies `condition`.
    @discardableResult
    public func waitUntil(_ what: String, timeout: Double = 60, _ condition: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = try screen()
            if condition(last) { return last }
            usleep(20_000)
        }
        throw TmuxError.timedOut(waitingFor: what, screen: last)
    }

    /// Where the terminal's cursor is, as tmux sees it.
    public func cursor() throws -> (x: Int, y: Int) {
        let parts = try tmux(["display-message", "-p", "-t", "t", "#{cursor_x},#{cursor_y}"])
            .trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ",").compactMap { Int($0) }
        return parts.count == 2 ? (parts[0], parts[1]) : (-1, -1)
    }

    public func resize(width: Int, height: Int) throws {
        try tmux(["resize-window", "-t", "t", "-x", String(width), "-y", String(height)])
        self.width = width
        self.height = height
    }

    /// The PID of the program the pane's shell started.
    public func programPID() throws -> Int32? {
        let shell = try tmux(["display-message", "-p", "-t", "t", "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)
        let children = try Program.run("/usr/bin/pgrep", ["-P", shell]).out.split(separator: "\n").compactMap { Int32($0) }
        for child in children {
            let name = (try? String(contentsOfFile: "/proc/\(child)/comm", encoding: .utf8)) ?? ""
            if name.hasPrefix("mailtui") { return child }
        }
        return nil
    }

    /// Ends only the tmux server (the terminal disappears; the program is left to notice).
    public func killServerOnly() {
        let server = (try? tmux(["display-message", "-p", "#{pid}"]))?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let server, let pid = Int32(server) { kill(pid, SIGKILL) }
    }

    /// Stops the program and its shell by PID, then the tmux server. (Children of a test runner may
    /// inherit blocked signals, so the SIGHUP of kill-server alone does not always end them.)
    public func stop() {
        if let shell = try? tmux(["display-message", "-p", "-t", "t", "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines),
           let shellPID = Int32(shell) {
            let children = (try? Program.run("/usr/bin/pgrep", ["-P", shell]).out) ?? ""
            for child in children.split(separator: "\n").compactMap({ Int32($0) }) { kill(child, SIGKILL) }
            kill(shellPID, SIGKILL)
        }
        _ = try? tmux(["kill-server"])
    }
}

public enum TmuxError: Error, CustomStringConvertible {
    case timedOut(waitingFor: String, screen: String)
    public var description: String {
        switch self {
        case .timedOut(let text, let screen): "timed out waiting for \"\(text)\"; the screen was:\n\(screen)"
        }
    }
}

/// Quotes a word for sh.
public func shellQuote(_ word: String) -> String { "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'" }
