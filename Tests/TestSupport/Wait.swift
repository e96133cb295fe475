import Foundation

/// Waiting for a state instead of sleeping a fixed time: polls `condition` until it holds or a
/// deadline passes. The deadline is generous (the suite must pass on a busy 2-core machine); a
/// state that comes at once costs one poll.
public enum Wait {
    /// True once `condition` holds; false when `timeout` seconds passed first.
    @discardableResult
    public static func until(timeout: Double = 30, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if try condition() { return true }
            if Date() >= deadline { return false }
            usleep(20_000)
        }
    }

    /// True once the file at `path` exists and contains `text`.
    @discardableResult
    public static func forFile(_ path: String, containing text: String, timeout: Double = 30) -> Bool {
        until(timeout: timeout) {
            guard let data = FileManager.default.contents(atPath: path) else { return false }
            return String(decoding: data, as: UTF8.self).contains(text)
        }
    }
}
