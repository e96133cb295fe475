/// What one session should do.
public struct SessionRequest: Sendable {
    public enum Purpose: Sendable {
        /// Deliver a message.
        case send(envelopeFrom: String, recipients: [String], message: MessageStream)
        /// Connect, greet, EHLO, STARTTLS, AUTH when credentials are set, NOOP, QUIT: no mail.
        case probe
    }

    public var settings: ServerSettings
    /// The password or bearer token; nil sends no credentials.
    public var secret: Secret?
    public var purpose: Purpose
    /// Deliver to the recipients the server accepts even when it refuses some.
    public var allowPartial: Bool
    /// Stop cleanly after this stage and deliver nothing (like swaks's --quit-after).
    public var quitAfter: SMTPStage?
    /// Delivery status notifications to ask for; the send stops when the server offers no DSN.
    public var notifications: DeliveryNotifications?
    /// A load run: many messages over this connection (the purpose's message is the first).
    public var load: LoadPlan?
    /// The message's header holds an address in UTF-8: SMTPUTF8 is needed even when the envelope
    /// is all ASCII (a UTF-8 Reply-To).
    public var needsSMTPUTF8 = false
    /// Signs the message with DKIM before the session connects (on the session's thread).
    public var signer: DKIMSigner?
    /// Takes the connection once libcurl has connected, secured and logged in, instead of the
    /// purpose's message: `relay` speaks MAIL, RCPT and DATA as its client sends them.
    public var driver: (any ConversationDriver)?

    public init(settings: ServerSettings, secret: Secret?, purpose: Purpose, allowPartial: Bool = false, quitAfter: SMTPStage? = nil) {
        self.settings = settings
        self.secret = secret
        self.purpose = purpose
        self.allowPartial = allowPartial
        self.quitAfter = quitAfter
    }

    /// The stages `quitAfter` accepts.
    public static let quitAfterStages: [SMTPStage] = [.connect, .greeting, .ehlo, .tls, .auth, .mail, .rcpt]

    /// Convenience: a send of a validated message, rendered with `renderer`.
    public static func send(_ message: Message, settings: ServerSettings, secret: Secret?, allowPartial: Bool = false,
                            quitAfter: SMTPStage? = nil, renderer: MessageRenderer = MessageRenderer()) -> SessionRequest {
        var request = SessionRequest(
            settings: settings, secret: secret,
            purpose: .send(envelopeFrom: message.from.address, recipients: message.envelopeRecipients, message: renderer.render(message)),
            allowPartial: allowPartial, quitAfter: quitAfter
        )
        request.needsSMTPUTF8 = message.needsSMTPUTF8
        return request
    }

    /// The security the connection really uses: a session that stops at or before EHLO never
    /// reaches STARTTLS, so nothing but EHLO and QUIT is ever sent then.
    var transportSecurity: SecurityMode {
        settings.security == .starttls && (quitAfter.map { $0 <= .ehlo } ?? false) ? .none : settings.security
    }

    /// Whether credentials are used: a login is wanted, a secret is there, and the session goes
    /// as far as AUTH.
    var logsIn: Bool {
        settings.wantsLogin && secret != nil && (quitAfter.map { $0 >= .auth } ?? true)
    }
}
