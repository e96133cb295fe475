import TOMLKit
#if canImport(Glibc)
import Glibc
#endif

/// A problem in the configuration file, with the line where it is.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var line: Int?
    public var message: String
    public var description: String { "\(path)\(line.map { ":\($0)" } ?? ""): \(message)" }
}

/// `$XDG_CONFIG_HOME/mailtui/config.toml`: read with TOMLKit, written by mailtui in a fixed,
/// commented layout, atomically. A file that does not parse is never overwritten.
///
/// ```toml
/// default_profile = "work"
/// history_limit = 500
///
/// [profiles.work]
/// server = "smtp.example.com"
/// port = 587
/// security = "starttls"          # none, starttls or tls
/// user = "app@example.com"
/// password_env = "WORK_SMTP_PASSWORD"
/// from = "App <noreply@example.com>"
/// ```
public struct ConfigFile: Sendable {
    public let path: String

    public init(path: String = XDGPaths.configDirectory + "/config.toml") {
        self.path = path
    }

    /// The configuration; an empty one when the file does not exist.
    public func load() throws(ConfigError) -> MailtuiConfig {
        guard let bytes = FileContents.read(path) else {
            if FileContents.exists(path) { throw ConfigError(path: path, line: nil, message: "cannot read the file") }
            return MailtuiConfig()
        }
        return try Self.parse(String(decoding: bytes, as: UTF8.self), path: path)
    }

    static func parse(_ text: String, path: String) throws(ConfigError) -> MailtuiConfig {
        let table: TOMLTable
        do { table = try TOMLTable(string: text) } catch let error as TOMLParseError {
            throw ConfigError(path: path, line: error.source.begin.line, message: error.description)
        } catch {
            throw ConfigError(path: path, line: nil, message: "\(error)")
        }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        func fail(_ key: String, section: String?, _ message: String) -> ConfigError {
            ConfigError(path: path, line: Self.line(of: key, inSection: section, lines: lines), message: message)
        }

        var config = MailtuiConfig()
        for key in table.keys where !["default_profile", "history_limit", "profiles"].contains(key) {
            throw fail(key, section: nil, "unknown setting '\(key)' (expected default_profile, history_limit or [profiles.NAME])")
        }
        if let value = table["default_profile"] {
            guard let name = value.string else { throw fail("default_profile", section: nil, "default_profile must be a string") }
            config.defaultProfile = name
        }
        if let value = table["history_limit"] {
            guard let limit = value.int, limit > 0 else { throw fail("history_limit", section: nil, "history_limit must be a whole number above 0") }
            config.historyLimit = limit
        }
        if let profilesValue = table["profiles"] {
            guard let profiles = profilesValue.table else { throw fail("profiles", section: nil, "profiles must be a table: [profiles.NAME]") }
            let order = lines.compactMap { line -> String? in
                let trimmed = line.trimmingSpaces
                guard trimmed.hasPrefix("[profiles."), trimmed.hasSuffix("]") else { return nil }
                return String(trimmed.dropFirst(10).dropLast()).replacing("\"", with: "")
            }
            let names = profiles.keys.sorted { (order.firstIndex(of: $0) ?? Int.max, $0) < (order.firstIndex(of: $1) ?? Int.max, $1) }
            for name in names {
                let section = "profiles.\(name)"
                guard Profile.isValidName(name) else { throw fail(name, section: nil, "profile name '\(name)' may only use letters, digits, '-', '_' and '.'") }
                guard let entry = profiles[name]?.table else { throw fail(name, section: nil, "[\(section)] must be a table") }
                config.profiles.append(try profile(name, entry, fail: { fail($0, section: section, $1) }))
            }
        }
        if let name = config.defaultProfile, config.profile(named: name) == nil {
            throw fail("default_profile", section: nil, "default_profile '\(name)' names no [profiles.\(name)]")
        }
        return config
    }

    static let profileKeys = ["server", "port", "security", "verify_certificate", "ca_file", "helo", "user", "auth", "timeout",
                              "password_env", "password_cmd", "password_prompt", "password_stdin", "password", "from"]

    private static func profile(_ name: String, _ t: TOMLTable, fail: (String, String) -> ConfigError) throws(ConfigError) -> Profile {
        for key in t.keys where !profileKeys.contains(key) {
            throw fail(key, "unknown setting '\(key)' in [profiles.\(name)]; known: \(profileKeys.joined(separator: ", "))")
        }
        func string(_ key: String) throws(ConfigError) -> String? {
            guard let value = t[key] else { return nil }
            guard let s = value.string else { throw fail(key, "'\(key)' must be a string in quotes") }
            return s
        }
        func bool(_ key: String) throws(ConfigError) -> Bool? {
            guard let value = t[key] else { return nil }
            guard let b = value.bool else { throw fail(key, "'\(key)' must be true or false") }
            return b
        }
        var s = ServerSettings()
        s.host = try string("server") ?? ""
        if let value = t["port"] {
            guard let port = value.int, (1...65535).contains(port) else { throw fail("port", "'port' must be a number from 1 to 65535") }
            s.port = port
        }
        if let text = try string("security") {
            guard let mode = SecurityMode(rawValue: text) else { throw fail("security", "'security' must be \"none\", \"starttls\" or \"tls\", not \"\(text)\"") }
            s.security = mode
        }
        s.verifyCertificate = try bool("verify_certificate") ?? true
        s.caFile = try string("ca_file")
        s.heloName = try string("helo")
        s.username = try string("user")
        if let text = try string("auth") {
            guard let mechanism = AuthMechanism(rawValue: text) else {
                throw fail("auth", "'auth' must be one of \(AuthMechanism.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))")
            }
            s.authMechanism = mechanism
        }
        if let value = t["timeout"] {
            guard let seconds = value.double ?? value.int.map(Double.init) else { throw fail("timeout", "'timeout' must be a number of seconds, from 1 to 3600") }
            if let problem = Timeouts.problem(perStep: seconds) { throw fail("timeout", "'timeout': \(problem)") }
            s.timeouts = Timeouts(perStep: seconds)
        }
        var source: PasswordSource?
        var count = 0
        if let name = try string("password_env") { source = .environment(name); count += 1 }
        if let command = try string("password_cmd") { source = .command(command); count += 1 }
        if try bool("password_prompt") == true { source = .prompt; count += 1 }
        if try bool("password_stdin") == true { source = .standardInput; count += 1 }
        let stored = try string("password").map(Secret.init)
        if stored != nil { count += 1 }
        if count > 1 { throw fail("password", "give only one of password_env, password_cmd, password_prompt, password_stdin and password in [profiles.\(name)]") }
        return Profile(name: name, settings: s, passwordSource: source, storedPassword: stored, from: try string("from"))
    }

    /// The line (1-based) where `key` is set in `section`, for error messages.
    static func line(of key: String, inSection section: String?, lines: [String]) -> Int? {
        var current: String? = nil
        for (index, raw) in lines.enumerated() {
            let line = raw.trimmingSpaces
            if line.hasPrefix("[") { current = String(line.dropFirst().prefix(while: { $0 != "]" })).replacing("\"", with: ""); continue }
            if current == section, line.hasPrefix(key), line.dropFirst(key.count).trimmingSpaces.hasPrefix("=") { return index + 1 }
            if section == nil, line == "[profiles.\(key)]" { return index + 1 }
        }
        return nil
    }

    // MARK: Writing

    /// Writes the configuration atomically. Refuses when the file on disk does not parse, so that a
    /// hand-edited file with a mistake is never replaced. Returns true when a password is stored.
    @discardableResult
    public func save(_ config: MailtuiConfig) throws(ConfigError) -> Bool {
        if FileContents.exists(path) { _ = try load() }
        let text = Self.render(config)
        do {
            try FileContents.writeAtomically(Array(text.utf8), to: path, mode: config.hasStoredPasswords ? 0o600 : 0o644)
            if config.hasStoredPasswords { chmod(path, 0o600) }
        } catch {
            throw ConfigError(path: path, line: nil, message: error.reason)
        }
        return config.hasStoredPasswords
    }

    static func render(_ config: MailtuiConfig) -> String {
        var out = "# mailtui configuration: see the README for every setting.\n"
        if let name = config.defaultProfile { out += "default_profile = \(quote(name))\n" }
        out += "history_limit = \(config.historyLimit)\n"
        for p in config.profiles {
            let s = p.settings
            out += "\n[profiles.\(p.name)]\n"
            out += "server = \(quote(s.host))\n"
            if let port = s.port { out += "port = \(port)\n" }
            out += "security = \(quote(s.security.rawValue))          # none, starttls or tls\n"
            if !s.verifyCertificate { out += "verify_certificate = false\n" }
            if let ca = s.caFile { out += "ca_file = \(quote(ca))\n" }
            if let helo = s.heloName { out += "helo = \(quote(helo))\n" }
            if let user = s.username { out += "user = \(quote(user))\n" }
            if s.authMechanism != .auto { out += "auth = \(quote(s.authMechanism.rawValue))\n" }
            if s.timeouts != Timeouts() { out += "timeout = \(s.timeouts.perStepText)\n" }
            switch p.passwordSource {
            case .environment(let name)?: out += "password_env = \(quote(name))\n"
            case .command(let command)?: out += "password_cmd = \(quote(command))\n"
            case .prompt?: out += "password_prompt = true\n"
            case .standardInput?: out += "password_stdin = true\n"
            case nil: break
            }
            if let stored = p.storedPassword { out += "password = \(quote(stored.value))   # stored on request; this file is mode 0600\n" }
            if let from = p.from { out += "from = \(quote(from))\n" }
        }
        return out
    }

    /// A TOML basic string.
    static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 32 || scalar.value == 127 {
                    out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
