/// MAIL_* settings interpreted as Flask-Mail would, with a warning wherever that surprises.
public struct FlaskImport: Sendable, Equatable {
    /// Server settings: MAIL_SERVER, MAIL_PORT, MAIL_USE_TLS / MAIL_USE_SSL, MAIL_USERNAME.
    public var settings: ServerSettings
    /// Which settings the source gave (only these override a profile).
    public var givenKeys: Set<String>
    public var passwordSource: PasswordSource?
    /// A password given literally (a .env file): used to send, never written anywhere.
    public var password: Secret?
    public var sender: String?
    /// What a reviewer would say of the config, each at its line.
    public var findings: [FlaskFinding]
    /// The findings that are problems or warnings, as `file:line: text`.
    public var warnings: [String] { findings.filter { $0.severity != .note }.map(\.description) }
    /// Facts worth knowing that are not problems.
    public var notes: [String] { findings.filter { $0.severity == .note }.map(\.description) }

    /// The placeholder `export --format dotenv` writes instead of a password.
    public static let passwordPlaceholder = "CHANGE-ME"

    /// MAIL_* keys that could not be read: nothing that depends on them is asserted.
    public var unknownKeys: Set<String>
    /// Whether the app, as configured, turns both implicit TLS and STARTTLS on: Flask-Mail then
    /// opens SMTP_SSL and calls starttls() on it, which fails on every server.
    public var bothTLSModes: Bool
    /// The settings as the config means them where the app reads it otherwise: a "False" string
    /// is off, and of both modes on, the one the port is for. What export writes.
    public var intended: ServerSettings
    /// What differs between `intended` and what the app does, in words.
    public var intendedChanges: [String]

    public init(_ source: FlaskSources.Values) {
        let v = source.values
        let unknown = Set(source.unknown.keys)
        var check = FlaskCheck(source)
        for key in source.unknown.keys.sorted(by: { (source.lines[$0] ?? 0, $0) < (source.lines[$1] ?? 0, $1) }) {
            let line = source.lines[key]
            let place = source.file(of: key).map { $0 + (line.map { ":\($0)" } ?? "") } ?? (line.map { "line \($0)" } ?? "the environment")
            check.add(.warning, "cannot read \(key) at \(place): \(source.unknown[key] ?? ""). mailtui assumes nothing about it: check it by hand.", key: key)
        }
        for (line, text) in source.unreadable { check.add(.warning, text, line: line) }
        check.findings += source.findings
        var s = ServerSettings()
        // Flask-Mail's own default (init_mail: config.get("MAIL_SERVER", "127.0.0.1")).
        s.host = v["MAIL_SERVER"]?.text ?? FlaskImport.defaultServer

        check.keyNames()
        let useTLS = v["MAIL_USE_TLS"] ?? .bool(false)
        let useSSL = v["MAIL_USE_SSL"] ?? .bool(false)
        for key in ["MAIL_USE_TLS", "MAIL_USE_SSL", "MAIL_SUPPRESS_SEND", "MAIL_ASCII_ATTACHMENTS"] {
            guard let value = v[key], value.looksFalseButIsTrue else { continue }
            let what = ["MAIL_USE_TLS": "STARTTLS", "MAIL_USE_SSL": "implicit TLS", "MAIL_SUPPRESS_SEND": "send suppression"][key] ?? "ASCII attachment names"
            check.add(.problem, "\(key) is the string \"\(value.text ?? "")\", which Python treats as true: the app turns \(what) ON. Leave it empty (or unset) for off, or convert it in the config (os.environ.get(\"\(key)\", \"\").lower() in (\"1\", \"true\")).", key: key)
        }
        if let debug = v["MAIL_DEBUG"], case .string(let text) = debug, Int(text.trimmingSpaces) == nil {
            check.add(.problem, "MAIL_DEBUG is \"\(text)\": Flask-Mail calls int() on it, so the app fails at start-up with ValueError. Use 0 or 1.", key: "MAIL_DEBUG")
        }
        let securityKnown = unknown.isDisjoint(with: ["MAIL_USE_TLS", "MAIL_USE_SSL"])
        let both = securityKnown && useTLS.truthy && useSSL.truthy
        if both {
            check.add(.problem, "MAIL_USE_TLS and MAIL_USE_SSL are both on: Flask-Mail opens an implicit-TLS connection (SMTP_SSL) and then calls starttls() on it, which fails (\"STARTTLS extension not supported by server\"), so the app cannot send. Turn one off: MAIL_USE_SSL for port 465, MAIL_USE_TLS for 587.", key: "MAIL_USE_SSL")
        }
        s.security = useSSL.truthy ? .tls : useTLS.truthy ? .starttls : .none

        // Flask-Mail's default port is 25 whatever the security; it never switches to 465 or 587.
        var port = 25
        if let value = v["MAIL_PORT"] {
            if case .int(let n) = value { port = n } else if let text = value.text, let n = Int(text.trimmingSpaces) { port = n } else {
                check.add(.problem, "MAIL_PORT \"\(value.text ?? "")\" is not a number; using 25 as Flask-Mail would fail", key: "MAIL_PORT")
            }
        }
        s.port = port
        let portKey = v["MAIL_PORT"] != nil ? "MAIL_PORT" : (useSSL.truthy ? "MAIL_USE_SSL" : "MAIL_USE_TLS")
        let portKnown = securityKnown && !unknown.contains("MAIL_PORT")
        if !portKnown {
            // Nothing about the port and the security can be said when one of them is not known.
        } else if useSSL.truthy && port == 25 {
            check.add(.problem, "MAIL_USE_SSL is on with port 25: Flask-Mail does not switch to 465, so the app tries TLS on 25 and fails. Set MAIL_PORT=465.", key: portKey)
        } else if useSSL.truthy && port == 587 {
            check.add(.problem, "MAIL_USE_SSL is on with port 587, which usually expects STARTTLS: use MAIL_USE_TLS=True, MAIL_USE_SSL=False, or port 465.", key: portKey)
        } else if useTLS.truthy && !useSSL.truthy && port == 465 {
            check.add(.problem, "MAIL_USE_TLS (STARTTLS) is on with port 465, which usually expects implicit TLS: use MAIL_USE_SSL=True, MAIL_USE_TLS=False.", key: portKey)
        } else if !useTLS.truthy && !useSSL.truthy && port == 465 {
            check.add(.problem, "Port 465 expects implicit TLS, but MAIL_USE_SSL is off: the app waits for a greeting that never comes. Set MAIL_USE_SSL=True.", key: portKey)
        } else if !useTLS.truthy && !useSSL.truthy && port == 587 && v["MAIL_USERNAME"]?.truthy == true && !unknown.contains("MAIL_USERNAME") {
            check.add(.warning, "Port 587 with MAIL_USE_TLS off: submission servers want STARTTLS before the login (530 Must issue a STARTTLS command first). Set MAIL_USE_TLS=True.", key: portKey)
        }

        let user = v["MAIL_USERNAME"]?.text.flatMap { $0.isEmpty ? nil : $0 }
        s.username = user
        var password: Secret?
        var passwordSource: PasswordSource?
        var placeholder = false
        var passwordGiven = false
        if let variable = source.passwordVariable {
            passwordSource = .environment(variable)
            passwordGiven = source.passwordVariableSet
        } else if let text = v["MAIL_PASSWORD"]?.text, !text.isEmpty {
            if text == Self.passwordPlaceholder {
                placeholder = true
                check.add(.problem, "MAIL_PASSWORD is still the placeholder \(Self.passwordPlaceholder): set the real password in the environment.", key: "MAIL_PASSWORD")
            } else {
                password = Secret(text)
                passwordGiven = true
            }
        }
        check.passwordAsWritten()
        let loginKnown = unknown.isDisjoint(with: ["MAIL_USERNAME", "MAIL_PASSWORD"])
        if loginKnown && user != nil && !passwordGiven && !placeholder && source.passwordVariable == nil {
            check.add(.problem, "MAIL_USERNAME is set but MAIL_PASSWORD is empty: Flask-Mail then skips the login entirely (it logs in only when both are set), so the server will likely refuse with 530.", key: "MAIL_USERNAME")
        }
        if loginKnown && user == nil && passwordGiven {
            check.add(.warning, "MAIL_PASSWORD is set but MAIL_USERNAME is empty: Flask-Mail skips the login.", key: "MAIL_PASSWORD")
        }
        if v["MAIL_SUPPRESS_SEND"]?.truthy == true {
            check.add(.problem, "MAIL_SUPPRESS_SEND is on: the app sends nothing at all (testing mode). Turn it off to send.", key: "MAIL_SUPPRESS_SEND")
        }
        if securityKnown && !unknown.contains("MAIL_SERVER") && s.security == .none && user != nil && !s.hostIsLoopback {
            check.add(.problem, "No TLS (MAIL_USE_TLS and MAIL_USE_SSL are off) but a login is set: the password would cross the network in the clear.", key: "MAIL_USERNAME")
        }
        // None is no sender, as Flask-Mail treats it.
        let sender: FlaskValue? = { if case .none? = v["MAIL_DEFAULT_SENDER"] { return nil }; return v["MAIL_DEFAULT_SENDER"] }()
        if !unknown.contains("MAIL_DEFAULT_SENDER") { check.sender(sender, user: unknown.contains("MAIL_USERNAME") ? nil : user, host: s.host) }
        check.timeout(&s)
        check.mailmanKeys()
        check.add(.note, "Flask-Mail never verifies the server's certificate; mailtui does. If mailtui reports a certificate problem, the app would still connect, and that is insecure.")
        if let max = v["MAIL_MAX_EMAILS"]?.text { check.add(.note, "MAIL_MAX_EMAILS = \(max): the app reconnects after that many messages.", key: "MAIL_MAX_EMAILS") }
        if v["MAIL_ASCII_ATTACHMENTS"]?.truthy == true { check.add(.note, "MAIL_ASCII_ATTACHMENTS is on: the app turns attachment names into ASCII.", key: "MAIL_ASCII_ATTACHMENTS") }
        if let debug = v["MAIL_DEBUG"], debug.truthy, !debug.looksFalseButIsTrue, (debug.text.flatMap { Int($0.trimmingSpaces) } ?? 1) != 0 {
            check.add(.warning, "MAIL_DEBUG is on: the app prints the SMTP conversation, including the AUTH line with the password in base64.", key: "MAIL_DEBUG")
        }

        var given = Set(v.keys)
        if source.passwordVariable != nil { given.insert("MAIL_PASSWORD") }
        self.settings = s
        self.givenKeys = given
        self.passwordSource = passwordSource
        self.password = password
        self.sender = sender?.text
        self.findings = check.findings
        self.unknownKeys = unknown
        self.bothTLSModes = both
        var meant = s
        var changes: [String] = []
        let meansTLS = useTLS.truthy && !useTLS.looksFalseButIsTrue, meansSSL = useSSL.truthy && !useSSL.looksFalseButIsTrue
        for (key, value) in [("MAIL_USE_TLS", useTLS), ("MAIL_USE_SSL", useSSL)] where value.looksFalseButIsTrue {
            changes.append("\(key) is \"\(value.text ?? "")\", a non-empty string the app reads as on; written as off, as meant.")
        }
        if meansTLS && meansSSL {
            // Submission and relay ports mean STARTTLS; any other (465 above all) the implicit TLS the app opens.
            let starttls = port == 587 || port == 25
            meant.security = starttls ? .starttls : .tls
            changes.append("MAIL_USE_TLS and MAIL_USE_SSL are both on, with which the app cannot send; written with \(starttls ? "MAIL_USE_TLS" : "MAIL_USE_SSL") only, for port \(port).")
        } else {
            meant.security = meansSSL ? .tls : meansTLS ? .starttls : .none
        }
        self.intended = meant
        self.intendedChanges = securityKnown ? changes : []
    }

    /// Flask-Mail's MAIL_SERVER when none is given.
    public static let defaultServer = "127.0.0.1"
}
