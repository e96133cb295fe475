import Testing
@testable import MailTUI
@testable import MailCore

/// The OAuth account in the compose screen, without a terminal: the Account line in the Password
/// field's place, the sign-in window and its keys, the send that waits for the sign-in, and no
/// token anywhere on screen or in the draft.
@Suite struct OAuthAccountTests {
    init() { TerminalLocale.adopt() }

    func screen(_ state: AppState) -> String { Renderer.render(state).text }

    /// A form for smtp.office365.com with Auth xoauth2 and the account `work`.
    func oauthForm(status: OAuthStatus? = .signedIn(expiry: "expires in 54 min", user: "ada@example.com")) -> AppState {
        var s = AppState(width: 100, height: 30)
        s.apply(settings: ServerSettings(host: "smtp.office365.com", security: .starttls, authMechanism: .xoauth2))
        s.apply(draft: MessageDraft(from: "ada@example.com", to: "bob@example.org", subject: "hi", textBody: "hello"))
        s.focus = .password
        for c in "work" { _ = s.update(.key(.character(c))) }
        if let status { _ = s.update(.oauth(.accountLoaded(name: "work", status: status))) }
        return s
    }

    func line(_ label: String, in state: AppState) -> String {
        screen(state).split(separator: "\n").first { $0.contains(label) }.map(String.init) ?? ""
    }

    @Test func theAccountAndItsExpiryStandInThePasswordsPlace() {
        var s = oauthForm()
        #expect(s.settings.oauthAccount == "work")
        s.focus = .host
        let row = line("Account", in: s)
        #expect(row.contains("Account work (expires in 54 min)"), "\(row)")
        #expect(!screen(s).contains("Password"))
        // Another mechanism: the password is back, and no account goes with the settings.
        s.authMechanism = .plain
        #expect(screen(s).contains("Password") && !screen(s).contains("Account work"))
        #expect(s.settings.oauthAccount == nil)
    }

    @Test func typingTheNameAsksTheStoreAndNotSignedInIsSaid() {
        var s = AppState(width: 100, height: 30)
        s.authMechanism = .oauthbearer
        s.focus = .password
        let effects = "me".flatMap { s.update(.key(.character($0))) }
        #expect(effects.contains(.loadOAuthAccount("m")) && effects.contains(.loadOAuthAccount("me")))
        _ = s.update(.oauth(.accountLoaded(name: "m", status: .signedIn(expiry: "stale", user: nil))))
        #expect(s.oauth.status == nil, "an answer for a name no longer typed is dropped")
        _ = s.update(.oauth(.accountLoaded(name: "me", status: .notSignedIn)))
        s.focus = .host
        #expect(line("Account", in: s).contains("Account me (not signed in)"))
    }

    @Test func enterSignsInTheCodeShowsAndEscCancels() {
        var s = oauthForm(status: .notSignedIn)
        #expect(s.hintKeys.contains { $0.keys == "Enter" && $0.words == "Sign in" })
        let effects = s.update(.key(.enter))
        #expect(effects == [.signIn(account: "work", host: "smtp.office365.com", id: 1)])
        #expect(screen(s).contains("Asking the authority for a code"))
        _ = s.update(.oauth(.codeReady(id: 1, url: "https://microsoft.com/devicelogin", code: "ABCD-1234", expiresIn: 900)))
        let shown = screen(s)
        #expect(shown.contains("Open  https://microsoft.com/devicelogin") && shown.contains("enter the code  ABCD-1234") && shown.contains("expires in 15 min"))
        #expect(s.update(.key(.character("x"))).isEmpty && s.update(.key(.enter)).isEmpty, "other keys do nothing while it waits")
        #expect(s.overlay != nil)
        #expect(s.update(.key(.escape)) == [.cancelSignIn])
        #expect(s.overlay == nil && s.notice?.contains("Sign-in cancelled") == true)
        // The cancelled sign-in's late answer changes nothing.
        _ = s.update(.oauth(.signedIn(id: 1, name: "work", status: .signedIn(expiry: "expires in 60 min", user: nil))))
        #expect(s.oauth.status == .notSignedIn)
    }

    @Test func f5WhenNotSignedInSignsInFirstAndThenSends() throws {
        var s = oauthForm(status: .notSignedIn)
        s.focus = .to
        let first = s.update(.key(.function(5)))
        #expect(first == [.signIn(account: "work", host: "smtp.office365.com", id: 1)])
        #expect(s.phase == .idle)
        _ = s.update(.oauth(.codeReady(id: 1, url: "https://microsoft.com/devicelogin", code: "ABCD-1234", expiresIn: 900)))
        let then = s.update(.oauth(.signedIn(id: 1, name: "work", status: .signedIn(expiry: "expires in 60 min", user: "ada@example.com"))))
        let plan = try #require(then.compactMap { if case .send(let plan) = $0 { plan } else { nil } }.first)
        #expect(plan.settings.oauthAccount == "work" && plan.password == nil, "the runtime fetches the token; the plan holds none")
        #expect(s.overlay == nil && s.isSending)
    }

    @Test func aFailedSignInSaysWhyAndEscClosesIt() {
        var s = oauthForm(status: .notSignedIn)
        _ = s.update(.key(.enter))
        _ = s.update(.oauth(.signInFailed(id: 1, reason: "approval failed: the user declined (access_denied)")))
        #expect(screen(s).contains("The sign-in failed: approval failed: the user declined"))
        #expect(s.hintKeys.contains { $0.words == "Close" })
        #expect(s.update(.key(.escape)).isEmpty && s.overlay == nil)
    }

    @Test func aRefusedTokenStopsTheSendAtTheAccount() {
        var s = oauthForm()
        s.focus = .to
        _ = s.update(.key(.function(5)))
        #expect(s.isSending)
        let effects = s.update(.oauth(.tokenRefused("refresh failed: the refresh token expired or was revoked (invalid_grant)")))
        #expect(!s.isSending && s.focus == .password && effects == [.loadOAuthAccount("work")])
        #expect(s.notice?.contains("invalid_grant") == true && s.fieldErrors[.password] != nil)
    }

    @Test func theDraftKeepsTheAccountNameAndAReopenedDraftShowsIt() {
        let s = oauthForm()
        let saved = s.savedDraft(at: 0)
        #expect(saved.settings.oauthAccount == "work")
        var reopened = AppState(width: 100, height: 30)
        reopened.apply(settings: saved.settings)
        #expect(reopened.usesOAuthAccount && reopened.oauth.name == "work")
        // `--oauth NAME` with Auth auto: the account shows too (EHLO picks the mechanism).
        var auto = AppState(width: 100, height: 30)
        var settings = ServerSettings(host: "smtp.office365.com")
        settings.oauthAccount = "work"
        auto.apply(settings: settings)
        #expect(auto.usesOAuthAccount && screen(auto).contains("Account work"))
    }

    @Test func ctrlNChoosesTheNextSignedInAccount() {
        var s = oauthForm()
        #expect(s.update(.key(.control("n"))) == [.listOAuthAccounts])
        let effects = s.update(.oauth(.accountsListed(["home", "work", "zeta"])))
        #expect(s.oauth.name == "zeta" && effects.contains(.loadOAuthAccount("zeta")) && s.oauth.status == nil)
        _ = s.update(.oauth(.accountsListed(["home", "work", "zeta"])))
        #expect(s.oauth.name == "home", "it wraps around")
        _ = s.update(.oauth(.accountsListed([])))
        #expect(s.oauth.name == "home" && s.notice?.contains("No account is signed in") == true)
    }

    @Test func aProfilesOAuthAccountShowsWhenItIsLoaded() {
        var s = AppState(width: 100, height: 30)
        _ = s.update(.key(.function(8)))
        var profile = Profile(name: "m365", settings: ServerSettings(host: "smtp.office365.com", authMechanism: .xoauth2))
        profile.oauthAccount = "work"
        _ = s.update(.profilesLoaded([profile], problem: nil))
        let effects = s.update(.key(.enter))
        #expect(s.oauth.name == "work" && s.settings.oauthAccount == "work" && effects.contains(.loadOAuthAccount("work")))
    }

    @Test func theKeysAreInTheHelp() {
        #expect(HelpText.lines.contains { $0.contains("sign in to the account typed") })
        #expect(HelpText.lines.contains { $0.contains("stop waiting for the sign-in") })
    }
}
