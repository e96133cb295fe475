/// Where a DKIM key is and how to sign with it: what the compose form's DKIM field and a profile
/// hold (`SELECTOR KEYFILE [d=DOMAIN]`). The key's content is read only when a message is signed.
public struct DKIMSettings: Sendable, Codable, Equatable {
    public var selector: String
    /// The PEM private key's path; the file is read like a password source, never shown.
    public var keyPath: String
    /// The signing domain; nil for the From address's domain.
    public var domain: String?

    public init(selector: String, keyPath: String, domain: String? = nil) {
        self.selector = selector
        self.keyPath = keyPath
        self.domain = domain
    }

    /// `s1 ~/keys/dkim.pem` or `s1 ~/keys/dkim.pem d=example.com`; nil for an empty field.
    public static func parse(_ text: String) -> Result<DKIMSettings?, DKIMError> {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        if words.isEmpty { return .success(nil) }
        guard words.count == 2 || words.count == 3 else { return .failure(DKIMError("write SELECTOR KEYFILE [d=DOMAIN]")) }
        var domain: String?
        if words.count == 3 {
            guard words[2].lowercased().hasPrefix("d="), DomainName.isValid(String(words[2].dropFirst(2))) else { return .failure(DKIMError("the third word is d=DOMAIN")) }
            domain = String(words[2].dropFirst(2))
        }
        guard DomainName.isValid(words[0] + ".x") else { return .failure(DKIMError("\"\(words[0].visibleControls)\" is not a selector (a DNS label)")) }
        return .success(DKIMSettings(selector: words[0], keyPath: words[1], domain: domain))
    }

    /// The field's text.
    public var text: String { "\(selector) \(keyPath)" + (domain.map { " d=\($0)" } ?? "") }

    /// The signer for mail from `from`: reads the key file now.
    public func signer(from: Mailbox) throws(DKIMError) -> DKIMSigner {
        guard let bytes = FileContents.read(keyPath.expandingTilde) else { throw DKIMError("cannot read the key file \(keyPath)") }
        return try DKIMSigner(pem: String(decoding: bytes, as: UTF8.self), selector: selector,
                              domain: domain ?? String(from.address.split(separator: "@").last ?? ""))
    }
}
