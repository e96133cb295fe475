/// What a refused login means once providers take only OAuth2: a password refused because Basic
/// authentication is off for the account (the fix is a sign-in, with the exact command), or a
/// token refused (the fix is on the token's side: scope, mailbox, user).
enum OAuthAdvice {
    /// Catalogue entries whose reply says, or may say, that the password login is off, and the
    /// provider to sign in with; `certain` when the reply says it in so many words.
    static let basicAuthOff: [String: (provider: OAuthProvider, certain: Bool)] = [
        "microsoft-basic-auth-off": (.microsoft, true),
        "m365-smtp-auth-disabled": (.microsoft, true),
        "microsoft-auth-unsuccessful": (.microsoft, false),
        "gmail-app-password": (.google, false),
        "gmail-web-login": (.google, false),
    ]

    /// The words to use instead, and the advice id, or nil to keep what the catalogue said.
    static func adjust(_ words: (explanation: String, suggestions: [String]), advice: String?, kind: FailureKind, reply: ServerReply?,
                       evidence e: FailureEvidence, provider: Provider?) -> ((explanation: String, suggestions: [String]), String?)? {
        guard let reply, !reply.isPositive else { return nil }
        let microsoft = provider.map { $0.id == "microsoft365" || $0.id == "outlook" } ?? false
        if let account = e.settings.oauthAccount {
            return (tokenRefused(account: account, user: e.settings.username, microsoft: microsoft, reply: reply), "oauth-token-refused")
        }
        let known = advice.flatMap { basicAuthOff[$0] }
        // Microsoft also answers 535 5.7.8 to a password it no longer takes.
        let microsoft578 = microsoft && reply.code == 535 && (reply.enhancedStatus ?? ReplyCatalogue.statusAnywhere(in: reply)) == "5.7.8"
        guard let found = known ?? (microsoft578 ? (provider: .microsoft, certain: false) : nil) else { return nil }
        let step = signIn(found.provider, user: e.settings.username)
        var changed = words
        if found.certain {
            changed.suggestions.insert(step, at: 0)
        } else {
            changed.suggestions.append("If the password is right: " + step)
        }
        return (changed, advice)
    }

    /// "Basic authentication is off for this account: sign in with OAuth2" and the command.
    static func signIn(_ provider: OAuthProvider, user: String?) -> String {
        let account = user.flatMap { TokenStore.problem(withName: $0) == nil ? $0 : nil } ?? "NAME"
        return "Basic authentication is off for this account: sign in with OAuth2: "
            + "mailtui oauth login --provider \(provider.rawValue) --account \(account) --client-id YOUR-APP-ID"
            + ", then send with --oauth \(account) (the README says how to register the app)."
    }

    static func tokenRefused(account: String, user: String?, microsoft: Bool, reply: ServerReply) -> (explanation: String, suggestions: [String]) {
        var checks = ["Check the scope: the token must carry " + (microsoft ? "https://outlook.office.com/SMTP.Send" : "SMTP sending (Microsoft: https://outlook.office.com/SMTP.Send; Google: https://mail.google.com/)")
                      + "; sign in again if the app's permissions changed: mailtui oauth login --account \(account) ...",
                      "Check that the user (\(user ?? "none")) is the mailbox the token was issued for: --user must match the token's user, or be left out."]
        if microsoft || reply.lines.joined().lowercased().contains("outlook") {
            checks.insert("Microsoft 365: SMTP AUTH must be enabled for the mailbox (admin centre, Users, the user, Mail, Manage email apps, Authenticated SMTP), and the tenant must not disable it (Set-TransportConfig -SmtpClientAuthenticationDisabled $false).", at: 1)
        }
        checks.append("Check this machine's clock: one more than a minute off makes a token look expired (timedatectl).")
        return ("The token was refused: the server did not take the access token of \(account) at AUTH.", checks)
    }
}
