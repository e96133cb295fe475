import Crypto

/// RFC 7636: the verifier stays here, its SHA-256 goes in the browser's URL, so a code caught on
/// the way back to the loopback listener is useless to anyone else.
public struct PKCE: Sendable, Equatable {
    public let verifier: String
    public var challenge: String { Self.challenge(for: verifier) }
    public static let method = "S256"

    /// 32 random bytes, base64url without padding: 43 characters, within RFC 7636's 43 to 128.
    public init() {
        var generator = SystemRandomNumberGenerator()
        verifier = Self.base64url((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    public init(verifier: String) { self.verifier = verifier }

    public static func challenge(for verifier: String) -> String {
        base64url(Array(SHA256.hash(data: Array(verifier.utf8))))
    }

    static func base64url(_ bytes: [UInt8]) -> String {
        String(Base64.encode(bytes).compactMap { (c: Character) -> Character? in c == "=" ? nil : c == "+" ? "-" : c == "/" ? "_" : c })
    }
}
