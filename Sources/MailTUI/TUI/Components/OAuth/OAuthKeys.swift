/// The keys of the OAuth account in the form and of the sign-in window.
enum OAuthKeys {
    enum AccountAction: Hashable, Sendable { case signIn, nextAccount }

    static let account = KeyTable<AccountAction>("Account (Auth xoauth2 or oauthbearer)", [
        KeyBinding(.signIn, [.enter], keyText: "Enter", hint: "Sign in",
                   help: "sign in to the account typed (a device code shows in a window; F5 signs in first when needed, then sends)"),
        KeyBinding(.nextAccount, [.control("n")], keyText: "^N", hint: "Accounts", help: "the next signed-in account (as mailtui oauth list shows them)"),
    ])

    enum WindowAction: Hashable, Sendable { case cancel, close }

    static let window = KeyTable<WindowAction>("Signing in (OAuth2)", [
        KeyBinding(.cancel, [.escape], keyText: "Esc", hint: "Cancel", help: "stop waiting for the sign-in"),
        KeyBinding(.close, [.escape, .enter], keyText: "Esc", hint: "Close", help: "close the window of a failed sign-in"),
    ])
}
