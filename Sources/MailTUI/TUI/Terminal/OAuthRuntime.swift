import Dispatch
import MailCore
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The compose screen's OAuth effects: the account's status read from the token store, and the
/// device-code sign-in polled on a background thread; each answer comes back as one event. The
/// token itself never reaches the UI's state.
extension TerminalApp {
    func performOAuth(_ effect: Effect) {
        let inbox = self.inbox
        switch effect {
        case .loadOAuthAccount(let name):
            io.async { inbox.post(.oauth(.accountLoaded(name: name, status: Self.status(of: name)))) }
        case .listOAuthAccounts:
            io.async { inbox.post(.oauth(.accountsListed(TokenStore().names()))) }
        case .signIn(let account, let host, let id):
            signInCancel?.cancel()
            let cancel = SignInCancel()
            signInCancel = cancel
            DispatchQueue.global(qos: .userInitiated).async { Self.signIn(account, host: host, id: id, cancel: cancel, inbox: inbox) }
        case .cancelSignIn:
            signInCancel?.cancel()
            signInCancel = nil
        default:
            break
        }
    }

    /// What the store knows of the account, in the form's words.
    static func status(of name: String, now: Int = ClockSkew.now) -> OAuthStatus {
        let store = TokenStore()
        guard store.names().contains(name) else { return .notSignedIn }
        do {
            let account = try store.load(name)
            return .signedIn(expiry: account.expiryText(now: now), user: account.user)
        } catch {
            return .unusable(error.reason)
        }
    }

    /// The sign-in this account came from, or a new one for the provider the host names with the
    /// client ID of $MAILTUI_OAUTH_CLIENT_ID.
    static func signInRequest(_ name: String, host: String) -> Result<SignInRequest, LoginRefusal> {
        if let stored = try? TokenStore().load(name) { return .success(stored.request) }
        let provider: OAuthProvider
        switch Provider.recognise(host: host)?.id {
        case "gmail": provider = .google
        case "microsoft365", "outlook": provider = .microsoft
        default:
            return .failure(LoginRefusal("no account \(name) is signed in, and \(host.isEmpty ? "no host is given" : host) is neither Microsoft's nor Google's: sign in once with mailtui oauth login --provider microsoft|google --account \(name) --client-id ID"))
        }
        guard let clientID = OAuthLogin.environment("MAILTUI_OAUTH_CLIENT_ID"), !clientID.isEmpty else {
            return .failure(LoginRefusal("no client ID: set MAILTUI_OAUTH_CLIENT_ID to your own app registration (the README says how to make one), or sign in once with mailtui oauth login --provider \(provider.rawValue) --account \(name) --client-id ID"))
        }
        return .success(SignInRequest(provider: provider, account: name, clientID: clientID))
    }

    /// The device-code flow: the code goes to the window at once, then the token endpoint is polled
    /// at the authority's interval until the user signs in, the code expires, or Esc cancels.
    private static func signIn(_ name: String, host: String, id: Int, cancel: SignInCancel, inbox: EventInbox) {
        let request: SignInRequest
        switch signInRequest(name, host: host) {
        case .success(let made): request = made
        case .failure(let refusal): inbox.post(.oauth(.signInFailed(id: id, reason: refusal.reason))); return
        }
        do {
            let authorization = try DeviceCodeFlow.start(request)
            guard !cancel.isCancelled else { return }
            inbox.post(.oauth(.codeReady(id: id, url: authorization.verificationURI, code: authorization.userCode, expiresIn: authorization.expiresIn)))
            // Cancelling makes the clock jump past the deadline: the poll stops at its next turn.
            let result = try DeviceCodeFlow.poll(request, authorization, wait: { cancel.wait(seconds: $0) },
                                                 now: { cancel.isCancelled ? Int.max / 2 : ClockSkew.now })
            guard !cancel.isCancelled else { return }
            let keeper = TokenKeeper(useSecretService: SecretService.isAvailable)
            let (stored, _) = try keeper.signedIn(request, result, user: nil)
            inbox.post(.oauth(.signedIn(id: id, name: name, status: .signedIn(expiry: stored.expiryText(now: ClockSkew.now), user: stored.user))))
        } catch {
            guard !cancel.isCancelled else { return }
            inbox.post(.oauth(.signInFailed(id: id, reason: error.description)))
        }
    }

    /// The account's access token for a send, refreshed first when it is within 5 minutes of
    /// expiry, as `send --oauth` does; the login name from the token when the form has none.
    static func token(for settings: inout ServerSettings) -> Result<String, LoginRefusal> {
        guard let name = settings.oauthAccount else { return .failure(LoginRefusal("no OAuth account")) }
        do {
            let fresh = try TokenKeeper().fresh(name)
            if !settings.wantsLogin {
                guard let user = fresh.account.user else {
                    return .failure(LoginRefusal("the token of \(name) names no user: type the mailbox's address into User"))
                }
                settings.username = user
            }
            return .success(fresh.account.accessToken)
        } catch {
            return .failure(LoginRefusal(error.description))
        }
    }
}

/// Stops a sign-in's polling from the UI thread.
final class SignInCancel: Sendable {
    private let cancelled = Mutex(false)

    func cancel() { cancelled.withLock { $0 = true } }

    var isCancelled: Bool { cancelled.withLock { $0 } }

    /// Sleeps `seconds`, in tenths, waking early when cancelled.
    func wait(seconds: Int) {
        for _ in 0..<(max(0, seconds) * 10) where !isCancelled { usleep(100_000) }
    }
}

/// Why a login (an OAuth account, a password for the relay) cannot be had, in words for the screen.
struct LoginRefusal: Error, Equatable {
    var reason: String
    init(_ reason: String) { self.reason = reason }
}
