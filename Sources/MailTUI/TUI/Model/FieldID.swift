import MailCore

/// Every place the focus can be, in Tab order.
enum FieldID: Int, CaseIterable, Codable, Sendable {
    case host, port, security, user, password, auth, verify, caFile, helo, timeout, quitAfter
    case from, to, cc, bcc, replyTo, allowPartial, subject, dsn, attachments, dkim, count, body, transcript

    var label: String {
        switch self {
        case .host: "Host"
        case .port: "Port"
        case .security: "Security"
        case .user: "User"
        case .password: "Password"
        case .auth: "Auth"
        case .verify: "Verify cert"
        case .caFile: "CA file"
        case .helo: "EHLO"
        case .timeout: "Timeout"
        case .quitAfter: "Stop after"
        case .allowPartial: "Deliver if some recipients are refused"
        // The header fields say what validation calls them.
        case .from: MessageField.from.label
        case .to: MessageField.to.label
        case .cc: MessageField.cc.label
        case .bcc: MessageField.bcc.label
        case .replyTo: MessageField.replyTo.label
        case .subject: MessageField.subject.label
        case .dsn: "DSN"
        case .dkim: "DKIM"
        case .count: "Count"
        case .attachments: "Attach"
        case .body: "Body"
        case .transcript: "Conversation"
        }
    }

    /// Plain one-line text fields.
    var isText: Bool {
        switch self {
        case .security, .auth, .verify, .quitAfter, .allowPartial, .body, .transcript: false
        default: true
        }
    }

    /// The form field a send problem is about.
    init(_ subject: SendProblem.Subject) {
        switch subject {
        case .setting(let setting): self.init(setting)
        case .message(let field): self.init(field)
        case .password: self = .password
        case .dsn: self = .dsn
        case .dkim: self = .dkim
        case .count: self = .count
        }
    }

    /// The form field that holds a server setting.
    init(_ setting: SettingsError.Setting) {
        switch setting {
        case .server, .connectAddress: self = .host
        case .port: self = .port
        case .helo: self = .helo
        case .user: self = .user
        case .caFile: self = .caFile
        case .timeout: self = .timeout
        }
    }

    /// The form field a message validation issue points at.
    init(_ field: MessageField) {
        switch field {
        case .from: self = .from
        case .to: self = .to
        case .cc: self = .cc
        case .bcc: self = .bcc
        case .replyTo: self = .replyTo
        case .subject: self = .subject
        case .textBody, .htmlBody, .extraHeaders: self = .body
        case .attachments: self = .attachments
        }
    }
}

/// The three texts behind the body editor.
enum BodyTab: Int, CaseIterable, Codable, Sendable {
    case text, html, headers

    var title: String {
        switch self {
        case .text: "Text"
        case .html: "HTML"
        case .headers: "Headers"
        }
    }
}
