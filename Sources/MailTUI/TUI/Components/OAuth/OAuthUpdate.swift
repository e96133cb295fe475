import MailCore

/// The OAuth account in the form and its sign-in: the keys, and the store's and the authority's
/// answers coming back from the runtime (Terminal/OAuthRuntime.swift).
extension AppState {
    /// Whether the Password field's place holds an OAuth account: Auth xoauth2 or oauthbearer, or
    /// auto with an account given (`--oauth NAME`, a profile's `oauth`), where EHLO picks the mechanism.
    var usesOAuthAccount: Bool { authMechanism.takesBearerToken || (authMechanism == .auto && !oauth.account.isEmpty) }

    /// A key in the account field: Enter signs in, the rest edits the name.
    mutating func updateOAuthAccount(_ key: Key) -> [Effect] {
        switch OAuthKeys.account.action(for: key) {
        case .signIn?: return startSignIn(thenSend: false)
        case .nextAccount?: return [.listOAuthAccounts]
        case nil: break
        }
        if key != .enter, let move = FormKeys.moving.action(for: key) {
            moveFocus(move == .next ? 1 : -1)
            return []
        }
        var field = oauth.account
        guard field.edit(key) || insert(key, into: &field) else { return [] }
        guard field != oauth.account else { return [] }
        oauth.account = field
        oauth.status = nil
        fieldErrors[.password] = nil
        return changed() + (oauth.name.isEmpty ? [] : [.loadOAuthAccount(oauth.name)])
    }

    private func insert(_ key: Key, into field: inout TextField) -> Bool {
        guard case .character(let c) = key, !c.isWhitespace else { return false }
        field.insert(String(c))
        return true
    }

    /// Opens the sign-in window and asks the runtime for a device code.
    mutating func startSignIn(thenSend: Bool) -> [Effect] {
        guard !oauth.name.isEmpty else {
            fieldErrors[.password] = "type the OAuth account's name (mailtui oauth list shows them)"
            focus = .password
            return []
        }
        oauth.signIn += 1
        oauth.sendAfterSignIn = thenSend
        overlay = .signIn(SignInWindow(account: oauth.name))
        return [.signIn(account: oauth.name, host: text(.host), id: oauth.signIn)]
    }

    /// A key in the sign-in window: Esc stops the wait (or closes a failed sign-in's window).
    mutating func updateSignInWindow(_ key: Key, _ window: SignInWindow) -> [Effect] {
        guard let action = OAuthKeys.window.action(for: key) else { return [] }
        if window.failure != nil {
            overlay = nil
            return []
        }
        // Enter closes only a failed sign-in's window: while it waits, only Esc stops it.
        guard action == .cancel else { return [] }
        overlay = nil
        oauth.signIn += 1
        oauth.sendAfterSignIn = false
        notice = "Sign-in cancelled: \(window.account) is \(oauth.status?.words ?? "not signed in")"
        return [.cancelSignIn]
    }

    /// The runtime's answers about the account and the sign-in.
    mutating func receive(_ event: OAuthEvent) -> [Effect] {
        switch event {
        case .accountLoaded(let name, let status):
            guard name == oauth.name else { return [] }
            oauth.status = status
            return []
        case .accountsListed(let names):
            guard !names.isEmpty else {
                notice = "No account is signed in: type a name and press Enter to sign in (or mailtui oauth login)"
                return []
            }
            let next = names.firstIndex(of: oauth.name).map { names[($0 + 1) % names.count] } ?? names[0]
            oauth.account = TextField(next)
            oauth.status = nil
            fieldErrors[.password] = nil
            return changed() + [.loadOAuthAccount(next)]
        case .codeReady(let id, let url, let code, let expiresIn):
            guard id == oauth.signIn, case .signIn(var window) = overlay else { return [] }
            window.url = url
            window.code = code
            window.expiresInMinutes = expiresIn / 60
            overlay = .signIn(window)
            return []
        case .signedIn(let id, let name, let status):
            guard id == oauth.signIn else { return [] }
            if case .signIn? = overlay { overlay = nil }
            if name == oauth.name { oauth.status = status }
            fieldErrors[.password] = nil
            notice = "Signed in to \(name): the token \(status.words)"
            guard oauth.sendAfterSignIn else { return [] }
            oauth.sendAfterSignIn = false
            return startSend()
        case .signInFailed(let id, let reason):
            guard id == oauth.signIn else { return [] }
            oauth.sendAfterSignIn = false
            if case .signIn(var window) = overlay {
                window.failure = reason
                overlay = .signIn(window)
            } else {
                notice = "Sign-in failed: \(reason)"
            }
            return []
        case .tokenRefused(let reason):
            phase = previousPhase ?? .idle
            inFlight = nil
            fieldErrors[.password] = reason
            focus = .password
            notice = "Not sent: the OAuth account \(oauth.name): \(reason) (Enter on Account signs in)"
            return oauth.name.isEmpty ? [] : [.loadOAuthAccount(oauth.name)]
        }
    }
}

/// What the runtime says about the OAuth account and its sign-in.
enum OAuthEvent: Sendable {
    case accountLoaded(name: String, status: OAuthStatus)
    /// The signed-in accounts' names, for ^N.
    case accountsListed([String])
    /// The authority gave the device code: the window shows it.
    case codeReady(id: Int, url: String, code: String, expiresIn: Int)
    case signedIn(id: Int, name: String, status: OAuthStatus)
    case signInFailed(id: Int, reason: String)
    /// The token could not be had (or refreshed) before a send: nothing was sent.
    case tokenRefused(String)
}
