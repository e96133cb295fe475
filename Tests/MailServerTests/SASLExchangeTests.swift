import MailCore
@testable import MailServer
import Testing

/// The SASL mechanisms as values: each step and verdict, without a socket.
@Suite struct SASLExchangeTests {
    let users = ["ann": "secret"]

    func b64(_ text: String) -> String { Base64.encode(Array(text.utf8)) }

    @Test func plainWithAnInitialResponseIsJudgedAtOnce() throws {
        let good = try #require(SASLExchange.start(mechanism: "plain", initial: b64("\0ann\0secret"), users: users, cramChallenge: ""))
        #expect(good.step == .accepted(user: "ann"))
        let bad = try #require(SASLExchange.start(mechanism: "PLAIN", initial: b64("\0ann\0wrong"), users: users, cramChallenge: ""))
        #expect(bad.step == .refused)
        let malformed = try #require(SASLExchange.start(mechanism: "PLAIN", initial: b64("ann secret"), users: users, cramChallenge: ""))
        #expect(malformed.step == .refused)
    }

    @Test func plainWithoutAnInitialResponseAsksForIt() throws {
        var (exchange, step) = try #require(SASLExchange.start(mechanism: "PLAIN", initial: nil, users: users, cramChallenge: ""))
        #expect(step == .challenge(""))
        #expect(exchange.respond(b64("\0ann\0secret")) == .accepted(user: "ann"))
    }

    @Test func loginAsksForTheUserThenThePassword() throws {
        var (exchange, step) = try #require(SASLExchange.start(mechanism: "LOGIN", initial: nil, users: users, cramChallenge: ""))
        #expect(step == .challenge(b64("Username:")))
        #expect(exchange.respond(b64("ann")) == .challenge(b64("Password:")))
        #expect(exchange.waiting == .loginPassword(user: "ann"))
        #expect(exchange.respond(b64("secret")) == .accepted(user: "ann"))

        var (withUser, first) = try #require(SASLExchange.start(mechanism: "LOGIN", initial: b64("ann"), users: users, cramChallenge: ""))
        #expect(first == .challenge(b64("Password:")))
        #expect(withUser.respond(b64("nope")) == .refused)
    }

    @Test func cramMD5ChecksTheDigestOfItsChallenge() throws {
        let challenge = "<1.2@mailtui.localhost>"
        var (exchange, step) = try #require(SASLExchange.start(mechanism: "CRAM-MD5", initial: nil, users: users, cramChallenge: challenge))
        #expect(step == .challenge(b64(challenge)))
        // RFC 2195's HMAC-MD5 of this challenge keyed with "secret", computed independently
        // (python3 -c 'import hmac; print(hmac.new(b"secret", b"<1.2@mailtui.localhost>", "md5").hexdigest())').
        let digest = "7b035d06fca51dbb33fd4cd6b07d75d2"
        var copy = exchange
        #expect(exchange.respond(b64("ann " + digest.uppercased())) == .accepted(user: "ann"))
        #expect(copy.respond(b64("ann 00000000000000000000000000000000")) == .refused)
    }

    @Test func xoauth2TakesTheBearerToken() throws {
        let initial = b64("user=ann\u{1}auth=Bearer secret\u{1}\u{1}")
        #expect(try #require(SASLExchange.start(mechanism: "XOAUTH2", initial: initial, users: users, cramChallenge: "")).step == .accepted(user: "ann"))
        let wrong = b64("user=ann\u{1}auth=Bearer other\u{1}\u{1}")
        #expect(try #require(SASLExchange.start(mechanism: "XOAUTH2", initial: wrong, users: users, cramChallenge: "")).step == .refused)
    }

    @Test func anyLoginIsTakenWhenNoUsersAreSet() throws {
        #expect(try #require(SASLExchange.start(mechanism: "PLAIN", initial: b64("\0who\0ever"), users: [:], cramChallenge: "")).step == .accepted(user: "who"))
        var (cram, _) = try #require(SASLExchange.start(mechanism: "CRAM-MD5", initial: nil, users: [:], cramChallenge: "<c>"))
        #expect(cram.respond(b64("who 0123")) == .accepted(user: "who"))
    }

    @Test func aStarCancelsAndAnUnknownMechanismIsRefused() throws {
        var (exchange, _) = try #require(SASLExchange.start(mechanism: "LOGIN", initial: nil, users: users, cramChallenge: ""))
        #expect(exchange.respond(" * ") == .cancelled)
        #expect(SASLExchange.start(mechanism: "GSSAPI", initial: nil, users: users, cramChallenge: "") == nil)
    }

    /// With `--oauth-token`, XOAUTH2 and OAUTHBEARER take only that user's token, not the password.
    @Test func tokenMechanismsTakeOnlyTheGivenToken() throws {
        let tokens = ["ann@example.com": "tok-1"]
        func xoauth2(_ user: String, _ token: String) -> String { b64("user=\(user)\u{1}auth=Bearer \(token)\u{1}\u{1}") }
        func bearer(_ user: String, _ token: String) -> String { b64("n,a=\(user),\u{1}host=127.0.0.1\u{1}port=587\u{1}auth=Bearer \(token)\u{1}\u{1}") }
        let start = { (mechanism: String, initial: String) in SASLExchange.start(mechanism: mechanism, initial: initial, users: users, tokens: tokens, cramChallenge: "")?.step }
        #expect(start("XOAUTH2", xoauth2("ann@example.com", "tok-1")) == .accepted(user: "ann@example.com"))
        #expect(start("OAUTHBEARER", bearer("ann@example.com", "tok-1")) == .accepted(user: "ann@example.com"))
        #expect(start("XOAUTH2", xoauth2("ann@example.com", "tok-2")) == .refused)
        #expect(start("OAUTHBEARER", bearer("bob@example.com", "tok-1")) == .refused, "the user must match the token")
        #expect(start("XOAUTH2", xoauth2("ann", "secret")) == .refused, "a password is no token")
        #expect(start("OAUTHBEARER", b64("garbage")) == .refused)
        // OAUTHBEARER's user has , and = escaped (RFC 5801).
        let escaped = SASLExchange.start(mechanism: "OAUTHBEARER", initial: bearer("a=3Db=2Cc", "t"), users: [:], tokens: ["a=b,c": "t"], cramChallenge: "")
        #expect(escaped?.step == .accepted(user: "a=b,c"))
        var (exchange, step) = try #require(SASLExchange.start(mechanism: "OAUTHBEARER", initial: nil, users: users, tokens: tokens, cramChallenge: ""))
        #expect(step == .challenge(""))
        #expect(exchange.respond(bearer("ann@example.com", "tok-1")) == .accepted(user: "ann@example.com"))
        #expect(SASLExchange.offered.hasSuffix("XOAUTH2 OAUTHBEARER"))
    }

    /// For a gate that decides logins: the exchange finishes whatever the users say, and hands
    /// over what was proved with the users' own verdict; CRAM-MD5 proves nothing to replay.
    @Test func aHandedOverExchangeEndsInWhatTheClientProved() throws {
        let plain = try #require(SASLExchange.start(mechanism: "PLAIN", initial: b64("\0ann\0wrong"), users: users, handsOver: true, cramChallenge: ""))
        #expect(plain.step == .proved(mechanism: "PLAIN", user: "ann", secret: "wrong", usersAccept: false))
        var (login, _) = try #require(SASLExchange.start(mechanism: "LOGIN", initial: nil, users: users, handsOver: true, cramChallenge: ""))
        _ = login.respond(b64("ann"))
        #expect(login.respond(b64("secret")) == .proved(mechanism: "LOGIN", user: "ann", secret: "secret", usersAccept: true))
        let token = b64("user=ann\u{1}auth=Bearer ya29.token\u{1}\u{1}")
        let xoauth2 = try #require(SASLExchange.start(mechanism: "XOAUTH2", initial: token, users: users, handsOver: true, cramChallenge: ""))
        #expect(xoauth2.step == .proved(mechanism: "XOAUTH2", user: "ann", secret: "ya29.token", usersAccept: false))
        #expect(SASLExchange.start(mechanism: "CRAM-MD5", initial: nil, users: users, handsOver: true, cramChallenge: "") == nil)
        let malformed = try #require(SASLExchange.start(mechanism: "PLAIN", initial: b64("ann secret"), users: users, handsOver: true, cramChallenge: ""))
        #expect(malformed.step == .refused)
    }
}
