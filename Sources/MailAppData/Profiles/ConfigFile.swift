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

/// One of mailtui's two TOML files, both in `$XDG_CONFIG_HOME/mailtui/`:
/// - `config.toml` is the user's: mailtui reads it and never writes it.
/// - `profiles.toml` holds the profiles mailtui saves (`profiles save`, F8), written atomically in a
///   fixed, commented layout. A file that does not parse is never overwritten.
///
/// ```toml
/// default_profile = "work"
/// history_limit = 500
/// local_server = false           # never run the local test server in the compose screen
/// spamd = "127.0.0.1:783"        # the Checks tab asks it for the spam score (true: this one)
///
/// [profiles.work]
/// server = "smtp.example.com"
/// port = 587
/// security = "starttls"          # none, starttls or tls
/// user = "app@example.com"
/// password_env = "WORK_SMTP_PASSWORD"
/// from = "App <noreply@example.com>"
/// timeout = 12.5
/// ```
public struct ConfigFile: Sendable {
    public let path: String

    public init(path: String = XDGPaths.configDirectory + "/config.toml") {
        self.path = path
    }

    /// The file where mailtui keeps the profiles it saves.
    public static var savedProfiles: ConfigFile { ConfigFile(path: XDGPaths.configDirectory + "/profiles.toml") }

    /// The configuration; an empty one when the file does not exist. A file, or a folder it is
    /// in, that another user owns or that group or others can change is refused (see `OwnPath`):
    /// its `password_cmd` would run as this user.
    public func load() throws(ConfigError) -> MailtuiConfig {
        if let problem = OwnPath.problem(ofFile: path, what: "the settings file")
            ?? Self.linkTarget(path).flatMap({ OwnPath.problem(ofFile: $0, what: "the file it points to,") }) {
            throw ConfigError(path: path, line: nil, message: "not read: " + problem)
        }
        guard let bytes = FileContents.read(path) else {
            if FileContents.exists(path) { throw ConfigError(path: path, line: nil, message: "cannot read the file") }
            return MailtuiConfig()
        }
        return try Self.parse(String(decoding: bytes, as: UTF8.self), path: path)
    }

    static func parse(_ text: String, path: String) throws(ConfigError) -> MailtuiConfig {
        let table: TOMLDocument.Table
        do { table = try TOMLDocument(parsing: text).root } catch {
            throw ConfigError(path: path, line: error.line, message: error.message)
        }
        func fail(_ line: Int?, _ message: String) -> ConfigError { ConfigError(path: path, line: line, message: message) }

        var config = MailtuiConfig()
        for (key, _, line) in table.entries where !["default_profile", "history_limit", "local_server", "spamd", "profiles"].contains(key) {
            throw fail(line, "unknown setting '\(key)' (expected default_profile, history_limit, local_server, spamd or [profiles.NAME])")
        }
        if let value = table["spamd"] {
            // Loopback by default: `true` is the spamd of this machine; another must be named.
            if let on = value.bool {
                config.spamd = on ? Self.loopbackSpamd : nil
            } else if let address = value.string, IPAddress.withPort(address) != nil {
                config.spamd = address
            } else {
                throw fail(table.line(of: "spamd"), "spamd must be \"HOST:PORT\" with an IP address (such as \"\(Self.loopbackSpamd)\"), true for that one, or false")
            }
        }
        if let value = table["local_server"] {
            guard let on = value.bool else { throw fail(table.line(of: "local_server"), "local_server must be true or false") }
            config.localServer = on
        }
        if let value = table["default_profile"] {
            guard let name = value.string else { throw fail(table.line(of: "default_profile"), "default_profile must be a string") }
            config.defaultProfile = name
        }
        if let value = table["history_limit"] {
            guard let limit = value.int, (1...100_000).contains(limit) else {
                throw fail(table.line(of: "history_limit"), "history_limit must be a whole number from 1 to 100000")
            }
            config.historyLimit = limit
        }
        if let profilesValue = table["profiles"] {
            guard let profiles = profilesValue.table else { throw fail(table.line(of: "profiles"), "profiles must be a table: [profiles.NAME]") }
            for (name, value, line) in profiles.entries {
                guard Profile.isValidName(name) else { throw fail(line, "profile name '\(name.visibleControls)' may only use letters, digits, '-', '_' and '.'") }
                guard let entry = value.table else { throw fail(line, "[profiles.\(name)] must be a table") }
                config.profiles.append(try profile(name, entry, fail: fail))
            }
        }
        if let name = config.defaultProfile, config.profile(named: name) == nil {
            throw fail(table.line(of: "default_profile"), "default_profile '\(name)' names no [profiles.\(name)]")
        }
        return config
    }

    /// spamd's own default address, on this machine.
    public static let loopbackSpamd = "127.0.0.1:783"

    static let profileKeys = ["server", "port", "security", "verify_certificate", "ca_file", "helo", "user", "auth", "timeout",
                              "password_env", "password_cmd", "password_prompt", "password_stdin", "password", "from",
                              "dkim_selector", "dkim_key", "dkim_domain", "oauth"]

    private static func profile(_ name: String, _ t: TOMLDocument.Table, fail failAt: (Int?, String) -> ConfigError) throws(ConfigError) -> Profile {
        func fail(_ key: String, _ message: String) -> ConfigError { failAt(t.line(of: key) ?? t.line, message) }
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
            guard let mode = SecurityMode(rawValue: text) else { throw fail("security", "'security' must be \"none\", \"starttls\" or \"tls\", not \"\(text.visibleControls)\"") }
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
            guard let seconds = value.double else { throw fail("timeout", "'timeout' must be a number of seconds, from 1 to 3600") }
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
        let oauth = try string("oauth")
        if let oauth, let problem = TokenStore.problem(withName: oauth) { throw fail("oauth", "'oauth': \(problem)") }
        if oauth != nil { count += 1 }
        if count > 1 { throw fail("password", "give only one of password_env, password_cmd, password_prompt, password_stdin, password and oauth in [profiles.\(name)]") }
        var profile = Profile(name: name, settings: s, passwordSource: source, storedPassword: stored, from: try string("from"))
        profile.oauthAccount = oauth
        let selector = try string("dkim_selector"), key = try string("dkim_key"), domain = try string("dkim_domain")
        if selector != nil || key != nil || domain != nil {
            guard let selector, let key else { throw fail(selector == nil ? "dkim_key" : "dkim_selector", "DKIM signing needs both dkim_selector and dkim_key in [profiles.\(name)]") }
            guard case .success(let settings?) = DKIMSettings.parse("\(selector) \(key)" + (domain.map { " d=\($0)" } ?? "")), !key.contains(" ") else {
                throw fail("dkim_selector", "dkim_selector must be a DNS label, dkim_domain a domain, and dkim_key a path without spaces")
            }
            profile.dkim = settings
        }
        return profile
    }

    // MARK: Writing

    /// Writes the configuration atomically. Refuses when the file on disk does not parse, so that a
    /// hand-edited file with a mistake is never replaced. Returns true when a password is stored.
    /// A file that is a symbolic link (dotfiles kept in a repository) stays one: the file it points
    /// to is replaced, in its own folder, which must be the user's own too.
    @discardableResult
    public func save(_ config: MailtuiConfig) throws(ConfigError) -> Bool {
        if FileContents.exists(path) { _ = try load() }
        let target = Self.linkTarget(path) ?? path
        if let problem = OwnPath.problem(ofFile: target, what: target == path ? "the settings file" : "the file it points to,") {
            throw ConfigError(path: path, line: nil, message: "not written: " + problem)
        }
        let text = Self.render(config)
        do {
            try FileContents.writeAtomically(Array(text.utf8), to: target, mode: config.hasStoredPasswords ? 0o600 : 0o644)
            if config.hasStoredPasswords { chmod(target, 0o600) }
        } catch {
            throw ConfigError(path: path, line: nil, message: error.reason)
        }
        return config.hasStoredPasswords
    }

    /// Where a symbolic link at `path` leads, resolved to the end; nil when `path` is not a link.
    /// A dangling link gives the path it names (the file is made there).
    static func linkTarget(_ path: String) -> String? {
        var status = stat()
        guard RawPath.withCString(path, { lstat($0, &status) }) == 0, status.st_mode & S_IFMT == S_IFLNK else { return nil }
        if let resolved = RawPath.withCString(path, { realpath($0, nil) }) {
            defer { free(resolved) }
            return String(cString: resolved)
        }
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = RawPath.withCString(path) { readlink($0, &buffer, buffer.count - 1) }
        guard count > 0 else { return nil }
        let named = String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return named.hasPrefix("/") ? named : OwnPath.parent(of: path) + "/" + named
    }

    static func render(_ config: MailtuiConfig) -> String {
        var out = "# Profiles saved by mailtui (profiles save, F8). Your own settings go in config.toml beside\n"
            + "# this file, which mailtui never rewrites; a profile there wins over one of the same name here.\n"
        if let name = config.defaultProfile { out += "default_profile = \(quote(name))\n" }
        for p in config.profiles {
            let s = p.settings
            out += "\n[profiles.\(key(p.name))]\n"
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
            if let oauth = p.oauthAccount { out += "oauth = \(quote(oauth))   # mailtui oauth login --account \(oauth)\n" }
            if let stored = p.storedPassword { out += "password = \(quote(stored.value))   # stored on request; this file is mode 0600\n" }
            if let dkim = p.dkim {
                out += "dkim_selector = \(quote(dkim.selector))\ndkim_key = \(quote(dkim.keyPath))   # the key stays in its file\n"
                if let domain = dkim.domain { out += "dkim_domain = \(quote(domain))\n" }
            }
            if let from = p.from { out += "from = \(quote(from))\n" }
        }
        return out
    }

    /// A key as TOML needs it: bare when it can be, else quoted (`"a.b"`).
    static func key(_ name: String) -> String {
        !name.isEmpty && name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_") }
            ? name : quote(name)
    }

    /// A TOML basic string.
    static func quote(_ s: String) -> String { QuotedString.basic(s) }
}

/// What mailtui reads at start: `config.toml` (the user's) and `profiles.toml` (mailtui's saved
/// profiles) as one configuration.
public enum Configuration {
    /// Both files merged. config.toml's settings come first; a saved profile whose name config.toml
    /// also uses is left out, and that is reported in `warnings`. The default profile is
    /// config.toml's, else the saved one's.
    public static func load(user: ConfigFile = ConfigFile(), saved: ConfigFile = .savedProfiles) throws(ConfigError) -> MailtuiConfig {
        var config = try user.load()
        let savedConfig = try saved.load()
        let userNames = Set(config.profiles.map(\.name))
        for profile in savedConfig.profiles {
            if userNames.contains(profile.name) {
                config.warnings.append("profile \"\(profile.name)\" is in both \(user.path) and \(saved.path): the one in config.toml is used")
            } else {
                config.profiles.append(profile)
            }
        }
        if config.defaultProfile == nil { config.defaultProfile = savedConfig.defaultProfile }
        config.localServer = config.localServer && savedConfig.localServer
        return config
    }
}
