/// Keeps an account's access token usable: refreshed when it is within five minutes of expiry,
/// with the refresh token from the file or the Secret Service, and the new tokens stored back.
public struct TokenKeeper: Sendable {
    /// An access token with less than this many seconds left is refreshed first.
    public static let refreshMargin = 300

    public let store: TokenStore
    /// Whether a new refresh token may go to the Secret Service.
    public let useSecretService: Bool

    /// How long to wait for another process refreshing the same account (see `RefreshLock`).
    public let lockWait: Duration

    public init(store: TokenStore = TokenStore(), useSecretService: Bool = SecretService.isAvailable, lockWait: Duration = .seconds(45)) {
        self.store = store
        self.useSecretService = useSecretService
        self.lockWait = lockWait
    }

    /// The lock file of an account's refresh, beside its token file.
    public func lockPath(of name: String) -> String { store.directory + "/" + name + ".lock" }

    /// An account whose access token is valid for at least the margin, and what happened.
    public struct Fresh: Sendable {
        public var account: OAuthAccount
        public var refreshed: Bool
        public var notes: [String]
    }

    /// Stores a finished sign-in. Returns the account and a note on where the refresh token went.
    public func signedIn(_ request: SignInRequest, _ result: SignInResult, user: String?) throws(OAuthError) -> (OAuthAccount, String) {
        var kept = OAuthAccount.RefreshStore.file
        if useSecretService, let refresh = result.grant.refreshToken, SecretService.store(refresh, account: request.account) { kept = .secretService }
        let account = OAuthAccount(request: request, result: result, user: user, refreshStore: kept)
        try store.save(account)
        let place = store.path(of: request.account)
        let note: String
        if result.grant.refreshToken == nil {
            note = "the authority gave no refresh token (was offline_access granted?): sign in again when the access token expires. Stored in \(place) (mode 0600)"
        } else if kept == .secretService {
            note = "refresh token stored in the Secret Service (secret-tool, service mailtui-oauth, account \(request.account)); access token in \(place) (mode 0600)"
        } else {
            note = "tokens stored in \(place) (mode 0600)" + (useSecretService ? "; the Secret Service refused the refresh token" : "; no Secret Service (secret-tool) here")
        }
        return (account, note)
    }

    /// The account, refreshed first when its access token has less than `refreshMargin` left.
    /// Another process refreshing the same account at the same time is waited for, and its token
    /// used: a rotated refresh token is spent once (see `RefreshLock`).
    public func fresh(_ name: String, now: () -> Int = { ClockSkew.now }) throws(OAuthError) -> Fresh {
        let unlocked = try store.load(name)
        guard unlocked.expiresAt - now() < Self.refreshMargin else { return Fresh(account: unlocked, refreshed: false, notes: []) }
        return try RefreshLock.holding(lockPath(of: name), account: name, wait: lockWait) { () throws(OAuthError) -> Fresh in
            // Read again under the lock: the process that held it may have refreshed already.
            let account = try store.load(name)
            guard account.expiresAt - now() < Self.refreshMargin else { return Fresh(account: account, refreshed: false, notes: []) }
            return try refresh(account, name: name, now: now)
        }
    }

    /// Spends the refresh token for a new access token, and stores what the authority gave.
    private func refresh(_ stored: OAuthAccount, name: String, now: () -> Int) throws(OAuthError) -> Fresh {
        var account = stored
        let request = account.request
        let refresh: String?
        switch account.refreshStore {
        case .file: refresh = account.refreshToken
        case .secretService: refresh = SecretService.lookup(account: name)
        }
        guard let refresh else {
            let place = account.refreshStore == .file ? "the account has no refresh token" : "the Secret Service has no refresh token for it (is the keyring unlocked?)"
            throw OAuthError(stage: .refresh, reason: "the access token of \(name) \(account.expiryText(now: now())) and \(place)", hint: "Sign in again: \(request.loginCommand)")
        }
        let form = request.clientFields + [("grant_type", "refresh_token"), ("refresh_token", refresh), ("scope", request.provider.scope)]
        let reply = try OAuthHTTP.post(request.endpoints.token, form: form)
        let received = now()
        let grant = try AuthorityReplyReader.grant(reply, stage: .refresh, login: request.loginCommand)
        account.accessToken = grant.accessToken
        account.expiresAt = received + grant.expiresIn
        if let user = grant.loginName, account.user == nil { account.user = user }
        if let rotated = grant.refreshToken, rotated != refresh {
            if account.refreshStore == .secretService && SecretService.store(rotated, account: name) {
                account.refreshToken = nil
            } else {
                account.refreshStore = .file
                account.refreshToken = rotated
            }
        }
        try store.save(account)
        let notes = [ClockSkew.note(local: received, remote: reply.date, remoteName: "the authority")].compactMap { $0 }
        return Fresh(account: account, refreshed: true, notes: notes)
    }

    /// Removes the account's file and its Secret Service entry.
    public func logout(_ name: String) throws(OAuthError) -> Bool {
        let account = try? store.load(name)
        if account?.refreshStore == .secretService || (account == nil && useSecretService) { SecretService.clear(account: name) }
        return try store.remove(name)
    }
}
