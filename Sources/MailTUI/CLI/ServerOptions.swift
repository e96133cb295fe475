import ArgumentParser
import MailCore

/// How to reach and log in to the server: shared by `send`, `probe` and the TUI.
struct ServerOptions: ParsableArguments {
    @Option(help: ArgumentHelp("SMTP server host name or address (Flask: MAIL_SERVER).", valueName: "host"))
    var server: String?

    @Option(help: ArgumentHelp("Port; default 25, 587 or 465 by --security (Flask: MAIL_PORT).", valueName: "n"))
    var port: Int?

    @Option(help: ArgumentHelp("none, starttls (required, never falls back) or tls (implicit). Default starttls.", valueName: "mode"))
    var security: SecurityMode?

    @Flag(help: "Do not verify the server's certificate (test servers only).")
    var insecure = false

    @Option(help: ArgumentHelp("Trust the CA certificates in this PEM file.", valueName: "path"))
    var caFile: String?

    @Option(help: ArgumentHelp("The name to send with EHLO; default this machine's name.", valueName: "name"))
    var helo: String?

    @Option(help: ArgumentHelp("Connect to this IP address instead of looking up the host name (as curl's --resolve); the certificate is still checked for the host name.", valueName: "address"))
    var connectAddress: String?

    @Option(help: ArgumentHelp("Log in as this user (Flask: MAIL_USERNAME).", valueName: "name"))
    var user: String?

    @Option(help: ArgumentHelp("Read the password (or XOAUTH2 token) from this environment variable.", valueName: "var"))
    var passwordEnv: String?

    @Option(help: ArgumentHelp("Run this command and use its output as the password.", valueName: "cmd"))
    var passwordCmd: String?

    @Flag(help: "Read the password from standard input.")
    var passwordStdin = false

    @Option(help: ArgumentHelp("Log in with the access token of this signed-in account (mailtui oauth login --account NAME), refreshed as needed; the user is the token's unless --user is given.", valueName: "name"))
    var oauth: String?

    @Option(help: ArgumentHelp("auto, plain, login, cram-md5, xoauth2 or oauthbearer (with --oauth, auto picks OAUTHBEARER or XOAUTH2 by what EHLO offers).", valueName: "mechanism"))
    var auth: AuthMechanism?

    @Option(help: ArgumentHelp("Seconds (1 to 3600) to wait for the TCP connect, each TLS handshake and each reply (default 15 to connect or for a handshake, 30 per reply); the whole session then may take 4 times that, at least 10 minutes.", valueName: "seconds"))
    var timeout: Double?

    @Option(help: ArgumentHelp("Start from this profile, of config.toml or of profiles.toml (where mailtui saves them; config.toml's wins on a clash); default: default_profile, unless --server is given.", valueName: "name"))
    var profile: String?

    @Option(help: ArgumentHelp("Use a provider's host, port and security (gmail, microsoft365, outlook, ses[:REGION], sendgrid, mailgun, mailgun-eu, postmark, brevo, mailjet, fastmail, icloud, yahoo, zoho, mailtrap, proton; `mailtui providers` lists them).", valueName: "name"))
    var provider: String?

    @Option(help: ArgumentHelp("Read MAIL_* settings from this .env file, as Flask would.", valueName: "path"))
    var envFile: String?

    @Option(help: ArgumentHelp("Read MAIL_* settings as this Flask app or config module sets them (app.py, package/__init__.py, config.py); with --env-file, the code sees that file's variables.", valueName: "path"))
    var flaskConfig: String?

    @Flag(help: "When the imported config makes the app fail (MAIL_USE_TLS and MAIL_USE_SSL both on), send as it was meant instead of failing as the app does.")
    var asIntended = false

    @Flag(help: "Read MAIL_* settings from the environment.")
    var mailEnv = false

    func validate() throws {
        if let provider, Provider.named(provider) == nil {
            throw ValidationError("No provider \"\(provider)\"; known: \(Provider.catalogue.map(\.id).joined(separator: ", ")) (mailtui providers lists them).")
        }
        let sources = [passwordEnv != nil, passwordCmd != nil, passwordStdin].filter { $0 }.count
        if sources > 1 { throw ValidationError("Give at most one of --password-env, --password-cmd and --password-stdin.") }
        if oauth != nil && sources > 0 { throw ValidationError("--oauth logs in with a token: give no --password-env, --password-cmd or --password-stdin with it.") }
        if let oauth, let problem = TokenStore.problem(withName: oauth) { throw ValidationError("--oauth: \(problem).") }
        if oauth != nil, let auth, !(auth == .auto || auth.takesBearerToken) {
            throw ValidationError("--oauth logs in with a token: use --auth auto, xoauth2 or oauthbearer, not \(auth.rawValue).")
        }
        if let timeout, let problem = Timeouts.problem(perStep: timeout) { throw ValidationError("--timeout: \(problem).") }
    }

    /// Whether any option says something about the server (or where its settings come from).
    var givesServerSettings: Bool {
        server != nil || profile != nil || provider != nil || envFile != nil || flaskConfig != nil || mailEnv || port != nil || security != nil
            || user != nil || caFile != nil || helo != nil || connectAddress != nil || auth != nil || timeout != nil || insecure
            || passwordEnv != nil || passwordCmd != nil || passwordStdin || oauth != nil
    }

    /// The settings the explicit options alone describe (no profile, no import).
    var settings: ServerSettings {
        var s = ServerSettings()
        s.host = server ?? ""
        s.port = port
        s.security = security ?? .starttls
        s.verifyCertificate = !insecure
        s.caFile = caFile
        s.heloName = helo
        s.connectAddress = connectAddress
        s.username = user
        s.authMechanism = auth ?? .auto
        if let timeout { s.timeouts = Timeouts(perStep: timeout) }
        return s
    }
}

extension SecurityMode: ExpressibleByArgument {}
extension AuthMechanism: ExpressibleByArgument {}
extension SMTPStage: ExpressibleByArgument {
    /// Only the stages `--quit-after` accepts, so that its help lists what it takes.
    public static var allValueStrings: [String] { SessionRequest.quitAfterStages.map(\.rawValue) }
}

/// Server settings after profile, Flask-Mail import and explicit options, in that order (explicit
/// options win), with where the password comes from and what the user should know.
struct ResolvedServer {
    var settings: ServerSettings
    var profileName: String?
    var sender: String?
    /// A password given literally by an imported .env file or stored in the profile.
    var password: Secret?
    var passwordSource: PasswordSource?
    var warnings: [String] = []
    var notes: [String] = []
    /// The findings of imported Flask configs, with their files and lines.
    var findings: [FlaskFinding] = []
    /// DKIM signing from the profile.
    var dkim: DKIMSettings?
    /// The signed-in OAuth account whose access token is the secret (--oauth, profile key oauth).
    var oauthAccount: String?
    /// Whether a Flask config was imported (--env-file, --flask-config, --mail-env).
    var imported = false
    /// Where each setting came from, in words ("the saved draft", ".env:3", "--port"), by setting.
    var origins: [SettingOrigin.Setting: String] = [:]
    /// Why the app, as configured, cannot send (Flask-Mail's SMTP_SSL then starttls()), in words.
    var appWillFail: String?
    /// The security the imported config means, when the app reads it otherwise ("False" strings,
    /// both modes on), and what differs, in words.
    var intendedSecurity: SecurityMode?
    var intendedChanges: [String] = []
    /// MAIL_* keys of the import that could not be read, with their places ("config.py:12").
    var unreadKeys: [(key: String, place: String)] = []

    /// The settings as the config means them (what export writes, what --as-intended sends).
    var intendedSettings: ServerSettings {
        var s = settings
        if let intendedSecurity { s.security = intendedSecurity }
        return s
    }

    /// The secret, read only now; nil when no login is wanted. With `optional`, a missing password
    /// gives nil instead of an error (a probe then reports what the server offers without logging in).
    func secret(user: String?, optional: Bool = false) throws -> Secret? {
        guard settings.wantsLogin else { return nil }
        if let oauthAccount { return try OAuthLogin.secret(account: oauthAccount) }
        if let password { return password }
        guard let source = passwordSource ?? PasswordSource.fallback() else {
            if optional { return nil }
            throw ValidationError("A user is set but there is no password: set MAIL_PASSWORD, or use --password-env, --password-cmd or --password-stdin (or password_env in the profile).")
        }
        do {
            return try source.resolve(promptText: "Password for \(settings.username ?? ""): ")
        } catch {
            Console.err("error: \(error)")
            throw ExitCode(ExitStatus.badInput.rawValue)
        }
    }
}

extension ServerOptions {
    /// Profile, then import, then explicit options. Config and import problems are bad input.
    /// `startingFrom` is what the user already has (a restored draft): options overlay it, and the
    /// default profile does not replace it. An import (`--env-file`, `--flask-config`,
    /// `--mail-env`) is read as Flask-Mail reads it, with Flask-Mail's defaults for every key it
    /// does not give: it never mixes with the default profile or a draft.
    func resolve(startingFrom draft: ServerSettings? = nil) throws -> ResolvedServer {
        let sources = try importedValues()
        let imports = sources.map(FlaskImport.init)
        let base = imports.isEmpty ? draft : nil
        var resolved = ResolvedServer(settings: base ?? ServerSettings())
        for setting in SettingOrigin.Setting.allCases { resolved.origins[setting] = base != nil ? "the saved draft" : "mailtui's default" }
        // A broken config.toml stops only what needs it: a profile named with --profile. Otherwise
        // it is reported and left out, so that a send with its options given still goes.
        let config: MailtuiConfig
        switch LoadedConfig.result {
        case .success(let loaded):
            config = loaded
            resolved.warnings += loaded.warnings
        case .failure(let error) where profile != nil:
            Console.err("error: \(error)")
            throw ExitCode(ExitStatus.badInput.rawValue)
        case .failure(let error):
            resolved.warnings.append("\(error) (config.toml was not used)")
            config = MailtuiConfig()
        }
        let profileName = profile ?? (server == nil && provider == nil && base == nil && imports.isEmpty ? config.defaultProfile : nil)
        if let profileName {
            guard let found = config.profile(named: profileName) else {
                let known = config.profiles.map(\.name)
                throw ValidationError("No profile \"\(profileName)\"" + (known.isEmpty ? " (there are none yet: mailtui profiles save NAME ...)" : "; known: \(known.joined(separator: ", "))") + ".")
            }
            resolved.settings = found.settings
            for setting in SettingOrigin.Setting.allCases { resolved.origins[setting] = "profile \(found.name)" }
            resolved.profileName = found.name
            resolved.dkim = found.dkim
            resolved.sender = found.from
            resolved.password = found.storedPassword
            resolved.passwordSource = found.passwordSource
            resolved.oauthAccount = found.oauthAccount
        }
        resolved.imported = !imports.isEmpty
        for (index, imported) in imports.enumerated() {
            resolved.findings += imported.findings
            let origin = SettingOrigin(source: sources[index])
            if index == 0 && profileName == nil {
                for setting in SettingOrigin.Setting.allCases { resolved.origins[setting] = origin.of(setting) }
                // The app's whole mail configuration: what it gives, and Flask-Mail's defaults.
                resolved.settings = imported.settings
                resolved.passwordSource = imported.passwordSource
                resolved.password = imported.password
                resolved.sender = imported.sender
                resolved.warnings += imported.warnings
                resolved.notes += imported.notes
                if imported.bothTLSModes {
                    let s = imported.settings
                    resolved.appWillFail = SessionFailure.flaskBothTLSModes(host: s.host, port: s.effectivePort).explanation + " Fix the config (MAIL_USE_SSL=True alone for port 465, MAIL_USE_TLS=True alone for 587), or give --as-intended to send the way that works."
                }
                if imported.intended.security != imported.settings.security {
                    resolved.intendedSecurity = imported.intended.security
                }
                resolved.intendedChanges = imported.intendedChanges
                let source = sources[index]
                resolved.unreadKeys = imported.unknownKeys.sorted().map { key in
                    (key, (source.file(of: key) ?? "the environment") + (source.lines[key].map { ":\($0)" } ?? ""))
                }
                continue
            }
            let given = imported.givenKeys
            for setting in SettingOrigin.Setting.allCases where setting.keys.contains(where: given.contains) { resolved.origins[setting] = origin.of(setting) }
            if given.contains("MAIL_SERVER") { resolved.settings.host = imported.settings.host }
            if given.contains("MAIL_PORT") || given.contains("MAIL_USE_SSL") || given.contains("MAIL_USE_TLS") { resolved.settings.port = imported.settings.port }
            if given.contains("MAIL_USE_TLS") || given.contains("MAIL_USE_SSL") { resolved.settings.security = imported.settings.security }
            if given.contains("MAIL_USERNAME") { resolved.settings.username = imported.settings.username }
            if let source = imported.passwordSource { resolved.passwordSource = source; resolved.password = nil }
            if let password = imported.password { resolved.password = password }
            if let sender = imported.sender { resolved.sender = sender }
            resolved.warnings += imported.warnings
            resolved.notes += imported.notes
        }
        if let provider, let preset = Provider.named(provider) {
            resolved.settings = preset.apply(to: resolved.settings)
            for setting in [SettingOrigin.Setting.host, .port, .security] { resolved.origins[setting] = "--provider \(preset.id)" }
            if preset.fixedUser != nil { resolved.origins[.user] = "--provider \(preset.id)" }
        }
        let explicit = settings
        for (setting, option) in explicitOptions { resolved.origins[setting] = option }
        if let server { resolved.settings.host = server }
        if security != nil { resolved.intendedSecurity = nil; resolved.intendedChanges = []; resolved.appWillFail = nil }
        if let security { resolved.settings.security = security; if port == nil && profileName == nil && base == nil && imports.isEmpty { resolved.settings.port = nil } }
        if let port { resolved.settings.port = port }
        if insecure { resolved.settings.verifyCertificate = false }
        if let caFile { resolved.settings.caFile = caFile }
        if let helo { resolved.settings.heloName = helo }
        if let connectAddress { resolved.settings.connectAddress = connectAddress }
        if let user { resolved.settings.username = user }
        if let auth { resolved.settings.authMechanism = auth }
        if timeout != nil { resolved.settings.timeouts = explicit.timeouts }
        if let passwordEnv { resolved.passwordSource = .environment(passwordEnv); resolved.password = nil }
        if let passwordCmd { resolved.passwordSource = .command(passwordCmd); resolved.password = nil }
        if passwordStdin { resolved.passwordSource = .standardInput; resolved.password = nil }
        if passwordEnv != nil || passwordCmd != nil || passwordStdin { resolved.oauthAccount = nil }
        if let oauth { resolved.oauthAccount = oauth; resolved.passwordSource = nil; resolved.password = nil; resolved.origins[.password] = "--oauth \(oauth)" }
        resolved.settings.oauthAccount = resolved.oauthAccount
        if let account = resolved.oauthAccount, !resolved.settings.wantsLogin {
            resolved.settings.username = try OAuthLogin.user(account: account)
            resolved.origins[.user] = "the token of \(account)"
        }
        // Checked here, not in validate(): the user may come from a profile or an import.
        if (passwordEnv != nil || passwordCmd != nil || passwordStdin) && !resolved.settings.wantsLogin {
            throw ValidationError("A password source needs a user: --user, or a profile or MAIL_USERNAME that sets one.")
        }
        return resolved
    }

    /// The settings the options given on the command line set, and the option's name.
    private var explicitOptions: [(SettingOrigin.Setting, String)] {
        var given: [(SettingOrigin.Setting, String)] = []
        if server != nil { given.append((.host, "--server")) }
        if port != nil { given.append((.port, "--port")) }
        if security != nil { given.append((.security, "--security")) }
        if user != nil { given.append((.user, "--user")) }
        if let passwordEnv { given.append((.password, "$\(passwordEnv)")) }
        if passwordCmd != nil { given.append((.password, "--password-cmd")) }
        if passwordStdin { given.append((.password, "standard input")) }
        if timeout != nil { given.append((.timeout, "--timeout")) }
        return given
    }

    private func importedValues() throws -> [FlaskSources.Values] {
        var sources: [FlaskSources.Values] = []
        if let envFile, FileContents.read(envFile) == nil { throw ValidationError("Cannot read \(envFile).") }
        if let flaskConfig {
            guard FileContents.read(flaskConfig) != nil else { throw ValidationError("Cannot read \(flaskConfig).") }
            // One reading: the code sees the .env's variables, as load_dotenv() gives them, so
            // each key has one value and each finding is said once.
            sources.append(FlaskSources.app(entry: flaskConfig, environment: ProcessEnvironment.all(), dotenvFile: envFile))
        } else if let envFile, let bytes = FileContents.read(envFile) {
            sources.append(FlaskSources.dotenv(String(decoding: bytes, as: UTF8.self), path: envFile))
        }
        if mailEnv { sources.append(FlaskSources.environment()) }
        return sources
    }

    /// Resolves, prints warnings and notes, and checks the settings before any connection.
    func resolveChecked() throws -> ResolvedServer {
        let resolved = try resolve()
        // A key of the import that could not be read is never replaced by Flask-Mail's default:
        // it must be given by an option.
        let covered: [String: Bool] = [
            "MAIL_SERVER": server != nil, "MAIL_PORT": port != nil, "MAIL_USE_TLS": security != nil, "MAIL_USE_SSL": security != nil,
            "MAIL_USERNAME": user != nil, "MAIL_PASSWORD": passwordEnv != nil || passwordCmd != nil || passwordStdin,
        ]
        let options = ["MAIL_SERVER": "--server", "MAIL_PORT": "--port", "MAIL_USE_TLS": "--security", "MAIL_USE_SSL": "--security",
                       "MAIL_USERNAME": "--user", "MAIL_PASSWORD": "--password-env, --password-cmd or --password-stdin"]
        let missing = resolved.unreadKeys.filter { covered[$0.key] == false }
        if !missing.isEmpty {
            let what = missing.map { "\($0.key) (\($0.place))" }.joined(separator: ", ")
            let give = Array(Set(missing.compactMap { options[$0.key] })).sorted().joined(separator: "; ")
            throw ValidationError("mailtui cannot read \(what) as the app sets it, and does not guess: give it with \(give).")
        }
        for warning in resolved.warnings + [resolved.settings.clearTextLoginWarning].compactMap({ $0 }) { Console.err("warning: \(warning)") }
        for note in resolved.notes { Console.err("note: \(note)") }
        let problems = resolved.settings.problems()
        if !problems.isEmpty {
            for problem in problems { Console.err("error: \(problem)") }
            throw ExitCode(ExitStatus.badInput.rawValue)
        }
        return resolved
    }
}
