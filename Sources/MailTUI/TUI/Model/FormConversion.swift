import MailCore

extension AppState {
    /// The server settings the form describes (the password is separate).
    var settings: ServerSettings {
        var s = ServerSettings()
        s.host = text(.host).trimmingSpaces
        s.port = Int(text(.port))
        s.security = security
        s.verifyCertificate = verifyCertificate
        s.caFile = text(.caFile).isEmpty ? nil : text(.caFile)
        s.heloName = text(.helo).isEmpty ? nil : text(.helo)
        s.username = text(.user).isEmpty ? nil : text(.user)
        s.authMechanism = authMechanism
        if usesOAuthAccount, !oauth.name.isEmpty { s.oauthAccount = oauth.name }
        // Out-of-range numbers are kept, so that the check before a send marks the field.
        if let seconds = Double(text(.timeout)) { s.timeouts = Timeouts(perStep: seconds) }
        return s
    }

    /// The message the form describes.
    var draft: MessageDraft {
        var draft = MessageDraft(
            from: text(.from), to: text(.to), cc: text(.cc), bcc: text(.bcc), replyTo: text(.replyTo), subject: text(.subject),
            textBody: bodies[.text]?.text ?? "", htmlBody: bodies[.html]?.text ?? "",
            attachments: attachments.map(\.spec),
            extraHeaders: (bodies[.headers]?.text ?? "").split(separator: "\n").map(String.init).filter { !$0.trimmingSpaces.isEmpty }
        )
        draft.deliveryNotifications = text(.dsn).trimmingSpaces.isEmpty ? nil : text(.dsn)
        draft.dkim = text(.dkim).trimmingSpaces.isEmpty ? nil : text(.dkim)
        return draft
    }

    /// Fills the form from settings and a draft (a restored draft, or command-line options).
    mutating func apply(settings s: ServerSettings) {
        // Other settings (a profile, the local server, a past send) are no longer the imported config.
        appWillFail = nil
        fields[.host] = TextField(s.host)
        security = s.security
        portEdited = s.port != nil && s.port != s.security.defaultPort
        fields[.port] = TextField(String(s.effectivePort))
        verifyCertificate = s.verifyCertificate
        fields[.caFile] = TextField(s.caFile ?? "")
        fields[.helo] = TextField(s.heloName ?? "")
        fields[.user] = TextField(s.username ?? "")
        authMechanism = s.authMechanism
        if oauth.name != (s.oauthAccount ?? "") { oauth = OAuthState(account: TextField(s.oauthAccount ?? "")) }
        fields[.timeout] = TextField(s.timeouts.response == Timeouts().response ? "" : s.timeouts.perStepText)
        // A draft or profile may hold limits that cannot be used: shown as they are, and marked.
        if let problem = s.timeouts.problem { fieldErrors[.timeout] = problem } else { fieldErrors[.timeout] = nil }
    }

    mutating func apply(draft d: MessageDraft, inspected: [AttachmentItem]? = nil) {
        fields[.from] = TextField(d.from)
        fields[.to] = TextField(d.to)
        fields[.cc] = TextField(d.cc)
        fields[.bcc] = TextField(d.bcc)
        fields[.replyTo] = TextField(d.replyTo)
        fields[.subject] = TextField(d.subject)
        fields[.dsn] = TextField(d.deliveryNotifications ?? "")
        fields[.dkim] = TextField(d.dkim ?? "")
        bodies[.text] = TextArea(d.textBody)
        bodies[.html] = TextArea(d.htmlBody)
        bodies[.headers] = TextArea(d.extraHeaders.joined(separator: "\n"))
        attachments = inspected ?? d.attachments.map { AttachmentItem(spec: $0, size: nil, mimeType: $0.mimeType ?? MIMETypes.type(forFileName: $0.path), problem: nil) }
    }
}
