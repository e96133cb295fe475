/// A sign-in or refresh that failed: at which step, what the authority said (its error code and
/// AADSTS number kept as they came), and what to do.
public struct OAuthError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The step of the sign-in that failed.
    public enum Stage: String, Sendable, Equatable {
        /// Reaching the authority (network, TLS, URL).
        case request
        /// Asking for a device code.
        case deviceCode = "device code"
        /// Waiting for the user to approve.
        case approval
        /// Exchanging the browser's code for tokens.
        case codeExchange = "code exchange"
        /// Using the refresh token.
        case refresh
        /// Reading or writing the stored account.
        case storage
        /// The loopback listener the browser returns to.
        case redirect
    }

    public var stage: Stage
    /// The authority's error code (`invalid_grant`), when it gave one.
    public var code: String?
    /// Microsoft's AADSTS number, when it gave one.
    public var aadsts: Int?
    public var reason: String
    public var hint: String?

    public init(stage: Stage, code: String? = nil, aadsts: Int? = nil, reason: String, hint: String?) {
        self.stage = stage
        self.code = code
        self.aadsts = aadsts
        self.reason = reason
        self.hint = hint
    }

    public var description: String {
        "\(stage.rawValue) failed: \(reason)" + (hint.map { ". " + $0 } ?? "")
    }
}

/// An authority's error reply (RFC 6749 section 5.2, RFC 8628 section 3.5): the code, its
/// description, and Microsoft's `error_codes` (the AADSTS numbers).
struct AuthorityError: Decodable, Sendable, Equatable {
    var error: String
    var errorDescription: String?
    var errorCodes: [Int]?

    enum CodingKeys: String, CodingKey {
        case error
        case errorDescription = "error_description"
        case errorCodes = "error_codes"
    }

    /// Microsoft's number: from `error_codes`, else from `AADSTSnnnn` at the start of the description.
    var aadsts: Int? {
        if let first = errorCodes?.first { return first }
        guard let text = errorDescription, text.hasPrefix("AADSTS") else { return nil }
        return Int(text.dropFirst(6).prefix { $0.isNumber })
    }

    /// The error in words, by its AADSTS number first, then by its RFC code; the authority's own
    /// description (its first line, printable) is kept as what it said.
    func explained(stage: OAuthError.Stage, login: String) -> OAuthError {
        let said = errorDescription.map { " (the authority said: " + Self.firstLine($0) + ")" } ?? ""
        let words: (String, String)
        switch aadsts {
        case 50076?, 50079?:
            words = ("multi-factor authentication is required for this account (AADSTS\(aadsts!))",
                              "Sign in again and complete the second factor in the browser: \(login)")
        case 65001?:
            words = ("the app has not been given consent for SMTP.Send in this tenant (AADSTS65001)",
                              "An administrator must consent: Entra ID, App registrations, the app, API permissions, Grant admin consent; then \(login)")
        case 700016?:
            words = ("the app (client ID) was not found in this tenant (AADSTS700016)",
                              "Check --client-id and --tenant: the app must be registered in, or shared with, the account's tenant")
        case 7000218?:
            words = ("the app is not a public client, so the authority wants a client secret (AADSTS7000218)",
                              "In Entra ID, the app's Authentication page: set Allow public client flows to Yes")
        default:
            switch error {
            case "expired_token":
                words = ("the device code expired before the sign-in was approved", "Run it again and approve within the time shown: \(login)")
            case "access_denied", "authorization_declined":
                words = ("the sign-in was declined (\(error))", "Approve the request in the browser, or ask the account's administrator: \(login)")
            case "bad_verification_code":
                words = ("the authority does not know this device code (bad_verification_code)", "Run it again: \(login)")
            case "invalid_grant":
                words = ("the refresh token or code is no longer valid: it expired, was revoked, or the password changed (invalid_grant)",
                                  "Sign in again: \(login)")
            case "invalid_client":
                words = ("the authority does not know this client, or it needs a client secret (invalid_client)",
                                  "Check --client-id (your own app registration); a Google desktop client also needs its client secret (--client-secret-env)")
            case "unauthorized_client":
                words = ("the app may not use this flow (unauthorized_client)",
                                  "Microsoft: allow public client flows for the app; Google: use a Desktop app client")
            case "invalid_scope":
                words = ("the authority refused the scope (invalid_scope)",
                                  "Google refuses the mail scope in the device flow: use --flow browser")
            default:
                words = ("the authority refused: \(Self.firstLine(error))", "Sign in again: \(login)")
            }
        }
        return OAuthError(stage: stage, code: error, aadsts: aadsts, reason: words.0 + said, hint: words.1)
    }

    /// The first line of outside text, cut to 300 characters, control characters shown as escapes.
    static func firstLine(_ text: String) -> String {
        let line = text.prefix { $0 != "\r" && $0 != "\n" }.prefix(300)
        return TerminalSanitizer.sanitize(String(line), maxLength: 300)
    }
}
