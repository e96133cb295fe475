import MailCore

/// The one real server `relay` sends to, and as whom: mailtui's own login (a user and a secret)
/// or the app's own (pass-through), replayed upstream with the same mechanism and credentials.
public struct RelayUpstream: Sendable {
    public var settings: ServerSettings
    /// mailtui's own login; nil: pass-through.
    public var secret: Secret?

    /// `settings.username` with `secret` is mailtui's own login; no user is pass-through.
    public init(settings: ServerSettings, secret: Secret?) {
        self.settings = settings
        self.secret = settings.wantsLogin ? secret : nil
    }

    /// The app's logins are replayed upstream (no user of mailtui's own).
    public var passThrough: Bool { secret == nil }

    /// `host:port`, as events and records name it.
    public var server: String {
        let host = settings.host.contains(":") && !settings.host.hasPrefix("[") ? "[\(settings.host)]" : settings.host
        return "\(host):\(settings.effectivePort)"
    }

    /// The one line a first start says, since relayed mail really goes out: where, and as whom.
    public var banner: String {
        let security = switch settings.security {
        case .none: "no TLS"
        case .starttls: "STARTTLS"
        case .tls: "implicit TLS"
        }
        let whom = passThrough ? "as whoever the app logs in as (its AUTH is replayed there)"
            : "as \(settings.username ?? "") (mailtui's own login; the app may log in with any name)"
        return "Relaying for real to \(server) (\(security)) \(whom)."
    }

    /// The session for one upstream connection: pass-through logs in with the app's credentials
    /// and mechanism, mailtui's own login with its user and secret. The total limit is only a
    /// backstop, as long as an app's session may last: each reply has its own limit.
    func request(login: ClientLogin?, sessionSeconds: Double, driver: any ConversationDriver) -> SessionRequest {
        var s = settings
        var secret = self.secret
        if passThrough {
            s.username = login?.user
            secret = login.map { Secret($0.secret) }
            s.authMechanism = switch login?.mechanism.uppercased() {
            case "PLAIN": .plain
            case "LOGIN": .login
            case "XOAUTH2": .xoauth2
            default: .auto
            }
        }
        s.timeouts.total = max(s.timeouts.total, sessionSeconds + 60)
        var request = SessionRequest(settings: s, secret: s.wantsLogin ? secret : nil, purpose: .probe, allowPartial: true)
        request.driver = driver
        return request
    }
}
