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
    /// OAuth 2.0 test tokens by user (`--oauth-token NAME:TOKEN`): when any is set, XOAUTH2 and
    /// OAUTHBEARER take only these, as a provider takes only a valid token.
    public var oauthTokens: [String: String] = [:]
    /// 530 5.7.0 to MAIL FROM without a login.
    public var requireAuth = false
    /// 530 5.7.0 to everything but EHLO, STARTTLS and QUIT before TLS.
    public var requireTLS = false
    /// Offer AUTH before STARTTLS too.
    public var authBeforeTLS = false
    public var maxMessageSize = 32 * 1024 * 1024
    public var maxConnections = 100
    /// Connections at once from one client address: one host cannot take every place.
    public var maxConnectionsPerAddress = 20
    /// Seconds without any input before 421.
    public var idleSeconds: Int64 = 300
    /// Seconds for a whole line (a command, an AUTH response, a line of a message) once its first
    /// octet came, and for the replies to be read: a client sending a byte at a time (slowloris)
    /// or never reading cannot hold a connection, as the idle time alone would let it.
    public var commandSeconds: Double = 60
    /// Seconds a session may last in all, whatever it does.
    public var sessionSeconds: Double = 30 * 60
    public var maxRecipients = 1000
    /// The name in the greeting and in EHLO's reply.
    public var hostname = "mailtui.localhost"
    public var store: String = XDGPaths.dataDirectory + "/inbox"
    public var keep = 1000
    /// `--seed`: the seed of the faults' chances (`~30%`), so that a run can be repeated; nil
    /// draws one.
    public var faultSeed: UInt64?
    /// Asked at each stage of a transaction after the session's own checks and its faults (a
    /// relay answers with what the upstream server said); nil for `serve`, which answers alone.
    public var gate: (any TransactionGate)?

    public init() {}

    /// Command lines longer than this get 500 5.5.2 (RFC 5321 allows 512 with CRLF).
    static let commandLineLimit = 512
    /// An AUTH command with its initial response, and each line of an AUTH exchange: RFC 4954
    /// allows 12,288 octets (XOAUTH2 tokens are over 1 KB).
    static let authLineLimit = 12_288
    /// Replies handed to the connection but not yet to the socket: past this much, reading and
    /// answering wait until the client reads.
    static let outputPause = 64 * 1024
    /// Unsent replies past this close the connection with 421 (a backstop: answering stops at
    /// `outputPause`).
    static let outputLimit = 1024 * 1024
    /// Input waiting while the session cannot take it (a delay fault, unread replies, a message
    /// being stored): past this, 421. Reading stops meanwhile, so only a reader that ignores it
    /// gets there.
    static let inputLimit = 1024 * 1024
    /// Message lines longer than this (RFC 5321's 1000 with CRLF) fail the message.
    static let dataLineLimit = 1000
}
