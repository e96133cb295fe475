/// One thing a reviewer would say of a Flask mail config, at its line.
public struct FlaskFinding: Sendable, Equatable, CustomStringConvertible {
    public enum Severity: String, Sendable, Equatable {
        /// The app will not send as meant.
        case problem
        /// Likely wrong, or risky.
        case warning
        /// Worth knowing.
        case note
    }

    public var severity: Severity
    /// The file, or nil for the environment.
    public var file: String?
    /// The line (1-based), when the finding is about one.
    public var line: Int?
    public var message: String

    /// `config.py:12: MAIL_HOST is not read ...`; a message that names its place itself ("cannot
    /// read MAIL_X at file:line") is not prefixed twice.
    public var description: String {
        if message.hasPrefix("cannot read ") { return message }
        let place = file.map { $0 + (line.map { ":\($0)" } ?? "") } ?? line.map { "line \($0)" }
        return place.map { "\($0): \(message)" } ?? message
    }
}

/// The checks of `FlaskImport` that read more than one key, collecting findings with their lines.
struct FlaskCheck {
    let source: FlaskSources.Values
    var findings: [FlaskFinding] = []

    init(_ source: FlaskSources.Values) { self.source = source }

    mutating func add(_ severity: FlaskFinding.Severity, _ message: String, key: String? = nil, line: Int? = nil) {
        let at = line ?? key.flatMap { source.lines[$0] ?? source.otherKeys[$0] }
        let file = key.flatMap { source.files[$0] } ?? source.path
        findings.append(FlaskFinding(severity: severity, file: file, line: at.flatMap { $0 > 0 ? $0 : nil }, message: message))
    }

    /// Keys Flask-Mail does not read: misnamed, Django's, misspelt, unknown.
    mutating func keyNames() {
        let given = Set(source.values.keys).union(source.unknown.keys)
        for key in source.otherKeys.keys.sorted(by: { (source.otherKeys[$0] ?? 0, $0) < (source.otherKeys[$1] ?? 0, $1) }) {
            if let meant = FlaskKeys.django[key] {
                add(.warning, "\(key) is Django's name: Flask-Mail does not read it. Use \(meant)" + alsoSet(meant, given) + ".", key: key)
            } else if let meant = FlaskKeys.misnamed[key] {
                add(.warning, "\(key) is not read by Flask-Mail: the key is \(meant)" + alsoSet(meant, given) + ".", key: key)
            } else if !key.hasPrefix("EMAIL_"), !key.hasPrefix("SMTP_"), let meant = FlaskKeys.meant(key) {
                add(.warning, "\(key) is not read by Flask-Mail: did you mean \(meant)?" + alsoSet(meant, given), key: key)
            } else if key.hasPrefix("EMAIL_") {
                add(.warning, "\(key) looks like a Django or Flask-Mailman setting under another name: Flask-Mail reads only MAIL_* keys.", key: key)
            }
        }
        for key in given.subtracting(FlaskKeys.known).sorted(by: { (source.lines[$0] ?? 0, $0) < (source.lines[$1] ?? 0, $1) }) {
            if let meant = FlaskKeys.misnamed[key] {
                add(.warning, "\(key) is not read by Flask-Mail: the key is \(meant)" + alsoSet(meant, given) + ".", key: key)
            } else if let meant = FlaskKeys.meant(key) {
                add(.warning, "\(key) is not read by Flask-Mail: did you mean \(meant)?" + alsoSet(meant, given), key: key)
            } else {
                add(.warning, "\(key) is not a key Flask-Mail or Flask-Mailman reads; it has no effect.", key: key)
            }
        }
    }

    private func alsoSet(_ meant: String, _ given: Set<String>) -> String {
        let bare = String(meant.prefix(while: { $0 != " " }))
        guard given.contains(bare) else { return " (it is not set, so the default applies)" }
        return " (\(bare) is set too" + (source.lines[bare].map { ", line \($0)" } ?? "") + ", and wins)"
    }

    /// A password with quotes or spaces around it, as written in a .env file.
    mutating func passwordAsWritten() {
        guard source.kind == .dotenv, let written = source.written["MAIL_PASSWORD"] else { return }
        let trimmed = written.trimmingSpaces
        if trimmed.count >= 2, let q = trimmed.first, q == "\"" || q == "'", trimmed.last == q {
            add(.warning, "MAIL_PASSWORD is in quotes: python-dotenv removes them, but docker --env-file, docker compose's env_file (older versions) and systemd's EnvironmentFile keep them as part of the password. Write it without quotes if it has no spaces or #.", key: "MAIL_PASSWORD")
        }
        if written != trimmed && !trimmed.isEmpty {
            add(.warning, "MAIL_PASSWORD has spaces around it (after the =): python-dotenv drops them, other loaders keep them, and the login then fails. Write MAIL_PASSWORD=value with nothing around the =.", key: "MAIL_PASSWORD")
        }
        if let value = source.values["MAIL_PASSWORD"]?.text, value != value.trimmingSpaces {
            add(.warning, "MAIL_PASSWORD begins or ends with a space inside its quotes: the app sends it with the space.", key: "MAIL_PASSWORD")
        }
    }

    /// MAIL_DEFAULT_SENDER's form, and whether its domain may differ from the login's.
    mutating func sender(_ sender: FlaskValue?, user: String?, host: String) {
        guard let sender else {
            add(.note, "MAIL_DEFAULT_SENDER is not set: every Message in the app must give sender=, or Flask-Mail refuses to send (AssertionError: The message does not specify a sender and a default sender has not been configured).")
            return
        }
        if case .pair(let name, let address) = sender {
            add(.note, "MAIL_DEFAULT_SENDER is a tuple (\"\(name)\", \"\(address)\"): Flask-Mail turns it into \"\(name) <\(address)>\"; Flask-Mailman and Django want that string, not a tuple.", key: "MAIL_DEFAULT_SENDER")
        } else if let text = sender.text?.trimmingSpaces, text.hasPrefix("("), text.hasSuffix(")") {
            add(.problem, "MAIL_DEFAULT_SENDER is the string \(text): a tuple written where only strings exist (a .env file or the environment). Write \"Name <address>\" instead.", key: "MAIL_DEFAULT_SENDER")
            return
        }
        let address: String
        switch sender {
        case .pair(_, let a): address = a
        default:
            guard let text = sender.text, let parsed = try? Mailbox.parse(text) else {
                add(.problem, "MAIL_DEFAULT_SENDER \"\(sender.text ?? "")\" is not an address.", key: "MAIL_DEFAULT_SENDER")
                return
            }
            address = parsed.address
        }
        guard let user, user.contains("@"), let provider = Provider.recognise(host: host), provider.sendsOnlyAsItsLogin else { return }
        let domain = { (a: String) in a.split(separator: "@").last.map { $0.lowercased() } ?? "" }
        if domain(address) != domain(user) {
            add(.warning, "MAIL_DEFAULT_SENDER's domain (\(domain(address))) differs from the login's (\(user)): \(provider.name) sends only as the login's own address or its verified aliases, and refuses or rewrites the rest.", key: "MAIL_DEFAULT_SENDER")
        }
    }

    /// Flask-Mail has no timeout; Flask-Mailman's MAIL_TIMEOUT becomes mailtui's.
    mutating func timeout(_ settings: inout ServerSettings) {
        guard let value = source.values["MAIL_TIMEOUT"] else {
            add(.warning, "No timeout: Flask-Mail sets none, so when the mail port is blocked (as on most clouds for port 25) each send hangs the request for about two minutes, until the system gives up on the connection. Send mail from a background job (Celery, RQ), or use Flask-Mailman with MAIL_TIMEOUT = 10.")
            return
        }
        guard let seconds = value.text.flatMap({ Double($0.trimmingSpaces) }), Timeouts.problem(perStep: seconds) == nil else {
            add(.problem, "MAIL_TIMEOUT \"\(value.text ?? "")\" is not a number of seconds (1 to 3600).", key: "MAIL_TIMEOUT")
            return
        }
        settings.timeouts = Timeouts(perStep: seconds)
        add(.note, "MAIL_TIMEOUT = \(seconds.plainText) s (Flask-Mailman): mailtui uses it for the connection and each reply.", key: "MAIL_TIMEOUT")
    }

    /// Flask-Mailman's other keys.
    mutating func mailmanKeys() {
        let v = source.values
        for key in ["MAIL_SSL_CERTFILE", "MAIL_SSL_KEYFILE"] where v[key]?.truthy == true {
            add(.note, "\(key) (Flask-Mailman) gives a client certificate; mailtui does not present one, so a server that demands it will refuse mailtui but not the app.", key: key)
        }
        if let backend = v["MAIL_BACKEND"]?.text?.lowercased(), !backend.isEmpty, backend != "smtp", !backend.hasSuffix("smtp.emailbackend") {
            add(.problem, "MAIL_BACKEND is \"\(backend)\" (Flask-Mailman): the app does not send over SMTP at all. Use \"smtp\" to send.", key: "MAIL_BACKEND")
        }
    }
}
