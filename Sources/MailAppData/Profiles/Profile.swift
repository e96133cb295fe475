/// A named server setup: everything needed to send through one server, and where its password
/// comes from. Written by hand in `config.toml`, or saved by mailtui in `profiles.toml`.
public struct Profile: Sendable, Equatable {
    public var name: String
    public var settings: ServerSettings
    public var passwordSource: PasswordSource?
    /// The password itself, only when the user asked for it to be stored (the file is then 0600).
    public var storedPassword: Secret?
    /// The default sender (Flask: MAIL_DEFAULT_SENDER).
    public var from: String?
    /// DKIM signing for mail sent with this profile (`dkim_selector`, `dkim_key`, `dkim_domain`).
    public var dkim: DKIMSettings?
    /// The signed-in OAuth account (`mailtui oauth login --account NAME`) whose token logs in.
    public var oauthAccount: String?

    public init(name: String, settings: ServerSettings, passwordSource: PasswordSource? = nil, storedPassword: Secret? = nil, from: String? = nil) {
        self.name = name
        self.settings = settings
        self.passwordSource = passwordSource
        self.storedPassword = storedPassword
        self.from = from
    }

    /// Profile names are plain words, so they can be typed and never need quoting anywhere.
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 64 && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") }
    }

    /// The secret: the stored one, else from the source (run only now, when it is needed).
    public func secret(promptText: String) throws(PasswordError) -> Secret? {
        if let storedPassword { return storedPassword }
        return try passwordSource?.resolve(promptText: promptText)
    }
}

/// The whole configuration file.
public struct MailtuiConfig: Sendable, Equatable {
    public var defaultProfile: String?
    /// How many sends and probes the history keeps.
    public var historyLimit: Int
    /// In file order.
    public var profiles: [Profile]
    /// Whether the compose screen may run its own local test server (`local_server = false`
    /// never starts it, as `--no-local-server`).
    public var localServer = true
    /// The spamd (`HOST:PORT`, an IP address) that the compose screen's Checks tab asks for a
    /// caught message's spam score; nil: the screen asks none (`spamd = "..."` or `true` for
    /// the loopback default in config.toml).
    public var spamd: String?
    /// What the user should know about how the files were read (a name used in both files).
    public var warnings: [String] = []

    public init(defaultProfile: String? = nil, historyLimit: Int = 500, profiles: [Profile] = []) {
        self.defaultProfile = defaultProfile
        self.historyLimit = historyLimit
        self.profiles = profiles
    }

    public func profile(named name: String) -> Profile? { profiles.first { $0.name == name } }

    /// Adds or replaces a profile, keeping its place.
    public mutating func upsert(_ profile: Profile) {
        if let index = profiles.firstIndex(where: { $0.name == profile.name }) { profiles[index] = profile } else { profiles.append(profile) }
    }

    public var hasStoredPasswords: Bool { profiles.contains { $0.storedPassword != nil } }
}
