import ArgumentParser
import MailCore

/// `mailtui profiles list|show|save|delete`: named server setups, written by hand in config.toml
/// or saved by mailtui in profiles.toml (mailtui never rewrites config.toml).
struct ProfilesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profiles",
        abstract: "List, show, save and delete server profiles (config.toml and profiles.toml).",
        subcommands: [List.self, Show.self, Save.self, Delete.self],
        defaultSubcommand: List.self
    )

    /// Both files, merged; clashes reported.
    static func load() throws -> MailtuiConfig {
        do {
            let config = try Configuration.load()
            for warning in config.warnings { Console.err("warning: \(warning)") }
            return config
        } catch {
            Console.err("error: \(error)")
            throw ExitCode(ExitStatus.badInput.rawValue)
        }
    }

    /// profiles.toml alone, for saving and deleting: a broken config.toml does not stop either.
    static func loadSaved() throws -> (ConfigFile, MailtuiConfig) {
        let file = ConfigFile.savedProfiles
        do { return (file, try file.load()) } catch {
            Console.err("error: \(error)")
            throw ExitCode(ExitStatus.badInput.rawValue)
        }
    }

    /// config.toml's profiles, or none when it cannot be read (said as a warning).
    static func handWritten() -> MailtuiConfig {
        do { return try ConfigFile().load() } catch {
            Console.err("warning: \(error)")
            return MailtuiConfig()
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the profiles.")
        func run() throws {
            let config = try ProfilesCommand.load()
            if config.profiles.isEmpty { Console.out("No profiles yet: mailtui profiles save NAME --server HOST ..."); return }
            for p in config.profiles {
                let mark = p.name == config.defaultProfile ? "*" : " "
                let login = p.settings.username.map { " as \($0)" } ?? ""
                Console.out("\(mark) \(p.name)  \(p.settings.host):\(p.settings.effectivePort) \(p.settings.security.displayName)\(login)")
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one profile (the password as a placeholder).")
        @Argument(help: "The profile's name.") var name: String
        @Flag(help: "JSON instead of text.") var json = false
        func run() throws {
            let config = try ProfilesCommand.load()
            guard let p = config.profile(named: name) else { throw ValidationError("No profile \"\(name)\".") }
            let password = ProfilesCommand.describePassword(p)
            if json {
                let shown = ShownProfile(name: p.name, isDefault: p.name == config.defaultProfile, server: p.settings.host,
                                         port: p.settings.effectivePort, security: p.settings.security.rawValue,
                                         verifyCertificate: p.settings.verifyCertificate, caFile: p.settings.caFile, helo: p.settings.heloName,
                                         user: p.settings.username, auth: p.settings.authMechanism.rawValue, password: password, from: p.from)
                Console.json(shown)
                return
            }
            let s = p.settings
            var lines = ["profile   \(p.name)\(p.name == config.defaultProfile ? " (default)" : "")",
                         "server    \(s.host):\(s.effectivePort) \(s.security.displayName)\(s.verifyCertificate ? "" : ", certificate checks OFF")"]
            if let ca = s.caFile { lines.append("ca file   \(ca)") }
            if let helo = s.heloName { lines.append("ehlo      \(helo)") }
            if let user = s.username { lines.append("user      \(user) (\(s.authMechanism.rawValue))") }
            lines.append("password  \(password)")
            if let from = p.from { lines.append("from      \(from)") }
            lines.forEach(Console.out)
        }
    }

    struct Save: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "save", abstract: "Save the settings given (same options as send) as a profile.")
        @Argument(help: "The profile's name: letters, digits, '-', '_', '.'.") var name: String
        @OptionGroup(title: "Server") var server: ServerOptions
        @Option(help: ArgumentHelp("The profile's default sender.", valueName: "addr")) var from: String?
        @OptionGroup(title: "DKIM") var dkim: DKIMOptions
        @Flag(help: "Make it the default profile.") var `default` = false
        @Flag(help: "Store the password itself in profiles.toml (the file becomes mode 0600). Prefer --password-env or --password-cmd.")
        var savePassword = false

        func validate() throws {
            if !Profile.isValidName(name) { throw ValidationError("A profile name may only use letters, digits, '-', '_' and '.'.") }
        }

        func run() throws {
            let (file, existing) = try ProfilesCommand.loadSaved()
            var config = existing
            var resolved = try server.resolveChecked()
            if server.profile == nil, let old = existing.profile(named: name), server.server == nil {
                resolved.settings = old.settings
            }
            var profile = Profile(name: name, settings: resolved.settings, passwordSource: resolved.passwordSource, storedPassword: nil,
                                  from: from ?? resolved.sender)
            profile.dkim = dkim.settings.map { DKIMSettings(selector: $0.selector, keyPath: $0.keyPath.absolutePath, domain: $0.domain) } ?? resolved.dkim
            if let from = profile.from, (try? Mailbox.parse(from)) == nil { throw ValidationError("--from \"\(from)\" is not an address.") }
            if savePassword {
                guard let secret = try resolved.secret(user: resolved.settings.username) else {
                    throw ValidationError("--save-password needs --user and a password source.")
                }
                profile.storedPassword = secret
                profile.passwordSource = nil
            }
            let hadStoredPasswords = existing.hasStoredPasswords
            config.upsert(profile)
            if self.default || config.profiles.count == 1 { config.defaultProfile = name }
            do { try file.save(config) } catch {
                Console.err("error: \(error)")
                throw ExitCode(ExitStatus.badInput.rawValue)
            }
            Console.out("Saved profile \(name) in \(file.path)\(config.defaultProfile == name ? " (default)" : "").")
            if ProfilesCommand.handWritten().profile(named: name) != nil {
                Console.err("warning: config.toml also has a profile \"\(name)\", and that one is used; rename one of them.")
            }
            if profile.storedPassword != nil && !hadStoredPasswords {
                Console.err("warning: the password is stored in plain text in \(file.path); the file is now readable by you only (mode 0600).")
            }
        }
    }

    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete a profile.")
        @Argument(help: "The profile's name.") var name: String
        func run() throws {
            let (file, existing) = try ProfilesCommand.loadSaved()
            var config = existing
            guard config.profile(named: name) != nil else {
                if ProfilesCommand.handWritten().profile(named: name) != nil {
                    throw ValidationError("Profile \"\(name)\" is in config.toml, which mailtui never rewrites: delete its [profiles.\(name)] section there.")
                }
                throw ValidationError("No profile \"\(name)\".")
            }
            config.profiles.removeAll { $0.name == name }
            if config.defaultProfile == name { config.defaultProfile = nil }
            do { try file.save(config) } catch {
                Console.err("error: \(error)")
                throw ExitCode(ExitStatus.badInput.rawValue)
            }
            Console.out("Deleted profile \(name).")
        }
    }

    /// Where the password comes from, never the password.
    static func describePassword(_ p: Profile) -> String {
        if p.storedPassword != nil { return "[stored in the profile's file, hidden]" }
        switch p.passwordSource {
        case .environment(let name)?: return "[from environment variable \(name)]"
        case .command(let command)?: return "[from command: \(command)]"
        case .prompt?: return "[asked for]"
        case .standardInput?: return "[from standard input]"
        case nil: return p.settings.username == nil ? "[no login]" : "[MAIL_PASSWORD, else asked for]"
        }
    }
}

/// What `profiles show --json` prints: the password only as a description of its source.
struct ShownProfile: Encodable {
    var name: String
    var isDefault: Bool
    var server: String
    var port: Int
    var security: String
    var verifyCertificate: Bool
    var caFile: String?
    var helo: String?
    var user: String?
    var auth: String
    var password: String
    var from: String?
}
