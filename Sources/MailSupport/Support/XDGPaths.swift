#if canImport(Glibc)
import Glibc
#endif

/// XDG base directories: configuration under `$XDG_CONFIG_HOME` (default `~/.config`), state
/// (drafts, history) under `$XDG_STATE_HOME` (default `~/.local/state`), data under
/// `$XDG_DATA_HOME` (default `~/.local/share`), each in `mailtui/`.
///
/// The home folder is `$HOME`, else the user's entry in the password database: a fixed fallback
/// such as `/tmp` is a folder any local user can prepare (a planted `config.toml` would run its
/// `password_cmd` as the victim).
public enum XDGPaths {
    /// Reads the environment; tests pass their own.
    package typealias Environment = (String) -> String?

    static func processEnvironment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    /// An absolute path from the environment; a relative or empty one is ignored, as the XDG
    /// specification says.
    static func absolute(_ name: String, _ environment: Environment) -> String? {
        guard let text = environment(name), text.hasPrefix("/") else { return nil }
        return text
    }

    /// `$HOME`, else the home folder of the user running mailtui, else `/` (never a folder that
    /// others can write).
    static func home(_ environment: Environment = processEnvironment) -> String {
        if let home = absolute("HOME", environment) { return home }
        if let entry = getpwuid(getuid()), let directory = entry.pointee.pw_dir {
            let path = String(cString: directory)
            if path.hasPrefix("/") { return path }
        }
        return "/"
    }

    package static func configDirectory(_ environment: Environment) -> String {
        (absolute("XDG_CONFIG_HOME", environment) ?? home(environment) + "/.config") + "/mailtui"
    }

    package static func stateDirectory(_ environment: Environment) -> String {
        (absolute("XDG_STATE_HOME", environment) ?? home(environment) + "/.local/state") + "/mailtui"
    }

    static func dataDirectory(_ environment: Environment) -> String {
        (absolute("XDG_DATA_HOME", environment) ?? home(environment) + "/.local/share") + "/mailtui"
    }

    public static var configDirectory: String { configDirectory(processEnvironment) }
    public static var stateDirectory: String { stateDirectory(processEnvironment) }
    /// Data (the local server's inbox and certificates) under `$XDG_DATA_HOME` (default `~/.local/share`).
    public static var dataDirectory: String { dataDirectory(processEnvironment) }
}
