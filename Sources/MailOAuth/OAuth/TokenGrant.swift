/// A successful token reply (RFC 6749 section 5.1), as Microsoft and Google send it.
public struct TokenGrant: Decodable, Sendable, Equatable {
    public var accessToken: String
    public var tokenType: String?
    /// Seconds the access token lives, from the moment the reply was made.
    public var expiresIn: Int
    /// Absent on a refresh when the authority keeps the old one (Google does).
    public var refreshToken: String?
    public var idToken: String?
    public var scope: String?

    enum CodingKeys: String, CodingKey {
        case accessToken = "access_token"
        case tokenType = "token_type"
        case expiresIn = "expires_in"
        case refreshToken = "refresh_token"
        case idToken = "id_token"
        case scope
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        accessToken = try c.decode(String.self, forKey: .accessToken)
        tokenType = try c.decodeIfPresent(String.self, forKey: .tokenType)
        // Microsoft's v1 endpoints sent expires_in as a string; accept both.
        if let seconds = try? c.decode(Int.self, forKey: .expiresIn) {
            expiresIn = seconds
        } else {
            expiresIn = Int(try c.decode(String.self, forKey: .expiresIn)) ?? 0
        }
        refreshToken = try c.decodeIfPresent(String.self, forKey: .refreshToken)
        idToken = try c.decodeIfPresent(String.self, forKey: .idToken)
        scope = try c.decodeIfPresent(String.self, forKey: .scope)
    }

    /// The login name the id_token gives: `preferred_username` (Microsoft), else `email` (Google).
    /// The signature is not checked: the token came straight from the authority over TLS, and the
    /// name only fills in the SMTP user, which the SMTP server checks against the access token.
    public var loginName: String? { idToken.flatMap(IDToken.loginName) }
}

/// The claims of an OpenID Connect id_token that name the user.
enum IDToken {
    static func loginName(_ jwt: String) -> String? {
        let parts = jwt.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[1].utf8.count <= 64 * 1024 else { return nil }
        var text = String(parts[1].map { $0 == "-" ? "+" : $0 == "_" ? "/" : $0 })
        while text.utf8.count % 4 != 0 { text += "=" }
        guard let bytes = Base64.decode(text) else { return nil }
        struct Claims: Decodable {
            var preferredUsername: String?
            var email: String?
            enum CodingKeys: String, CodingKey { case preferredUsername = "preferred_username", email }
        }
        guard let claims = try? JSONDecoder().decode(Claims.self, from: Data(bytes)) else { return nil }
        let name = claims.preferredUsername ?? claims.email
        // A login name with a control character or a space would break the SASL message.
        guard let name, !name.isEmpty, name.utf8.count <= 320, name.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value != 0x7F }) else { return nil }
        return name
    }
}

/// Reads an authority's reply: a grant, or its error explained.
enum AuthorityReplyReader {
    static func grant(_ reply: AuthorityReply, stage: OAuthError.Stage, login: String) throws(OAuthError) -> TokenGrant {
        if reply.status == 200, let grant = try? JSONDecoder().decode(TokenGrant.self, from: Data(reply.body)) {
            guard grant.tokenType.map({ $0.lowercased() == "bearer" }) ?? true else {
                throw OAuthError(stage: stage, reason: "the authority gave a \(AuthorityError.firstLine(grant.tokenType ?? "")) token, not a Bearer token", hint: nil)
            }
            return grant
        }
        throw error(reply, stage: stage, login: login)
    }

    static func error(_ reply: AuthorityReply, stage: OAuthError.Stage, login: String) -> OAuthError {
        if let error = try? JSONDecoder().decode(AuthorityError.self, from: Data(reply.body)) {
            return error.explained(stage: stage, login: login)
        }
        let said = AuthorityError.firstLine(String(decoding: reply.body.prefix(300), as: UTF8.self))
        return OAuthError(stage: stage, reason: "the authority answered HTTP \(reply.status) without an OAuth reply" + (said.isEmpty ? "" : ": \(said)"),
                          hint: "Check the --authority URL (it must be the base, e.g. https://login.microsoftonline.com)")
    }
}
