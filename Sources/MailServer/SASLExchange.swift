import Crypto
import MailCore

/// The server's side of one SMTP AUTH exchange (RFC 4954): PLAIN, LOGIN, CRAM-MD5, XOAUTH2 and
/// OAUTHBEARER (RFC 7628),
/// from the AUTH command to the verdict against the configured users. A value with no I/O, so
/// each mechanism's steps are tested without a socket; the session handler only sends what it says
/// and keeps the credentials out of its transcript.
struct SASLExchange: Sendable, Equatable {
    /// The mechanisms offered in EHLO, in that order.
    static let offered = "PLAIN LOGIN CRAM-MD5 XOAUTH2 OAUTHBEARER"
    /// The mechanisms offered when a gate decides logins: those that hand over a secret it can
    /// replay (CRAM-MD5 proves one without showing it).
    static let handedOver = "PLAIN LOGIN XOAUTH2"

    /// What the server says next.
    enum Step: Sendable, Equatable {
        /// 334 with this (base64) text; the client's next line goes to `respond`.
        case challenge(String)
        /// The login is good: this user (not yet cut to length).
        case accepted(user: String)
        /// 535: unknown user, wrong secret, or a malformed answer.
        case refused
        /// 501: the client sent `*`.
        case cancelled
        /// A finished exchange for a gate that decides logins: what the client proved, whatever
        /// the users say, and the verdict the users would give. The secret goes to the gate only.
        case proved(mechanism: String, user: String, secret: String, usersAccept: Bool)
    }

    /// The line the exchange waits for.
    enum Waiting: Sendable, Equatable {
        case plain
        case loginUser
        case loginPassword(user: String)
        case cramMD5(challenge: String)
        case xoauth2
        case oauthBearer
    }

    /// User name to secret; empty means any login is taken.
    let users: [String: String]
    /// Bearer tokens by user; when any is set, the token mechanisms take only these (not the
    /// passwords), as a provider takes only a token it issued.
    let tokens: [String: String]
    /// Whether the exchange ends in `.proved` (a gate decides) rather than in a verdict.
    let handsOver: Bool
    private(set) var waiting: Waiting

    private init(users: [String: String], tokens: [String: String] = [:], handsOver: Bool, waiting: Waiting) {
        self.users = users
        self.tokens = tokens
        self.handsOver = handsOver
        self.waiting = waiting
    }

    /// Starts an exchange for `AUTH mechanism [initial]`: the first step, and the exchange to
    /// give the next line to when that step is a challenge. Nil for an unknown mechanism.
    /// `cramChallenge` is the plain text of a CRAM-MD5 challenge (made only when needed).
    /// `handsOver`: a gate decides, so the exchange ends in `.proved` and CRAM-MD5 is unknown.
    static func start(mechanism: String, initial: String?, users: [String: String], tokens: [String: String] = [:], handsOver: Bool = false,
                      cramChallenge: @autoclosure () -> String) -> (exchange: SASLExchange, step: Step)? {
        switch mechanism.uppercased() {
        case "PLAIN":
            let exchange = SASLExchange(users: users, handsOver: handsOver, waiting: .plain)
            return (exchange, initial.map(exchange.plain) ?? .challenge(""))
        case "LOGIN":
            if let initial {
                return (SASLExchange(users: users, handsOver: handsOver, waiting: .loginPassword(user: decode(initial) ?? "")), .challenge(passwordPrompt))
            }
            return (SASLExchange(users: users, handsOver: handsOver, waiting: .loginUser), .challenge(userPrompt))
        case "CRAM-MD5" where !handsOver:
            let text = cramChallenge()
            return (SASLExchange(users: users, handsOver: false, waiting: .cramMD5(challenge: text)), .challenge(Base64.encode(Array(text.utf8))))
        case "XOAUTH2":
            let exchange = SASLExchange(users: users, tokens: tokens, handsOver: handsOver, waiting: .xoauth2)
            return (exchange, initial.map(exchange.xoauth2) ?? .challenge(""))
        case "OAUTHBEARER" where !handsOver:
            let exchange = SASLExchange(users: users, tokens: tokens, handsOver: false, waiting: .oauthBearer)
            return (exchange, initial.map(exchange.oauthBearer) ?? .challenge(""))
        default:
            return nil
        }
    }

    /// The client's answer to the last challenge.
    mutating func respond(_ raw: String) -> Step {
        let line = raw.trimmingSpaces
        if line == "*" { return .cancelled }
        switch waiting {
        case .plain: return plain(line)
        case .loginUser:
            waiting = .loginPassword(user: Self.decode(line) ?? "")
            return .challenge(Self.passwordPrompt)
        case .loginPassword(let user): return verdict(user, password: Self.decode(line))
        case .cramMD5(let text): return cramMD5(line, challenge: text)
        case .xoauth2: return xoauth2(line)
        case .oauthBearer: return oauthBearer(line)
        }
    }

    /// "Username:" and "Password:", base64.
    static let userPrompt = "VXNlcm5hbWU6"
    static let passwordPrompt = "UGFzc3dvcmQ6"

    private func plain(_ base64: String) -> Step {
        let fields = (Self.decode(base64) ?? "").split(separator: "\0", omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 3 else { return .refused }
        return verdict(fields[1], password: fields[2])
    }

    private func xoauth2(_ base64: String) -> Step {
        var fields: [String: String] = [:]
        for part in (Self.decode(base64) ?? "").split(separator: "\u{1}") {
            let pair = part.split(separator: "=", maxSplits: 1).map(String.init)
            if pair.count == 2 { fields[pair[0]] = pair[1] }
        }
        let token = fields["auth"].map { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : $0 }
        return tokenVerdict(fields["user"], token: token)
    }

    /// RFC 7628: `n,a=USER,` then `key=value` fields separated by 0x01, one of them
    /// `auth=Bearer TOKEN`. The user in the GS2 header has `,` and `=` written as `=2C` and `=3D`.
    private func oauthBearer(_ base64: String) -> Step {
        let parts = (Self.decode(base64) ?? "").split(separator: "\u{1}", omittingEmptySubsequences: true)
        guard let header = parts.first, header.hasPrefix("n,") || header.hasPrefix("y,") else { return .refused }
        let user = header.split(separator: ",").first { $0.hasPrefix("a=") }
            .map { String($0.dropFirst(2)).replacing("=2C", with: ",").replacing("=3D", with: "=") }
        let auth = parts.dropFirst().first { $0.hasPrefix("auth=") }.map { String($0.dropFirst(5)) }
        let token = auth.map { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : $0 }
        return tokenVerdict(user, token: token)
    }

    /// With tokens set, the exact user and token; else the password check (any login when no
    /// users are set), as before tokens existed.
    private func tokenVerdict(_ user: String?, token: String?) -> Step {
        guard !tokens.isEmpty, !handsOver else { return verdict(user, password: token) }
        guard let user, let token, tokens[user] == token else { return .refused }
        return .accepted(user: user)
    }

    /// `user hex-digest`, the digest an HMAC-MD5 of the challenge keyed with the user's secret.
    private func cramMD5(_ base64: String, challenge text: String) -> Step {
        let answer = (Self.decode(base64) ?? "").split(separator: " ")
        guard answer.count == 2 else { return .refused }
        let user = String(answer[0])
        if users.isEmpty { return .accepted(user: user) }
        guard let secret = users[user] else { return .refused }
        let mac = HMAC<Insecure.MD5>.authenticationCode(for: Array(text.utf8), using: SymmetricKey(data: Array(secret.utf8)))
        return HexDigits.string(Array(mac), uppercase: false) == answer[1].lowercased() ? .accepted(user: user) : .refused
    }

    /// Any login when no users are set, else the exact pair; handed over whole when a gate decides.
    private func verdict(_ user: String?, password: String?) -> Step {
        let usersAccept = user.map { users.isEmpty || (password != nil && users[$0] == password) } ?? false
        if handsOver, let user, let password { return .proved(mechanism: mechanism, user: user, secret: password, usersAccept: usersAccept) }
        guard let user, usersAccept else { return .refused }
        return .accepted(user: user)
    }

    /// The mechanism's name, as the client gave it in AUTH.
    private var mechanism: String {
        switch waiting {
        case .plain: "PLAIN"
        case .loginUser, .loginPassword: "LOGIN"
        case .cramMD5: "CRAM-MD5"
        case .xoauth2: "XOAUTH2"
        case .oauthBearer: "OAUTHBEARER"
        }
    }

    static func decode(_ base64: String) -> String? {
        Base64.decode(base64).map { String(decoding: $0, as: UTF8.self) }
    }
}
