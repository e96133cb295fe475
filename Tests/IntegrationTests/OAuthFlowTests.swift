import Foundation
import Synchronization
import Testing
@testable import MailCore
import TestSupport

/// The sign-in flows through real libcurl against a fake authority speaking Microsoft's and
/// Google's protocol (Tests/Support/oauth_authority.py): device codes pending then approved,
/// slow_down, the browser flow with PKCE, refresh, revocation, and every error the issue names.
@Suite struct OAuthFlowTests {
    init() { CurlRuntime.initialize() }

    func request(_ authority: FakeAuthority, provider: OAuthProvider = .microsoft, secret: String? = nil) -> SignInRequest {
        SignInRequest(provider: provider, account: "work", clientID: FakeAuthority.clientID, clientSecret: secret, authority: authority.url)
    }

    /// Polls at the interval given, adds 5 s for each slow_down (RFC 8628 3.5), and stops when approved.
    @Test func theDeviceFlowWaitsThroughPendingAndSlowDown() throws {
        let authority = try FakeAuthority(["--pending", "2", "--slow-down"])
        defer { authority.stop() }
        let r = request(authority)
        let authorization = try DeviceCodeFlow.start(r)
        #expect(authorization.verificationURI == "https://microsoft.com/devicelogin" && authorization.userCode.hasPrefix("ABCD-"))
        var waits: [Int] = []
        let result = try DeviceCodeFlow.poll(r, authorization, wait: { waits.append($0) })
        #expect(waits == [1, 6, 6, 6], "one slow_down, two pending, then approved: \(waits)")
        #expect(result.grant.accessToken == authority.currentToken)
        #expect(result.grant.loginName == "ada@example.com")
        #expect(result.grant.refreshToken != nil)
        #expect(authority.log.contains("devicecode scope=https://outlook.office.com/SMTP.Send offline_access"))
    }

    @Test func googlesDeviceFlowReadsVerificationURL() throws {
        let authority = try FakeAuthority(["--provider", "google", "--pending", "0"])
        defer { authority.stop() }
        let r = request(authority, provider: .google)
        let authorization = try DeviceCodeFlow.start(r)
        #expect(authorization.verificationURI == "https://www.google.com/device")
        let result = try DeviceCodeFlow.poll(r, authorization, wait: { _ in })
        #expect(result.grant.loginName == "ada@example.com")
    }

    /// Every error of the issue, from the authority's real JSON, said in words.
    @Test(arguments: [
        (["--approval", "expired_token"], "the device code expired"),
        (["--approval", "authorization_declined"], "the sign-in was declined"),
        (["--approval", "AADSTS50076"], "multi-factor authentication is required for this account (AADSTS50076)"),
        (["--approval", "AADSTS50079"], "multi-factor authentication is required for this account (AADSTS50079)"),
        (["--token-error", "AADSTS65001"], "An administrator must consent"),
        (["--token-error", "AADSTS700016"], "was not found in this tenant (AADSTS700016)"),
        (["--token-error", "AADSTS7000218"], "Allow public client flows to Yes"),
        (["--token-error", "invalid_client"], "does not know this client"),
        (["--provider", "google", "--approval", "access_denied"], "the sign-in was declined (access_denied)"),
        (["--provider", "google", "--device-error", "invalid_scope"], "Google refuses the mail scope in the device flow"),
    ])
    func authorityErrorsAreExplained(options: [String], words: String) throws {
        let authority = try FakeAuthority(options + ["--pending", "1"])
        defer { authority.stop() }
        let r = request(authority, provider: options.contains("google") ? .google : .microsoft)
        do {
            let authorization = try DeviceCodeFlow.start(r)
            _ = try DeviceCodeFlow.poll(r, authorization, wait: { _ in })
            Issue.record("the sign-in should have failed (\(options))")
        } catch {
            #expect(error.description.contains(words), "\(error)")
            #expect(!error.description.contains("authorization_pending"), "pending is handled, not shown")
        }
    }

    /// The browser flow: the listener on 127.0.0.1 takes the redirect, the code and the PKCE
    /// verifier buy the tokens (the authority checks the S256 challenge).
    @Test func theBrowserFlowUsesPKCEAndTheLoopbackRedirect() throws {
        let authority = try FakeAuthority(["--provider", "google", "--client-secret", "desktop-secret"])
        defer { authority.stop() }
        var shown = ""
        let result = try BrowserFlow.signIn(request(authority, provider: .google, secret: "desktop-secret"), wait: 60) { url in
            shown = url
            // The "browser": follows the authority's redirect to the listener.
            Thread.detachNewThread { _ = try? Program.run("/usr/bin/curl", ["-s", "-L", "--max-time", "30", url]) }
        }
        #expect(shown.hasPrefix(authority.url + "/o/oauth2/v2/auth?client_id=test-client-id&response_type=code&redirect_uri=http%3A%2F%2F127.0.0.1%3A"))
        #expect(shown.contains("code_challenge_method=S256") && shown.contains("scope=https%3A%2F%2Fmail.google.com%2F"))
        #expect(authority.log.contains("pkce ok"), "\(authority.log)")
        #expect(result.grant.accessToken == authority.currentToken && result.grant.loginName == "ada@example.com")
    }

    /// Within 5 minutes of expiry the token is refreshed and stored back (Microsoft's rotated
    /// refresh token too); a revoked refresh token says to sign in again.
    @Test func refreshNearExpiryThenRevocation() throws {
        let authority = try FakeAuthority(["--pending", "0", "--expires-in", "240"])
        defer { authority.stop() }
        let keeper = TokenKeeper(store: TokenStore(directory: TestPaths.temporaryDirectory("mailtui-oauth") + "/oauth"), useSecretService: false)
        let r = request(authority)
        let first = try DeviceCodeFlow.poll(r, try DeviceCodeFlow.start(r), wait: { _ in })
        let (account, note) = try keeper.signedIn(r, first, user: nil)
        #expect(note.contains("mode 0600"))
        #expect(account.user == "ada@example.com" && account.refreshStore == .file)
        let fresh = try keeper.fresh("work")
        #expect(fresh.refreshed, "240 s left is within the 5-minute margin")
        #expect(fresh.account.accessToken == authority.currentToken && fresh.account.accessToken != first.grant.accessToken)
        #expect(fresh.account.refreshToken != account.refreshToken, "Microsoft's rotated refresh token is kept")
        #expect(try keeper.store.load("work") == fresh.account)
        authority.revokeRefreshTokens()
        do {
            _ = try keeper.fresh("work")
            Issue.record("a revoked refresh token must fail")
        } catch {
            #expect(error.stage == .refresh && error.aadsts == 50173)
            #expect(error.description.contains("Sign in again: mailtui oauth login --provider microsoft --account work"), "\(error)")
        }
    }

    /// Two processes (two cron sendmails) whose token expired at once: the second waits for the
    /// first's refresh and uses the token it stored, so that Microsoft's rotated refresh token is
    /// spent once and neither account is left with a dead one.
    @Test func twoRefreshersAtOnceRefreshOnceAndBothGetTheNewToken() throws {
        let authority = try FakeAuthority(["--pending", "0", "--refresh-delay", "1.5"])
        defer { authority.stop() }
        let folder = TestPaths.temporaryDirectory("mailtui-oauth") + "/oauth"
        let r = request(authority)
        var signedIn = try TokenKeeper(store: TokenStore(directory: folder), useSecretService: false)
            .signedIn(r, try DeviceCodeFlow.poll(r, try DeviceCodeFlow.start(r), wait: { _ in }), user: nil).0
        // The hour is up: both processes find it expired.
        signedIn.expiresAt = Int(Date().timeIntervalSince1970) - 10
        try TokenStore(directory: folder).save(signedIn)
        let results = Mutex<[Result<TokenKeeper.Fresh, OAuthError>]>([])
        let group = DispatchGroup()
        for _ in 0..<2 {
            group.enter()
            Thread.detachNewThread {
                // Each its own keeper, as two processes would have.
                let keeper = TokenKeeper(store: TokenStore(directory: folder), useSecretService: false)
                let result = Result { () throws(OAuthError) in try keeper.fresh("work") }
                results.withLock { $0.append(result) }
                group.leave()
            }
        }
        #expect(group.wait(timeout: .now() + 120) == .success)
        let fresh = try results.withLock { try $0.map { try $0.get() } }
        #expect(authority.log.components(separatedBy: "grant=refresh_token").count - 1 == 1, "one refresh reached the authority: \(authority.log)")
        #expect(fresh.count == 2 && fresh.allSatisfy { $0.account.accessToken == authority.currentToken }, "\(fresh.map(\.account.accessToken))")
        #expect(fresh.filter(\.refreshed).count == 1)
        let stored = try TokenStore(directory: folder).load("work")
        #expect(stored.accessToken == authority.currentToken && stored.refreshToken == fresh.first { $0.refreshed }?.account.refreshToken)
        // The lock file: the user's alone, next to the token file.
        let lock = try FileManager.default.attributesOfItem(atPath: folder + "/work.lock")
        #expect((lock[.posixPermissions] as? Int) == 0o600 && (lock[.type] as? FileAttributeType) == .typeRegular)
    }

    @Test func aTokenFarFromExpiryIsNotRefreshedAndAClockOffIsSaid() throws {
        let authority = try FakeAuthority(["--pending", "0", "--skew", "600"])
        defer { authority.stop() }
        let keeper = TokenKeeper(store: TokenStore(directory: TestPaths.temporaryDirectory("mailtui-oauth") + "/oauth"), useSecretService: false)
        let r = request(authority)
        let result = try DeviceCodeFlow.poll(r, try DeviceCodeFlow.start(r), wait: { _ in })
        #expect(result.clockNote?.contains("10 minutes behind the authority's") == true, "\(result.clockNote ?? "no note")")
        _ = try keeper.signedIn(r, result, user: nil)
        #expect(try keeper.fresh("work").refreshed == false)
        #expect(!authority.log.contains("grant=refresh_token"))
    }

    /// A hostile authority's endless reply is cut at the limit, never read whole.
    @Test func aHugeReplyIsCutAtTheLimit() throws {
        let authority = try FakeAuthority(["--huge", String(8 << 20)])
        defer { authority.stop() }
        do {
            _ = try DeviceCodeFlow.start(request(authority))
            Issue.record("an 8 MiB reply must be refused")
        } catch {
            #expect(error.stage == .request && error.reason.contains("passed 1024 KiB"), "\(error)")
        }
    }
}
