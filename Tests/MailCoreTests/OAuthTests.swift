import Foundation
import Testing
@testable import MailCore
@testable import MailOAuth
@testable import MailDiagnosis
import TestSupport

/// The pure parts of the OAuth2 sign-in: PKCE, the authority's replies and errors in words, the
/// id_token's user, the store's permissions, and what a refused login at AUTH now means.
@Suite struct OAuthTests {
    @Test func pkceChallengeIsTheBase64urlSHA256OfTheVerifier() {
        // Computed independently with Python's hashlib and base64.urlsafe_b64encode.
        #expect(PKCE.challenge(for: "dBjftJeZ4CVP-mJ0kBkBbLsH4-tl_XTM4_1-Q5O3lg0") == "riOZSKfhiqCW4n6iIU-khL-5qkbMIOqBCl4cAMSXwuw")
        let made = PKCE()
        #expect(made.verifier.count == 43 && made.verifier.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
        #expect(PKCE().verifier != made.verifier)
    }

    @Test func endpointsKeepTheProvidersPathsUnderAnotherAuthority() {
        let ms = OAuthProvider.microsoft.endpoints(authority: "https://login.microsoftonline.us/", tenant: nil)
        #expect(ms.deviceCode == "https://login.microsoftonline.us/organizations/oauth2/v2.0/devicecode")
        #expect(ms.token == "https://login.microsoftonline.us/organizations/oauth2/v2.0/token")
        let google = OAuthProvider.google.endpoints(authority: nil, tenant: nil)
        #expect(google.authorize == "https://accounts.google.com/o/oauth2/v2/auth" && google.token == "https://oauth2.googleapis.com/token")
        #expect(OAuthHTTP.problem(with: "http://login.example.com") != nil, "plain http to another machine is refused")
        #expect(OAuthHTTP.problem(with: "http://127.0.0.1:8080") == nil && OAuthHTTP.problem(with: "http://[::1]:80/x") == nil)
        #expect(OAuthHTTP.problem(with: "http://127.0.0.1.example.com") != nil)
    }

    /// A tenant is spliced into the token URL's path: only a name, an ID or a domain may be one,
    /// and an account file holding another is unusable, not followed.
    @Test func aTenantIsANameNotAPath() throws {
        for good in ["organizations", "common", "contoso.onmicrosoft.com", "72f988bf-86f1-41af-91ab-2d7cd011db47"] { #expect(OAuthProvider.isTenant(good), "\(good)") }
        for bad in ["../../../x?y=", "a/b", "", "x y", ".hidden", "a..b", "t%2F"] { #expect(!OAuthProvider.isTenant(bad), "\(bad)") }
        let planted = Data(#"{"account":"w","provider":"microsoft","tenant":"../../x?y=","clientId":"c","accessToken":"a","expiresAt":1}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(OAuthAccount.self, from: planted) }
    }

    @Test func theHTTPDateIsReadAsSecondsSince1970() {
        #expect(HTTPDate.seconds("Sun, 06 Nov 1994 08:49:37 GMT") == 784111777)
        #expect(HTTPDate.seconds("Sat, 05 Dec 2026 06:00:00 GMT") == 1796450400)
        #expect(HTTPDate.seconds("yesterday") == nil)
        #expect(ClockSkew.note(local: 1000, remote: 1030, remoteName: "the authority") == nil)
        #expect(ClockSkew.note(local: 1000, remote: 1300, remoteName: "the authority")?.contains("5 minutes behind the authority's") == true)
    }

    @Test func theLoginNameComesFromTheIDToken() {
        func jwt(_ claims: String) -> String {
            "eyJhbGciOiJSUzI1NiJ9." + Base64.encode(Array(claims.utf8)).replacing("=", with: "").replacing("+", with: "-").replacing("/", with: "_") + ".c2ln"
        }
        #expect(IDToken.loginName(jwt(#"{"preferred_username":"ada@contoso.com","email":"x@y"}"#)) == "ada@contoso.com")
        #expect(IDToken.loginName(jwt(#"{"email":"bob@gmail.com"}"#)) == "bob@gmail.com")
        #expect(IDToken.loginName(jwt(#"{"email":"bad\u0001name"}"#)) == nil, "a control character never reaches the SASL message")
        #expect(IDToken.loginName("not.a.jwt") == nil)
    }

    /// Each error the issue names, as Microsoft and Google word it, in words with what to do.
    @Test(arguments: [
        (#"{"error":"invalid_grant","error_description":"AADSTS50076: Due to a configuration change...","error_codes":[50076]}"#, "multi-factor authentication is required"),
        (#"{"error":"invalid_grant","error_description":"AADSTS50079: ...","error_codes":[50079]}"#, "multi-factor authentication is required"),
        (#"{"error":"invalid_grant","error_description":"AADSTS65001: The user or administrator has not consented","error_codes":[65001],"suberror":"consent_required"}"#, "An administrator must consent"),
        (#"{"error":"unauthorized_client","error_description":"AADSTS700016: Application with identifier 'x' was not found","error_codes":[700016]}"#, "was not found in this tenant"),
        (#"{"error":"invalid_client","error_description":"AADSTS7000218: The request body must contain ...","error_codes":[7000218]}"#, "Allow public client flows"),
        (#"{"error":"expired_token","error_description":"Bad Request"}"#, "the device code expired"),
        (#"{"error":"access_denied","error_description":"Forbidden"}"#, "the sign-in was declined"),
        (#"{"error":"invalid_grant","error_description":"Token has been expired or revoked."}"#, "Sign in again: mailtui oauth login --provider microsoft --account work"),
        (#"{"error":"invalid_client","error_description":"The OAuth client was not found."}"#, "does not know this client"),
    ])
    func authorityErrorsAreSaidInWords(body: String, words: String) {
        let error = AuthorityReplyReader.error(AuthorityReply(status: 400, body: Array(body.utf8), date: nil), stage: .refresh,
                                               login: "mailtui oauth login --provider microsoft --account work --client-id c")
        #expect(error.description.contains(words), "\(error)")
        #expect(error.description.hasPrefix("refresh failed: "))
    }

    @Test func theStoreKeepsTokensPrivateAndRefusesWiderPermissions() throws {
        let folder = TestPaths.temporaryDirectory("mailtui-oauth-store") + "/mailtui/oauth"
        let store = TokenStore(directory: folder)
        let grant = try JSONDecoder().decode(TokenGrant.self, from: Data(#"{"access_token":"at","token_type":"Bearer","expires_in":3600,"refresh_token":"rt"}"#.utf8))
        let request = SignInRequest(provider: .microsoft, account: "work", clientID: "c")
        try store.save(OAuthAccount(request: request, result: SignInResult(grant: grant, receivedAt: 1000, authorityDate: nil), user: "ada@contoso.com", refreshStore: .file))
        let file = try FileManager.default.attributesOfItem(atPath: store.path(of: "work"))
        let dir = try FileManager.default.attributesOfItem(atPath: folder)
        #expect((file[.posixPermissions] as? Int) == 0o600)
        #expect((dir[.posixPermissions] as? Int) == 0o700)
        #expect(try store.load("work").refreshToken == "rt")
        chmod(store.path(of: "work"), 0o644)
        #expect(throws: OAuthError.self) { try store.load("work") }
        do { _ = try store.load("work") } catch { #expect(error.reason.contains("chmod 600"), "\(error)") }
        chmod(store.path(of: "work"), 0o600)
        chmod(folder, 0o755)
        #expect(throws: OAuthError.self) { try store.load("work") }
        chmod(folder, 0o700)
        #expect(TokenStore.problem(withName: "../etc") != nil && TokenStore.problem(withName: "ada@contoso.com") == nil)
    }

    /// A second refresher waits for the first only so long, and the lock file is never reached
    /// through a link that another user (or a mistake) put in its place.
    @Test func theRefreshLockHasADeadlineAndFollowsNoLink() throws {
        let folder = TestPaths.temporaryDirectory("mailtui-oauth-lock") + "/mailtui/oauth"
        let store = TokenStore(directory: folder)
        let grant = try JSONDecoder().decode(TokenGrant.self, from: Data(#"{"access_token":"at","token_type":"Bearer","expires_in":60,"refresh_token":"rt"}"#.utf8))
        // Nothing listens on port 1: were the lock skipped, the refresh would fail otherwise.
        let request = SignInRequest(provider: .microsoft, account: "work", clientID: "c", authority: "http://127.0.0.1:1")
        try store.save(OAuthAccount(request: request, result: SignInResult(grant: grant, receivedAt: Int(time(nil)), authorityDate: nil), user: nil, refreshStore: .file))
        let keeper = TokenKeeper(store: store, useSecretService: false, lockWait: .seconds(1))
        let lockPath = keeper.lockPath(of: "work")
        #expect(lockPath == folder + "/work.lock")

        let held = open(lockPath, O_RDWR | O_CREAT, 0o600)
        #expect(held >= 0 && flock(held, LOCK_EX) == 0, "another process holds the lock")
        let start = ContinuousClock.now
        do {
            _ = try keeper.fresh("work")
            Issue.record("the lock is held: the refresh must give up at its deadline")
        } catch {
            #expect(error.stage == .refresh && error.reason.hasPrefix("another mailtui has been refreshing the token of work for over 1 s"), "\(error)")
        }
        #expect(ContinuousClock.now - start < .seconds(30), "the wait has a deadline")
        close(held)

        unlink(lockPath)
        let elsewhere = TestPaths.temporaryDirectory("mailtui-oauth-lock") + "/elsewhere"
        try Data("keep".utf8).write(to: URL(fileURLWithPath: elsewhere))
        #expect(symlink(elsewhere, lockPath) == 0)
        do {
            _ = try keeper.fresh("work")
            Issue.record("a lock file that is a link must be refused")
        } catch {
            #expect(error.stage == .storage && error.reason.contains("symbolic link"), "\(error)")
        }
        #expect(try String(contentsOfFile: elsewhere, encoding: .utf8) == "keep")
    }

    /// The token file is written camelCase, as every JSON file mailtui writes; a file an older
    /// mailtui wrote in snake_case still loads, so nobody has to sign in again.
    @Test func tokenFilesAreCamelCaseAndOlderSnakeCaseFilesStillLoad() throws {
        let folder = TestPaths.temporaryDirectory("mailtui-oauth-keys") + "/mailtui/oauth"
        let store = TokenStore(directory: folder)
        let grant = try JSONDecoder().decode(TokenGrant.self, from: Data(#"{"access_token":"at","token_type":"Bearer","expires_in":3600,"refresh_token":"rt"}"#.utf8))
        let request = SignInRequest(provider: .microsoft, account: "work", clientID: "c")
        let account = OAuthAccount(request: request, result: SignInResult(grant: grant, receivedAt: 1000, authorityDate: nil), user: "ada@contoso.com", refreshStore: .file)
        try store.save(account)
        let written = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: store.path(of: "work")))) as? [String: Any])
        #expect(Set(written.keys) == ["account", "provider", "user", "clientID", "accessToken", "expiresAt", "refreshStore", "refreshToken"], "\(written.keys)")
        #expect(try store.load("work") == account)
        let older = #"{"account":"old","provider":"google","client_id":"c2","client_secret":"s","access_token":"at2","expires_at":5,"refresh_store":"file","refresh_token":"rt2"}"#
        try Data(older.utf8).write(to: URL(fileURLWithPath: store.path(of: "old")))
        chmod(store.path(of: "old"), 0o600)
        let read = try store.load("old")
        #expect(read.clientID == "c2" && read.clientSecret == "s" && read.accessToken == "at2" && read.expiresAt == 5 && read.refreshStore == .file && read.refreshToken == "rt2")
    }

    /// A password refused with 550 5.7.30 says Basic authentication is off and gives the exact
    /// sign-in command; a token refused says the token was refused and what to check.
    @Test func aRefusedLoginPointsToTheSignInOrToTheToken() {
        let reply = ServerReply(code: 550, lines: ["5.7.30 Basic authentication is not supported for Client Submission."])
        var e = FailureEvidence(curlCode: 67, curlMessage: "Login denied", stage: .auth,
                                settings: ServerSettings(host: "smtp.office365.com", port: 587, security: .starttls, username: "ada@contoso.com"))
        let provider = Provider.named("microsoft365")
        let words = Diagnosis.explainKnowing(kind: .authFailed, stage: .auth, reply: reply, evidence: e, provider: provider)
        #expect(words.advice == "microsoft-basic-auth-off")
        #expect(words.suggestions.first == "Basic authentication is off for this account: sign in with OAuth2: mailtui oauth login --provider microsoft --account ada@contoso.com --client-id YOUR-APP-ID, then send with --oauth ada@contoso.com (the README says how to register the app).")
        let gmail = ServerReply(code: 534, lines: ["5.7.9 Application-specific password required."])
        let google = Diagnosis.explainKnowing(kind: .authAppPasswordRequired, stage: .auth, reply: gmail, evidence: e, provider: Provider.named("gmail"))
        #expect(google.suggestions.contains { $0.contains("mailtui oauth login --provider google") }, "\(google.suggestions)")
        let microsoft578 = Diagnosis.explainKnowing(kind: .authFailed, stage: .auth, reply: ServerReply(code: 535, lines: ["5.7.8 Error: authentication failed"]),
                                                    evidence: e, provider: provider)
        #expect(microsoft578.suggestions.contains { $0.hasPrefix("If the password is right: Basic authentication is off for this account: sign in with OAuth2: mailtui oauth login --provider microsoft") },
                "\(microsoft578.suggestions)")
        let elsewhere = Diagnosis.explainKnowing(kind: .authFailed, stage: .auth, reply: ServerReply(code: 535, lines: ["5.7.8 Error: authentication failed"]),
                                                 evidence: e, provider: nil)
        #expect(!elsewhere.suggestions.joined().contains("oauth login"), "Postfix's 535 5.7.8 is a wrong password, not Basic auth off")
        e.settings.oauthAccount = "work"
        let token = Diagnosis.explainKnowing(kind: .authFailed, stage: .auth, reply: ServerReply(code: 535, lines: ["5.7.3 Authentication unsuccessful"]),
                                             evidence: e, provider: provider)
        #expect(token.advice == "oauth-token-refused")
        #expect(token.explanation.hasPrefix("The token was refused"))
        let checks = token.suggestions.joined(separator: "\n")
        #expect(checks.contains("SMTP.Send") && checks.contains("SMTP AUTH must be enabled for the mailbox") && checks.contains("--user must match the token's user"))
    }
}
