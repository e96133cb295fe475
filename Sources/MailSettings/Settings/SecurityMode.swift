/// How the connection to the server is protected.
public enum SecurityMode: String, Sendable, Codable, CaseIterable, Equatable {
    /// Plain SMTP; STARTTLS is never attempted.
    case none
    /// Plain connect, then STARTTLS, which is required: no fallback to plain text.
    case starttls
    /// TLS from the first byte ("implicit TLS", SMTPS).
    case tls

    /// The port that usually goes with this mode.
    public var defaultPort: Int {
        switch self {
        case .none: 25
        case .starttls: 587
        case .tls: 465
        }
    }

    /// The name shown in the UI.
    public var displayName: String {
        switch self {
        case .none: "none"
        case .starttls: "STARTTLS"
        case .tls: "TLS"
        }
    }
}

/// The SASL mechanism used to log in.
public enum AuthMechanism: String, Sendable, Codable, CaseIterable, Equatable {
    /// The strongest the server offers that libcurl supports.
    case auto
    case plain
    case login
    case cramMD5 = "cram-md5"
    /// OAuth 2.0 bearer token; the "password" is the token.
    case xoauth2
    /// RFC 7628's OAuth 2.0 bearer mechanism; the "password" is the token.
    case oauthbearer

    /// Whether the secret is a bearer token rather than a password.
    public var takesBearerToken: Bool { self == .xoauth2 || self == .oauthbearer }

    /// The value for libcurl's `AUTH=` login option, or nil to let curl choose.
    package var curlLoginOption: String? {
        switch self {
        case .auto: nil
        case .plain: "PLAIN"
        case .login: "LOGIN"
        case .cramMD5: "CRAM-MD5"
        case .xoauth2: "XOAUTH2"
        case .oauthbearer: "OAUTHBEARER"
        }
    }
}
