/// The OAuth part of the form: with Auth ‹ xoauth2 › or ‹ oauthbearer › the Password field's place
/// holds the signed-in account's name and what is known of its token (never the token itself).
struct OAuthState: Equatable, Sendable {
    /// The account's name (`mailtui oauth login --account NAME`); saved in the draft.
    var account = TextField()
    /// What the store said of the account last; nil until it was asked.
    var status: OAuthStatus?
    /// The sign-in under way, by number: events of an earlier, cancelled one are dropped.
    var signIn = 0
    /// Set when F5 found the account not signed in: the send goes on when the sign-in completes.
    var sendAfterSignIn = false

    var name: String { account.text.trimmingSpaces }
}

/// An account as the token store knows it, in words for the form.
enum OAuthStatus: Equatable, Sendable {
    /// Signed in: "expires in 54 min" (or "expired 3 min ago", which a refresh mends), and the user.
    case signedIn(expiry: String, user: String?)
    case notSignedIn
    /// The file is there but cannot be used (permissions, garbage): why.
    case unusable(String)

    var words: String {
        switch self {
        case .signedIn(let expiry, _): expiry
        case .notSignedIn: "not signed in"
        case .unusable(let reason): "unusable: \(reason)"
        }
    }
}

/// The window shown while a device-code sign-in waits for the user.
struct SignInWindow: Equatable, Sendable {
    var account: String
    /// The URL to open and the code to type there; nil while the authority is asked for them.
    var url: String?
    var code: String?
    var expiresInMinutes = 0
    /// Why the sign-in failed; the window stays until a key closes it.
    var failure: String?

    var lines: [String] {
        var lines = ["Sign in to the OAuth account \(account)", ""]
        if let failure {
            lines += ["The sign-in failed: \(failure)", "", OAuthKeys.window.footer { $0 == .close }]
            return lines
        }
        guard let url, let code else {
            return lines + ["Asking the authority for a code…", "", OAuthKeys.window.footer { $0 == .cancel }]
        }
        lines += ["Open  \(url)", "and enter the code  \(code)", "",
                  "mailtui waits for the sign-in (the code expires in \(max(1, expiresInMinutes)) min);",
                  "a send that waits for it goes on when it completes.", "", OAuthKeys.window.footer { $0 == .cancel }]
        return lines
    }
}
