#if canImport(Glibc)
import Glibc
#endif

/// What a sign-in needs: the provider, the user's own app registration, and where the authority is.
public struct SignInRequest: Sendable, Equatable {
    public var provider: OAuthProvider
    public var account: String
    public var clientID: String
    /// Google's desktop clients come with a "secret" that its token endpoint wants; a Microsoft
    /// public client has none.
    public var clientSecret: String?
    public var tenant: String?
    /// The base URL replacing the provider's; nil for the provider's own.
    public var authority: String?

    public init(provider: OAuthProvider, account: String, clientID: String, clientSecret: String? = nil, tenant: String? = nil, authority: String? = nil) {
        self.provider = provider
        self.account = account
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.tenant = tenant
        self.authority = authority
    }

    public var endpoints: OAuthEndpoints { provider.endpoints(authority: authority, tenant: tenant) }

    /// The command that signs this account in again, for hints.
    public var loginCommand: String {
        var words = ["mailtui oauth login --provider", provider.rawValue, "--account", account, "--client-id", clientID]
        if let tenant { words += ["--tenant", tenant] }
        if let authority { words += ["--authority", authority] }
        return words.joined(separator: " ")
    }

    /// client_id, and client_secret when there is one.
    var clientFields: [(String, String)] {
        [("client_id", clientID)] + (clientSecret.map { [("client_secret", $0)] } ?? [])
    }
}

/// A finished sign-in or refresh: the tokens, and the authority's clock at that moment.
public struct SignInResult: Sendable, Equatable {
    public var grant: TokenGrant
    /// When the grant was received, by the local clock (seconds since 1970).
    public var receivedAt: Int
    /// The authority's `Date`, when it sent one.
    public var authorityDate: Int?

    /// When the access token expires, by the local clock.
    public var expiresAt: Int { receivedAt + grant.expiresIn }

    /// A note when the local clock and the authority's differ by more than a minute: tokens then
    /// look expired (or valid) when they are not.
    public var clockNote: String? { ClockSkew.note(local: receivedAt, remote: authorityDate, remoteName: "the authority") }
}

/// Clock differences that make tokens look expired.
public enum ClockSkew {
    /// More than this many seconds between two clocks is worth saying.
    public static let tolerance = 60

    public static func note(local: Int, remote: Int?, remoteName: String) -> String? {
        guard let remote, abs(remote - local) > tolerance else { return nil }
        let difference = abs(remote - local)
        let words = difference >= 120 ? "\(difference / 60) minutes" : "\(difference) seconds"
        return "this machine's clock is \(words) \(local > remote ? "ahead of" : "behind") \(remoteName)'s: tokens will look expired (or valid) when they are not. Set the clock right (timedatectl set-ntp true)"
    }

    public static var now: Int { Int(time(nil)) }
}
