/// The two providers whose SMTP servers take an OAuth 2.0 bearer token, and where their
/// authorities live. `--authority` replaces the base URL and keeps the paths, so a national cloud
/// (login.microsoftonline.us) or a test's fake authority on 127.0.0.1 is reached the same way.
public enum OAuthProvider: String, Sendable, Codable, CaseIterable, Equatable {
    case microsoft
    case google

    /// The SMTP scope the issue and the providers' documents name, plus OpenID Connect's, which
    /// makes the authority return an id_token: the login name is read from it.
    public var scope: String {
        switch self {
        case .microsoft: "https://outlook.office.com/SMTP.Send offline_access openid profile"
        case .google: "https://mail.google.com/ openid email"
        }
    }

    /// The SMTP server that takes this provider's tokens.
    public var smtpHost: String {
        switch self {
        case .microsoft: "smtp.office365.com"
        case .google: "smtp.gmail.com"
        }
    }

    /// Microsoft's tenant when none is given: any work or school account.
    public static let defaultTenant = "organizations"

    /// Whether `tenant` can stand in a URL path as Microsoft's tenants do (`organizations`, a GUID,
    /// `contoso.onmicrosoft.com`): letters, digits, `.` and `-` only, so that a planted account
    /// file cannot point the token request elsewhere (`../../x?y=`).
    public static func isTenant(_ tenant: String) -> Bool {
        !tenant.isEmpty && tenant.utf8.count <= 100 && tenant.first != "." && tenant.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "." || $0 == "-"
        } && !tenant.contains("..")
    }

    /// The endpoints for this provider under `authority` (nil: the provider's own).
    public func endpoints(authority: String?, tenant: String?) -> OAuthEndpoints {
        let given = authority.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        switch self {
        case .microsoft:
            let base = (given ?? "https://login.microsoftonline.com") + "/" + (tenant ?? Self.defaultTenant) + "/oauth2/v2.0"
            return OAuthEndpoints(deviceCode: base + "/devicecode", token: base + "/token", authorize: base + "/authorize")
        case .google:
            // Google splits its authority over two hosts; a given authority serves both paths.
            let accounts = given ?? "https://accounts.google.com"
            let api = given ?? "https://oauth2.googleapis.com"
            return OAuthEndpoints(deviceCode: api + "/device/code", token: api + "/token", authorize: accounts + "/o/oauth2/v2/auth")
        }
    }

    /// The flow used when `--flow` is not given: Microsoft's device code works without a browser
    /// on this machine; Google refuses the mail scope in its device flow, so it gets the browser.
    public var defaultFlow: OAuthFlow {
        switch self {
        case .microsoft: .device
        case .google: .browser
        }
    }
}

/// How the user proves who they are.
public enum OAuthFlow: String, Sendable, Codable, CaseIterable, Equatable {
    /// RFC 8628: a code typed into a web page on any device.
    case device
    /// RFC 8252 with PKCE (RFC 7636): a browser on this machine, redirected to a loopback listener.
    case browser
}

/// The authority's URLs for one provider.
public struct OAuthEndpoints: Sendable, Equatable {
    public var deviceCode: String
    public var token: String
    public var authorize: String
}
