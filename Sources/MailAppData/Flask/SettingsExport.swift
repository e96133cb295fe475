/// The settings written for other tools. Never a real password: each format reads it from the
/// environment, asks for it, or shows a placeholder.
public enum SettingsExport {
    public enum Format: String, Sendable, CaseIterable {
        case flask, dotenv, swaks, curl, msmtp
    }

    public static func render(_ format: Format, settings s: ServerSettings, sender: String?, passwordSource: PasswordSource?,
                              profileName: String = "mailtui") -> String {
        let port = s.effectivePort
        let senderMailbox = sender.flatMap { try? Mailbox.parse($0) }
        switch format {
        case .flask:
            var out = "# Flask-Mail settings (exported by mailtui). The password comes from the environment.\nimport os\n\n"
            out += "MAIL_SERVER = \(py(s.host))\nMAIL_PORT = \(port)\n"
            out += "MAIL_USE_TLS = \(s.security == .starttls ? "True" : "False")\nMAIL_USE_SSL = \(s.security == .tls ? "True" : "False")\n"
            if let user = s.username {
                out += "MAIL_USERNAME = \(py(user))\n"
                out += "MAIL_PASSWORD = os.environ.get(\(py(passwordVariable(passwordSource))))\n"
            }
            if let m = senderMailbox {
                out += "MAIL_DEFAULT_SENDER = " + (m.displayName.map { "(\(py($0)), \(py(m.address)))" } ?? py(m.address)) + "\n"
            }
            if !s.verifyCertificate { out += "# mailtui had certificate checks off; Flask-Mail never checks them.\n" }
            return out
        case .dotenv:
            var out = "# Flask-Mail settings (exported by mailtui). Put the real password in the environment,\n"
            out += "# not in this file. Booleans: 1 for on, empty for off (\"False\" would count as on in Python).\n"
            out += "MAIL_SERVER=\(s.host)\nMAIL_PORT=\(port)\n"
            out += "MAIL_USE_TLS=\(s.security == .starttls ? "1" : "")\nMAIL_USE_SSL=\(s.security == .tls ? "1" : "")\n"
            if let user = s.username { out += "MAIL_USERNAME=\(dotenvValue(user))\nMAIL_PASSWORD=\(FlaskImport.passwordPlaceholder)\n" }
            if let sender { out += "MAIL_DEFAULT_SENDER=\(dotenvValue(sender))\n" }
            return out
        case .swaks:
            var words = ["swaks", "--server", "\(s.host):\(port)"]
            if s.security == .starttls { words.append("--tls") }
            if s.security == .tls { words.append("--tls-on-connect") }
            if s.security != .none && s.verifyCertificate { words.append("--tls-verify") }
            if let ca = s.caFile { words += ["--tls-ca-path", ca] }
            if let helo = s.heloName { words += ["--ehlo", helo] }
            if let user = s.username {
                words += ["--auth", swaksAuth(s.authMechanism), "--auth-user", user]
            }
            if let m = senderMailbox { words += ["--from", m.address] }
            words += ["--to", "RECIPIENT@example.com"]
            let comment = s.username == nil ? "" : "# swaks asks for the password (never put it on a command line)\n"
            return comment + words.map(shellQuote).joined(separator: " ") + "\n"
        case .curl:
            var words = ["curl", "--url", "\(s.security == .tls ? "smtps" : "smtp")://\(s.host):\(port)" + (s.heloName.map { "/\($0)" } ?? "")]
            if s.security == .starttls { words.append("--ssl-reqd") }
            if !s.verifyCertificate { words.append("--insecure") }
            if let ca = s.caFile { words += ["--cacert", ca] }
            if let user = s.username { words += ["--user", user] }
            if let m = senderMailbox { words += ["--mail-from", m.address] }
            words += ["--mail-rcpt", "RECIPIENT@example.com", "--upload-file", "message.eml"]
            let comment = s.username == nil ? "" : "# curl asks for the password when --user has none\n"
            return comment + words.map(shellQuote).joined(separator: " ") + "\n"
        case .msmtp:
            var out = "# msmtp account (exported by mailtui)\naccount \(profileName)\nhost \(s.host)\nport \(port)\n"
            switch s.security {
            case .none: out += "tls off\n"
            case .starttls: out += "tls on\ntls_starttls on\n"
            case .tls: out += "tls on\ntls_starttls off\n"
            }
            if s.security != .none {
                if !s.verifyCertificate { out += "tls_certcheck off\n" } else { out += "tls_trust_file \(s.caFile ?? "system")\n" }
            }
            if let user = s.username {
                out += "auth \(s.authMechanism == .auto ? "on" : s.authMechanism.rawValue)\nuser \(user)\n"
                switch passwordSource {
                case .command(let command)?: out += "passwordeval \(command)\n"
                default: out += "passwordeval \"printenv \(passwordVariable(passwordSource))\"\n"
                }
            }
            if let m = senderMailbox { out += "from \(m.address)\n" }
            return out
        }
    }

    static func passwordVariable(_ source: PasswordSource?) -> String {
        if case .environment(let name)? = source { return name }
        return "MAIL_PASSWORD"
    }

    static func swaksAuth(_ mechanism: AuthMechanism) -> String {
        switch mechanism {
        case .auto: "PLAIN"
        case .plain: "PLAIN"
        case .login: "LOGIN"
        case .cramMD5: "CRAM-MD5"
        case .xoauth2: "XOAUTH2"
        case .oauthbearer: "OAUTHBEARER"
        }
    }

    static func py(_ s: String) -> String {
        "'" + s.replacing("\\", with: "\\\\").replacing("'", with: "\\'") + "'"
    }

    static func dotenvValue(_ s: String) -> String {
        s.contains(where: { $0 == " " || $0 == "#" || $0 == "'" || $0 == "\"" || $0 == "<" }) ? "\"" + s.replacing("\"", with: "\\\"") + "\"" : s
    }

    public static func shellQuote(_ word: String) -> String {
        word.allSatisfy({ $0.isLetter || $0.isNumber || "-_./:@=+,".contains($0) }) ? word : "'" + word.replacing("'", with: "'\\''") + "'"
    }
}
