extension SessionFailure {
    /// The failure Flask-Mail meets with MAIL_USE_TLS and MAIL_USE_SSL both on: it opens
    /// smtplib.SMTP_SSL (implicit TLS), says EHLO, then calls starttls() on the encrypted
    /// connection, which no server offers there. Public so that the compose screen can show it
    /// without connecting: the app fails whatever the server says.
    public static func flaskBothTLSModes(host: String, port: Int) -> SessionFailure {
        SessionFailure(
            stage: .tls, kind: .starttlsNotOffered,
            explanation: "the app cannot send with this config: MAIL_USE_TLS and MAIL_USE_SSL are both on, so Flask-Mail connects to \(host):\(port) with implicit TLS (smtplib.SMTP_SSL), says EHLO, and then calls starttls(), which fails with SMTPNotSupportedError (\"STARTTLS extension not supported by server\"); no mail leaves.",
            suggestions: ["fix the config: MAIL_USE_TLS=False with MAIL_USE_SSL=True on port 465, or MAIL_USE_TLS=True with MAIL_USE_SSL=False on port 587."])
    }
}
