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
    public var warnings: [String]
    /// Facts worth knowing that are not problems.
    public var notes: [String]

    /// The placeholder `export --format dotenv` writes instead of a password.
    public static let passwordPlaceholder = "CHANGE-ME"

    public init(_ source: FlaskSources.Values) {
        let v = source.values
        var warnings = source.unreadable
        var notes: [String] = []
        var s = ServerSettings()
        s.host = v["MAIL_SERVER"]?.text ?? "localhost"

        let useTLS = v["MAIL_USE_TLS"] ?? .bool(false)
        let useSSL = v["MAIL_USE_SSL"] ?? .bool(false)
        for (key, value) in [("MAIL_USE_TLS", useTLS), ("MAIL_USE_SSL", useSSL), ("MAIL_SUPPRESS_SEND", v["MAIL_SUPPRESS_SEND"] ?? .bool(false))]
            where value.looksFalseButIsTrue {
            warnings.append("\(key) is the string \"\(value.text ?? "")\", which Python treats as true: the app turns \(key == "MAIL_USE_TLS" ? "STARTTLS" : key == "MAIL_USE_SSL" ? "implicit TLS" : "send suppression") ON. Leave it empty (or unset) for off.")
        }
        if useTLS.truthy && useSSL.truthy {
            warnings.append("MAIL_USE_TLS and MAIL_USE_SSL are both on: the app connects with implicit TLS and then also tries STARTTLS, which servers refuse. Turn one off (mailtui uses implicit TLS here).")
        }
        s.security = useSSL.truthy ? .tls : useTLS.truthy ? .starttls : .none

        // Flask-Mail's default port is 25 whatever the security; it never switches to 465 or 587.
        var port = 25
        if let value = v["MAIL_PORT"] {
            if case .int(let n) = value { port = n } else if let text = value.text, let n = Int(text.trimmingSpaces) { port = n } else {
                warnings.append("MAIL_PORT \"\(value.text ?? "")\" is not a number; using 25 as Flask-Mail would fail")
            }
        }
        s.port = port
        if useSSL.truthy && port == 25 {
            warnings.append("MAIL_USE_SSL is on with port 25: Flask-Mail does not switch to 465, so the app tries TLS on 25 and fails. Set MAIL_PORT=465.")
        } else if useSSL.truthy && port == 587 {
            warnings.append("MAIL_USE_SSL is on with port 587, which usually expects STARTTLS: use MAIL_USE_TLS=True, MAIL_USE_SSL=False, or port 465.")
        } else if useTLS.truthy && !useSSL.truthy && port == 465 {
            warnings.append("MAIL_USE_TLS (STARTTLS) is on with port 465, which usually expects implicit TLS: use MAIL_USE_SSL=True, MAIL_USE_TLS=False.")
        }

        let user = v["MAIL_USERNAME"]?.text.flatMap { $0.isEmpty ? nil : $0 }
        s.username = user
        var password: Secret?
        var passwordSource: PasswordSource?
        if let variable = source.passwordVariable {
            passwordSource = .environment(variable)
        } else if let text = v["MAIL_PASSWORD"]?.text, !text.isEmpty {
            if text == Self.passwordPlaceholder {
                warnings.append("MAIL_PASSWORD is still the placeholder \(Self.passwordPlaceholder): set the real password in the environment.")
            } else {
                password = Secret(text)
            }
        }
        if user != nil && passwordSource == nil && password == nil {
            warnings.append("MAIL_USERNAME is set but MAIL_PASSWORD is empty: Flask-Mail then skips the login entirely (it logs in only when both are set), so the server will likely refuse with 530.")
        }
        if user == nil && (passwordSource != nil || password != nil) {
            warnings.append("MAIL_PASSWORD is set but MAIL_USERNAME is empty: Flask-Mail skips the login.")
        }
        if v["MAIL_SUPPRESS_SEND"]?.truthy == true {
            warnings.append("MAIL_SUPPRESS_SEND is on: the app sends nothing at all (testing mode). Turn it off to send.")
        }
        if s.security == .none && user != nil {
            warnings.append("No TLS (MAIL_USE_TLS and MAIL_USE_SSL are off) but a login is set: the password would cross the network in the clear.")
        }
        notes.append("Flask-Mail never verifies the server's certificate; mailtui does. If mailtui reports a certificate problem, the app would still connect, and that is insecure.")
        if let max = v["MAIL_MAX_EMAILS"]?.text { notes.append("MAIL_MAX_EMAILS = \(max): the app reconnects after that many messages.") }
        if v["MAIL_ASCII_ATTACHMENTS"]?.truthy == true { notes.append("MAIL_ASCII_ATTACHMENTS is on: the app turns attachment names into ASCII.") }
        if v["MAIL_DEBUG"]?.truthy == true { notes.append("MAIL_DEBUG is on: the app prints the SMTP conversation, including the AUTH line with the password in base64.") }

        var given = Set(v.keys)
        if source.passwordVariable != nil { given.insert("MAIL_PASSWORD") }
        self.settings = s
        self.givenKeys = given
        self.passwordSource = passwordSource
        self.password = password
        self.sender = v["MAIL_DEFAULT_SENDER"]?.text
        self.warnings = warnings
        self.notes = notes
    }
}
