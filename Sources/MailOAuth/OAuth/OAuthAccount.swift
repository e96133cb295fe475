/// One signed-in account as stored in `$XDG_DATA_HOME/mailtui/oauth/NAME.json`: who it is, how to
/// refresh it, and the current access token. The refresh token is here, or only a reference to
/// the Secret Service entry that holds it.
public struct OAuthAccount: Codable, Sendable, Equatable {
    /// Where the refresh token is kept.
    public enum RefreshStore: String, Codable, Sendable, Equatable {
        /// In this file (mode 0600).
        case file
        /// In the desktop's Secret Service (`secret-tool`), under service `mailtui-oauth` and
        /// this account's name.
        case secretService = "secret-service"
    }

    public var account: String
    public var provider: OAuthProvider
    public var clientID: String
    public var clientSecret: String?
    public var tenant: String?
    public var authority: String?
    /// The login name from the id_token (or as given at sign-in).
    public var user: String?
    public var accessToken: String
    /// Seconds since 1970, by the local clock.
    public var expiresAt: Int
    public var refreshStore: RefreshStore
    /// Present only when `refreshStore` is `file`.
    public var refreshToken: String?
    public var scope: String?

    /// Written camelCase, as every JSON file mailtui writes (docs/json.md).
    enum CodingKeys: String, CodingKey {
        case account, provider, tenant, authority, user, scope
        case clientID, clientSecret, accessToken, expiresAt, refreshStore, refreshToken
    }

    /// The snake_case keys files written before the camelCase convention hold.
    private enum OlderKeys: String, CodingKey {
        case clientID = "client_id", clientSecret = "client_secret", accessToken = "access_token"
        case expiresAt = "expires_at", refreshStore = "refresh_store", refreshToken = "refresh_token"
    }

    /// Reads both spellings: a token file signed in with an older mailtui still works.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let old = try decoder.container(keyedBy: OlderKeys.self)
        func either<T: Decodable>(_ key: CodingKeys, _ older: OlderKeys) throws -> T {
            if c.contains(key) { return try c.decode(T.self, forKey: key) }
            return try old.decode(T.self, forKey: older)
        }
        func eitherIfPresent<T: Decodable>(_ key: CodingKeys, _ older: OlderKeys) throws -> T? {
            try c.decodeIfPresent(T.self, forKey: key) ?? old.decodeIfPresent(T.self, forKey: older)
        }
        account = try c.decode(String.self, forKey: .account)
        provider = try c.decode(OAuthProvider.self, forKey: .provider)
        tenant = try c.decodeIfPresent(String.self, forKey: .tenant)
        if let tenant, !OAuthProvider.isTenant(tenant) {
            throw DecodingError.dataCorruptedError(forKey: .tenant, in: c, debugDescription: "the tenant may hold only letters, digits, . and -")
        }
        authority = try c.decodeIfPresent(String.self, forKey: .authority)
        user = try c.decodeIfPresent(String.self, forKey: .user)
        scope = try c.decodeIfPresent(String.self, forKey: .scope)
        clientID = try either(.clientID, .clientID)
        clientSecret = try eitherIfPresent(.clientSecret, .clientSecret)
        accessToken = try either(.accessToken, .accessToken)
        expiresAt = try either(.expiresAt, .expiresAt)
        refreshStore = try either(.refreshStore, .refreshStore)
        refreshToken = try eitherIfPresent(.refreshToken, .refreshToken)
    }

    public init(request: SignInRequest, result: SignInResult, user: String?, refreshStore: RefreshStore) {
        account = request.account
        provider = request.provider
        clientID = request.clientID
        clientSecret = request.clientSecret
        tenant = request.tenant
        authority = request.authority
        self.user = user ?? result.grant.loginName
        accessToken = result.grant.accessToken
        expiresAt = result.expiresAt
        self.refreshStore = refreshStore
        refreshToken = refreshStore == .file ? result.grant.refreshToken : nil
        scope = result.grant.scope
    }

    /// The sign-in this account came from, for a refresh and for the hint to sign in again.
    public var request: SignInRequest {
        SignInRequest(provider: provider, account: account, clientID: clientID, clientSecret: clientSecret, tenant: tenant, authority: authority)
    }

    /// "expires in 54 min", "expired 3 min ago".
    public func expiryText(now: Int) -> String {
        let left = expiresAt - now
        if left >= 0 { return "expires in \(Self.span(left))" }
        return "expired \(Self.span(-left)) ago"
    }

    static func span(_ seconds: Int) -> String {
        if seconds < 60 { return "\(seconds) s" }
        if seconds < 2 * 3600 { return "\(seconds / 60) min" }
        return "\(seconds / 3600) h"
    }
}
