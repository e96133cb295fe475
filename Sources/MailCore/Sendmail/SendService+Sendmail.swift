extension SendService {
    /// The session for a message `mailtui sendmail` read: its bytes go as they are (they were
    /// prepared by `SendmailMessage`), to its envelope; the settings and the login are checked
    /// and chosen as for `send`.
    public static func request(_ message: OutgoingRawMessage, settings: ServerSettings, secret: Secret?, allowPartial: Bool = false) -> SessionRequest {
        SessionRequest(settings: settings, secret: logsIn(settings, quitAfter: nil) ? secret : nil,
                       purpose: .send(envelopeFrom: message.envelopeFrom, recipients: message.recipients, message: .bytes(message.bytes)),
                       allowPartial: allowPartial)
    }
}
