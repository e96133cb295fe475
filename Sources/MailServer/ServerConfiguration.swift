import MailCore

/// How `mailtui serve` (and the compose screen's local server) listens, logs in, limits and fails.
public struct ServerConfiguration: Sendable {
    /// Addresses to bind; loopback unless asked otherwise.
    public var hosts: [String] = ["127.0.0.1", "::1"]
    /// Plain SMTP offering STARTTLS; 0 picks a free port.
    public var port = 2525
    /// Implicit TLS; 0 picks a free port; nil: none.
    public var tlsPort: Int? = 2465
    /// PEM certificate chain and private key; nil: no TLS at all.
    public var certificatePEM: String?
    public var keyPEM: String?
    /// Logins; empty: any login is accepted and recorded (never the password).
    public var users: [String: String] = [:]
    /// 530 5.7.0 to MAIL FROM without a login.
    public var requireAuth = false
    /// 530 5.7.0 to everything but EHLO, STARTTLS and QUIT before TLS.
    public var requireTLS = false
    /// Offer AUTH before STARTTLS too.
    public var authBeforeTLS = false
    public var maxMessageSize = 32 * 1024 * 1024
    public var maxConnections = 100
    public var idleSeconds: Int64 = 300
    public var maxRecipients = 1000
    /// The name in the greeting and in EHLO's reply.
    public var hostname = "mailtui.localhost"
    public var store: String = XDGPaths.dataDirectory + "/inbox"
    public var keep = 1000

    public init() {}

    /// Command lines longer than this get 500 5.5.2 (RFC 5321 allows 512 with CRLF).
    static let commandLineLimit = 512
    /// Message lines longer than this (RFC 5321's 1000 with CRLF) fail the message.
    static let dataLineLimit = 1000
}
