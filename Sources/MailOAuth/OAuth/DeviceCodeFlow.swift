#if canImport(Glibc)
import Glibc
#endif

/// RFC 8628 sign-in: the authority gives a short code, the user types it into a web page on any
/// device, and mailtui polls the token endpoint at the interval the authority asks for.
public struct DeviceAuthorization: Decodable, Sendable, Equatable {
    public var deviceCode: String
    public var userCode: String
    /// RFC 8628's `verification_uri`; Google calls it `verification_url`.
    public var verificationURI: String
    public var expiresIn: Int
    /// Seconds between polls; RFC 8628 says 5 when absent.
    public var interval: Int
    /// Microsoft's ready-made sentence for the user.
    public var message: String?

    enum CodingKeys: String, CodingKey {
        case deviceCode = "device_code", userCode = "user_code", verificationURI = "verification_uri"
        case verificationURL = "verification_url", expiresIn = "expires_in", interval, message
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        deviceCode = try c.decode(String.self, forKey: .deviceCode)
        userCode = try c.decode(String.self, forKey: .userCode)
        verificationURI = try c.decodeIfPresent(String.self, forKey: .verificationURI) ?? c.decode(String.self, forKey: .verificationURL)
        expiresIn = try c.decode(Int.self, forKey: .expiresIn)
        interval = try c.decodeIfPresent(Int.self, forKey: .interval) ?? 5
        message = try c.decodeIfPresent(String.self, forKey: .message)
    }
}

public enum DeviceCodeFlow {
    /// The longest mailtui waits for an approval, whatever the authority says (15 minutes is usual).
    public static let longestWait = 3600
    /// RFC 8628 section 3.5: each slow_down adds 5 seconds to the interval.
    public static let slowDownStep = 5
    static let grantType = "urn:ietf:params:oauth:grant-type:device_code"

    /// Asks for a device code and a user code.
    public static func start(_ request: SignInRequest) throws(OAuthError) -> DeviceAuthorization {
        let reply = try OAuthHTTP.post(request.endpoints.deviceCode, form: request.clientFields + [("scope", request.provider.scope)])
        if reply.status == 200, let authorization = try? JSONDecoder().decode(DeviceAuthorization.self, from: Data(reply.body)) {
            return authorization
        }
        throw AuthorityReplyReader.error(reply, stage: .deviceCode, login: request.loginCommand)
    }

    /// Polls until the user approves, declines, or the code expires. `wait` sleeps the given
    /// seconds (tests pass one that only counts); `now` is the clock.
    public static func poll(_ request: SignInRequest, _ authorization: DeviceAuthorization,
                            wait: (Int) -> Void = { seconds in _ = sleep(UInt32(seconds)) },
                            now: () -> Int = { ClockSkew.now }) throws(OAuthError) -> SignInResult {
        let deadline = now() + min(max(authorization.expiresIn, 1), longestWait)
        var interval = min(max(authorization.interval, 1), 60)
        let form = request.clientFields + [("grant_type", grantType), ("device_code", authorization.deviceCode)]
        while true {
            wait(interval)
            if now() >= deadline {
                throw AuthorityError(error: "expired_token", errorDescription: nil, errorCodes: nil).explained(stage: .approval, login: request.loginCommand)
            }
            let reply = try OAuthHTTP.post(request.endpoints.token, form: form)
            let received = now()
            if reply.status == 200 {
                let grant = try AuthorityReplyReader.grant(reply, stage: .approval, login: request.loginCommand)
                return SignInResult(grant: grant, receivedAt: received, authorityDate: reply.date)
            }
            let error = try? JSONDecoder().decode(AuthorityError.self, from: Data(reply.body))
            switch error?.error {
            case "authorization_pending": continue
            case "slow_down": interval = min(interval + slowDownStep, 60)
            default: throw AuthorityReplyReader.error(reply, stage: .approval, login: request.loginCommand)
            }
        }
    }
}
