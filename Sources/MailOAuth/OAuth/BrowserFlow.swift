/// The installed-app sign-in (RFC 8252) with PKCE (RFC 7636): the user signs in with a browser on
/// this machine, which the authority sends back to a one-shot listener on 127.0.0.1 with a code;
/// the code and the PKCE verifier buy the tokens.
public enum BrowserFlow {
    /// How long the user has to sign in in the browser.
    public static let waitSeconds = 600

    /// Runs the sign-in. `show` gets the URL to open (the caller prints it, and may start
    /// `xdg-open`); it is called once the listener is ready.
    public static func signIn(_ request: SignInRequest, wait: Int = waitSeconds, show: (String) -> Void) throws(OAuthError) -> SignInResult {
        let listener = try LoopbackListener()
        let pkce = PKCE()
        let state = RandomToken.hex(bytes: 16)
        let query: [(String, String)] = [
            ("client_id", request.clientID), ("response_type", "code"), ("redirect_uri", listener.redirectURI),
            ("scope", request.provider.scope), ("state", state), ("code_challenge", pkce.challenge),
            ("code_challenge_method", PKCE.method),
        ] + (request.provider == .google ? [("access_type", "offline"), ("prompt", "consent")] : [])
        show(request.endpoints.authorize + "?" + OAuthHTTP.formEncoded(query))
        guard let answer = listener.awaitRedirect(deadline: ClockSkew.now + wait) else {
            throw OAuthError(stage: .redirect, reason: "no sign-in came back from the browser within \(wait / 60) minutes",
                             hint: "Open the URL in a browser on this machine (the redirect goes to 127.0.0.1), or use --flow device")
        }
        if let error = answer["error"] {
            throw AuthorityError(error: error, errorDescription: answer["error_description"], errorCodes: nil).explained(stage: .redirect, login: request.loginCommand)
        }
        guard answer["state"] == state, let code = answer["code"] else {
            throw OAuthError(stage: .redirect, reason: "the browser came back with a state that is not this sign-in's (a stale tab, or another page calling the listener)",
                             hint: "Run the sign-in again and use the newest URL")
        }
        let form = request.clientFields + [("grant_type", "authorization_code"), ("code", code), ("redirect_uri", listener.redirectURI),
                                           ("code_verifier", pkce.verifier)]
        let reply = try OAuthHTTP.post(request.endpoints.token, form: form)
        let grant = try AuthorityReplyReader.grant(reply, stage: .codeExchange, login: request.loginCommand)
        return SignInResult(grant: grant, receivedAt: ClockSkew.now, authorityDate: reply.date)
    }
}
