#if canImport(Glibc)
import Glibc
#endif

/// XDG base directories: configuration under `$XDG_CONFIG_HOME` (default `~/.config`), state
/// (drafts, history) under `$XDG_STATE_HOME` (default `~/.local/state`), each in `mailtui/`.
public enum XDGPaths {
    static func env(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        let text = String(cString: value)
        return text.hasPrefix("/") ? text : nil
    }

    static var home: String { env("HOME") ?? "/tmp" }

    public static var configDirectory: String { (env("XDG_CONFIG_HOME") ?? home + "/.config") + "/mailtui" }
    public static var stateDirectory: String { (env("XDG_STATE_HOME") ?? home + "/.local/state") + "/mailtui" }
}
