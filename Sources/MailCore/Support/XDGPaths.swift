#if canImport(Glibc)
import Glibc
#endif

/// XDG base directories: configuration under `$XDG_CONFIG_HOME` (default `~/.config`), state
/// (drafts, history) under `$XDG_STATE_HOME` (default `~/.local/state`), data under
/// `$XDG_DATA_HOME` (default `~/.local/share`), each in `mailtui/`.
public enum XDGPaths {
    static func env(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        let text = String(cString: value)
        return text.hasPrefix("/") ? text : nil
    }

    static var home: String { env("HOME") ?? "/tmp" }

    public static var configDirectory: String { (env("XDG_CONFIG_HOME") ?? home + "/.config") + "/mailtui" }
    public static var stateDirectory: String { (env("XDG_STATE_HOME") ?? home + "/.local/state") + "/mailtui" }
    /// Data (the local server's inbox and certificates) under `$XDG_DATA_HOME` (default `~/.local/share`).
    public static var dataDirectory: String { (env("XDG_DATA_HOME") ?? home + "/.local/share") + "/mailtui" }
}
