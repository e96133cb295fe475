/// Everything needed to reach and log in to an SMTP server, except the password itself.
public struct ServerSettings: Sendable, Codable, Equatable {
    public var host: String
    /// nil means "the usual port for the security mode".
    public var port: Int?
    public var security: SecurityMode
    /// Verify the server's certificate chain and host name. Only an explicit `--insecure` turns it off.
    public var verifyCertificate: Bool
    /// A PEM file of CA certificates to trust instead of the system's.
    public var caFile: String?
    /// The name sent with EHLO; nil lets mailtui pick this machine's name.
    public var heloName: String?
    public var username: String?
    public var authMechanism: AuthMechanism
    public var timeouts: Timeouts
    /// Connect to this address instead of the host name's (as curl's `--resolve`): the host name
    /// is still the one the certificate must cover. nil: look the name up.
    public var connectAddress: String?
    /// The signed-in OAuth account (`--oauth NAME`) whose access token is the secret: the login is
    /// a bearer token, and a refused login is diagnosed as a refused token. Never the token itself.
    public var oauthAccount: String?

    public init(
        host: String = "",
        port: Int? = nil,
        security: SecurityMode = .starttls,
        verifyCertificate: Bool = true,
        caFile: String? = nil,
        heloName: String? = nil,
        username: String? = nil,
        authMechanism: AuthMechanism = .auto,
        timeouts: Timeouts = Timeouts()
    ) {
        self.host = host
        self.port = port
        self.security = security
        self.verifyCertificate = verifyCertificate
        self.caFile = caFile
        self.heloName = heloName
        self.username = username
        self.authMechanism = authMechanism
        self.timeouts = timeouts
    }

    /// The port actually used.
    public var effectivePort: Int { port ?? security.defaultPort }

    /// Whether a login will be attempted.
    public var wantsLogin: Bool { !(username ?? "").isEmpty }
}

/// Time limits, in seconds. libcurl's own defaults (300 s to connect) are far too long for a tester.
public struct Timeouts: Sendable, Codable, Equatable {
    /// The TCP connect and each TLS handshake (implicit TLS, or after STARTTLS).
    public var connect: Double
    /// How long to wait for each server reply, at every stage from the greeting to QUIT.
    public var response: Double
    /// The whole session, upload included.
    public var total: Double

    public init(connect: Double = 15, response: Double = 30, total: Double = 600) {
        self.connect = connect
        self.response = response
        self.total = total
    }

    /// One limit for every step, as `--timeout` gives it; the total stays generous for large uploads.
    public init(perStep seconds: Double) {
        self.init(connect: seconds, response: seconds, total: max(600, seconds * 4))
    }

    /// What one step's limit may be: below a second no real server answers, and past an hour
    /// nobody is waiting any more.
    public static let perStepRange: ClosedRange<Double> = 1...3600
    /// What the whole session's limit may be.
    public static let totalRange: ClosedRange<Double> = 1...(4 * 3600)

    /// Why `seconds` cannot be one step's limit, or nil when it can.
    public static func problem(perStep seconds: Double) -> String? {
        seconds.isFinite && perStepRange.contains(seconds) ? nil : "\(seconds.plainText) is not a usable timeout: give 1 to 3600 seconds"
    }

    /// Why these limits cannot be used, or nil.
    public var problem: String? {
        Self.problem(perStep: connect) ?? Self.problem(perStep: response)
            ?? (total.isFinite && Self.totalRange.contains(total) ? nil : "a total of \(total.plainText) s is not usable: give 1 to 14400 seconds")
    }

    /// The per-step limit as a person typed it: `30`, `12.5`.
    public var perStepText: String { response.plainText }
}

/// The secret used to log in: a password, or an OAuth 2.0 bearer token for XOAUTH2.
///
/// Its description never shows the value, so it cannot leak through string interpolation or a log.
///
/// Making one marks the process not dumpable: a crash then leaves no core file holding it.
public struct Secret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    public let value: String
    /// An OAuth 2.0 access token (from `--oauth`): libcurl sends it as a bearer token, and
    /// `--auth auto` picks OAUTHBEARER or XOAUTH2 by what EHLO offers.
    public private(set) var isBearerToken = false
    public init(_ value: String) {
        self.value = value
        CoreDumps.forbid()
    }
    /// An OAuth 2.0 access token (a factory, so that `Secret.init` stays one function).
    public static func bearerToken(_ token: String) -> Secret {
        var secret = Secret(token)
        secret.isBearerToken = true
        return secret
    }
    public var description: String { "<secret>" }
    public var debugDescription: String { "<secret>" }
}

extension ServerSettings {
    /// Whether the host is this machine: `localhost`, 127.0.0.0/8 or ::1.
    public var hostIsLoopback: Bool {
        let h = host.lowercased().trimmingEnds(of: "[]")
        if h == "localhost" || h.hasSuffix(".localhost") || h == "::1" || h == "0:0:0:0:0:0:0:1" { return true }
        let octets = h.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }

    /// Whether a password would cross a network unencrypted: no TLS, and a host that is not this
    /// machine. `--auth auto` then never picks PLAIN or LOGIN (as msmtp does).
    public var loginWouldBeInTheClear: Bool {
        security == .none && !hostIsLoopback && wantsLogin
    }

    /// A warning when the user chose PLAIN or LOGIN where the password goes in the clear.
    public var clearTextLoginWarning: String? {
        guard loginWouldBeInTheClear, [.plain, .login].contains(authMechanism) else { return nil }
        return "--auth \(authMechanism.rawValue) without TLS to \(host): the password crosses the network in the clear (readable by anyone on the path). Use --security starttls (MAIL_USE_TLS=True) or tls."
    }
}
