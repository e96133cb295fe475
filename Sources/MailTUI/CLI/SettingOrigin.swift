import MailCore

/// Where an imported setting came from: the file and line of its key, or Flask-Mail's default.
struct SettingOrigin {
    /// The settings whose origin the compose screen shows.
    enum Setting: String, CaseIterable {
        case host, port, security, user, password, sender, timeout

        /// The Flask-Mail keys that set it.
        var keys: [String] {
            switch self {
            case .host: ["MAIL_SERVER"]
            case .port: ["MAIL_PORT"]
            case .security: ["MAIL_USE_TLS", "MAIL_USE_SSL"]
            case .user: ["MAIL_USERNAME"]
            case .password: ["MAIL_PASSWORD"]
            case .sender: ["MAIL_DEFAULT_SENDER"]
            case .timeout: ["MAIL_TIMEOUT"]
            }
        }

        /// The form's name for it.
        var label: String {
            switch self {
            case .host: FieldID.host.label
            case .port: FieldID.port.label
            case .security: FieldID.security.label
            case .user: FieldID.user.label
            case .password: FieldID.password.label
            case .sender: FieldID.from.label
            case .timeout: FieldID.timeout.label
            }
        }
    }

    let source: FlaskSources.Values

    init(source: FlaskSources.Values) { self.source = source }

    /// `.env:3`, `MAIL_SERVER in the environment`, or `Flask-Mail's default`.
    func of(_ setting: Setting) -> String {
        let given = setting.keys.filter { source.values[$0] != nil || source.unknown[$0] != nil || ($0 == "MAIL_PASSWORD" && source.passwordVariable != nil) }
        guard let key = given.first else {
            return setting == .timeout ? "none in Flask-Mail (mailtui's default)" : "Flask-Mail's default"
        }
        if key == "MAIL_PASSWORD", let variable = source.passwordVariable {
            return "$\(variable)" + (source.file(of: key).map { " (named in \($0)" + (source.lines[key].map { ":\($0)" } ?? "") + ")" } ?? "")
        }
        guard let path = source.file(of: key) else { return "\(key) in the environment" }
        return path + (source.lines[key].map { ":\($0)" } ?? "")
    }
}
