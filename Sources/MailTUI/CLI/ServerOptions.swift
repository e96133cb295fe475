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

    @Option(help: ArgumentHelp("Log in as this user (Flask: MAIL_USERNAME).", valueName: "name"))
    var user: String?

    @Option(help: ArgumentHelp("Read the password (or XOAUTH2 token) from this environment variable.", valueName: "var"))
    var passwordEnv: String?

    @Option(help: ArgumentHelp("Run this command and use its output as the password.", valueName: "cmd"))
    var passwordCmd: String?

    @Flag(help: "Read the password from standard input.")
    var passwordStdin = false

    @Option(help: ArgumentHelp("auto, plain, login, cram-md5 or xoauth2.", valueName: "mechanism"))
    var auth: AuthMechanism?

    @Option(help: ArgumentHelp("Seconds to wait to connect and for each reply (default 15 to connect, 30 per reply).", valueName: "seconds"))
    var timeout: Double?

    func validate() throws {
        let sources = [passwordEnv != nil, passwordCmd != nil, passwordStdin].filter { $0 }.count
        if sources > 1 { throw ValidationError("Give at most one of --password-env, --password-cmd and --password-stdin.") }
        if sources == 1 && user == nil { throw ValidationError("A password source needs --user.") }
        if let timeout, !(timeout > 0) { throw ValidationError("--timeout must be more than 0 seconds.") }
    }

    /// The settings these options describe.
    var settings: ServerSettings {
        var s = ServerSettings()
        s.host = server ?? ""
        s.port = port
        s.security = security ?? .starttls
        s.verifyCertificate = !insecure
        s.caFile = caFile
        s.heloName = helo
        s.username = user
        s.authMechanism = auth ?? .auto
        if let timeout { s.timeouts = Timeouts(perStep: timeout) }
        return s
    }

    /// Where the password comes from, or nil when no login is wanted. Falls back to MAIL_PASSWORD,
    /// then a prompt; with neither, an error saying what to do.
    func passwordSource() throws -> PasswordSource? {
        guard let user, !user.isEmpty else { return nil }
        if let passwordEnv { return .environment(passwordEnv) }
        if let passwordCmd { return .command(passwordCmd) }
        if passwordStdin { return .standardInput }
        if let fallback = PasswordSource.fallback() { return fallback }
        throw ValidationError("--user is set but there is no password: set MAIL_PASSWORD, or use --password-env, --password-cmd or --password-stdin.")
    }
}

extension SecurityMode: ExpressibleByArgument {}
extension AuthMechanism: ExpressibleByArgument {}
extension SMTPStage: ExpressibleByArgument {}
