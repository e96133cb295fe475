import Crypto
import _CryptoExtras
#if canImport(Glibc)
import Glibc
#endif

/// Verifies a message's DKIM signatures (RFC 6376 section 6) against keys from DNS: simple and
/// relaxed canonicalisation, `l=`, rsa-sha256 and ed25519-sha256. The first signature that
/// verifies wins; otherwise the verdict is the first one's failure.
public struct DKIMVerifier: Sendable {
    public enum Verdict: Sendable, Equatable {
        case pass(domain: String, selector: String, algorithm: String)
        case fail(String)
        /// The key could not be fetched (a DNS failure): try again.
        case temporaryError(String)
        case unsigned

        /// One line for people.
        public var words: String {
            switch self {
            case .pass(let d, let s, let a): "DKIM: pass (d=\(d), s=\(s), \(a))"
            case .fail(let why): "DKIM: fail: \(why)"
            case .temporaryError(let why): "DKIM: could not be checked now: \(why)"
            case .unsigned: "DKIM: not signed (Gmail and Yahoo want SPF or DKIM, and DMARC needs one of them aligned)"
            }
        }
    }

    /// At most this many signatures are checked, each with its own key lookup.
    public static let maximumSignatures = 5
    /// A signature whose h= names more fields is not checked. Signers list a few dozen at most,
    /// over-signing included.
    public static let maximumSignedFields = 100

    public let dns: any DNSResolving

    public init(dns: any DNSResolving) { self.dns = dns }

    /// `deadline`: no key lookup starts after it (the verdict is then a temporary error), so that
    /// a silent DNS server costs one lookup's timeout past it, not one per signature.
    public func verify(_ message: [UInt8], deadline: ContinuousClock.Instant? = nil) -> Verdict {
        let (headerText, bodyStart) = Self.split(message)
        let fields = DKIMSigner.fields(headerText)
        // The fields by lower-cased name, top to bottom, made once: h= picks from them by name.
        var byName: [String: [Int]] = [:]
        for (index, field) in fields.enumerated() { byName[field.name.lowercased(), default: []].append(index) }
        let signatures = (byName["dkim-signature"] ?? []).map { fields[$0] }
        guard !signatures.isEmpty else { return .unsigned }
        var keys = KeyLookups(dns: dns, deadline: deadline)
        var first: Verdict?
        for signature in signatures.prefix(Self.maximumSignatures) {
            let verdict = verify(signature: signature, fields: fields, byName: byName, body: message[bodyStart...], keys: &keys)
            if case .pass = verdict { return verdict }
            if first == nil { first = verdict }
        }
        return first ?? .unsigned
    }

    /// Key records fetched for one message: each name asked once, none after the deadline.
    struct KeyLookups {
        let dns: any DNSResolving
        let deadline: ContinuousClock.Instant?
        var answers: [String: (texts: [String], answer: DNSAnswer)] = [:]

        mutating func texts(_ name: String) -> (texts: [String], answer: DNSAnswer) {
            if let known = answers[name] { return known }
            if let deadline, ContinuousClock.now >= deadline {
                return ([], .failure("the DNS server did not answer in time for all the signatures"))
            }
            let (texts, answer, _) = dns.texts(name)
            answers[name] = (texts, answer)
            return (texts, answer)
        }
    }

    /// The header as text and where the body starts (after the first empty line).
    static func split(_ message: [UInt8]) -> (String, Int) {
        var i = 0
        while i + 3 < message.count {
            if message[i] == 13, message[i + 1] == 10, message[i + 2] == 13, message[i + 3] == 10 {
                return (String(decoding: message[..<(i + 2)], as: UTF8.self), i + 4)
            }
            i += 1
        }
        return (String(decoding: message, as: UTF8.self), message.count)
    }

    /// The tags of a DKIM-Signature value, FWS removed from around them.
    /// The signature's tags (names are case-sensitive here); nil for a malformed list or a duplicate.
    package static func tags(_ value: String) -> [String: String]? {
        guard case .success(let pairs) = TagList.parse(value) else { return nil }
        var tags: [String: String] = [:]
        for (name, value) in pairs {
            guard tags[name] == nil else { return nil }
            tags[name] = value
        }
        return tags
    }

    private func verify(signature: (name: String, value: String), fields: [(name: String, value: String)], byName: [String: [Int]],
                        body: ArraySlice<UInt8>, keys: inout KeyLookups) -> Verdict {
        guard let tags = Self.tags(signature.value) else { return .fail("the DKIM-Signature header does not parse") }
        guard tags["v"]?.trimmingSpaces == "1" else { return .fail("v= is not 1") }
        guard let algorithm = tags["a"]?.trimmingSpaces.lowercased(), let domain = tags["d"]?.trimmingSpaces.lowercased(),
              let selector = tags["s"]?.trimmingSpaces, let headerList = tags["h"], let bodyHash = tags["bh"], let b = tags["b"] else {
            return .fail("a required tag (a, b, bh, d, h, s) is missing")
        }
        if algorithm == "rsa-sha1" { return .fail("rsa-sha1 is no longer accepted (RFC 8301): sign with rsa-sha256") }
        guard algorithm == "rsa-sha256" || algorithm == "ed25519-sha256" else { return .fail("unknown algorithm \(algorithm)") }
        guard DomainName.isValid(domain), DomainName.isValid(selector + "._domainkey." + domain) else { return .fail("d= or s= is not a domain name") }
        let signed = headerList.split(separator: ":").map { $0.filter { !$0.isWhitespace }.lowercased() }
        guard signed.count <= Self.maximumSignedFields else {
            return .fail("h= names \(signed.count) header fields, over the \(Self.maximumSignedFields) checked here: not verified")
        }
        guard signed.contains("from") else { return .fail("h= does not include From") }
        let canonicalization = (tags["c"] ?? "simple/simple").filter { !$0.isWhitespace }.lowercased().split(separator: "/").map(String.init)
        let headerRelaxed = canonicalization.first == "relaxed"
        let bodyRelaxed = canonicalization.count > 1 && canonicalization[1] == "relaxed"
        if let expiry = tags["x"].flatMap({ Int($0.trimmingSpaces) }), expiry < Int(time(nil)) {
            return .fail("the signature expired (x=)")
        }

        // The body hash.
        var limit: Int?
        if let l = tags["l"] {
            guard let n = Int(l.trimmingSpaces), n >= 0 else { return .fail("l= is not a length") }
            limit = n
        }
        let canonicalBody = bodyRelaxed ? Self.relaxedBody(body) : Self.simpleBody(body)
        let hashed = limit.map { Array(canonicalBody.prefix($0)) } ?? canonicalBody
        if let limit, limit > canonicalBody.count { return .fail("l= is longer than the body") }
        let computed = Base64.encode(Array(SHA256.hash(data: hashed)))
        guard computed == bodyHash.filter({ !$0.isWhitespace }) else { return .fail("the body hash does not match: the body changed after signing") }

        // The key.
        let name = "\(selector)._domainkey.\(domain)"
        let (texts, answer) = keys.texts(name)
        if case .failure(let why) = answer { return .temporaryError("no key from DNS at \(name) (\(why))") }
        guard let text = texts.first else { return .fail("no key at \(name)") }
        let record: DKIMKeyRecord
        switch DKIMKeyRecord.parse(text) {
        case .success(let r): record = r
        case .failure(let error): return .fail("the key at \(name) is not valid: \(error)")
        }
        if record.isRevoked { return .fail("the key at \(name) is revoked") }
        guard let der = Base64.decode(record.publicKey) else { return .fail("the key at \(name) is not base64") }

        // The header hash: the signed fields bottom-up (RFC 6376 5.4.2: a name listed twice takes
        // the last field of that name, then the one above it), then this signature with b= emptied.
        var data: [UInt8] = []
        var used: [String: Int] = [:]
        for field in signed {
            let occurrences = byName[field] ?? []
            let n = used[field, default: 0]
            used[field] = n + 1
            guard n < occurrences.count else { continue }
            let chosen = fields[occurrences[occurrences.count - 1 - n]]
            data += headerRelaxed ? DKIMCanonical.header(name: chosen.name, value: chosen.value) : Array("\(chosen.name):\(chosen.value)\r\n".utf8)
        }
        let emptied = Self.emptyingB(signature.value)
        data += (headerRelaxed ? DKIMCanonical.header(name: signature.name, value: emptied) : Array("\(signature.name):\(emptied)\r\n".utf8)).dropLast(2)
        guard let signatureBytes = Base64.decode(b.filter { !$0.isWhitespace }) else { return .fail("b= is not base64") }

        switch (algorithm, record.keyType) {
        case ("rsa-sha256", "rsa"):
            // Our own strict reader first: the library's parser is not given malformed DER.
            guard let bits = RSAModulus.bits(der), bits >= 1024 else { return .fail("the RSA key at \(name) is malformed or under 1024 bits") }
            guard let key = try? _RSA.Signing.PublicKey(unsafeDERRepresentation: der) else { return .fail("the RSA key at \(name) does not load") }
            let valid = key.isValidSignature(_RSA.Signing.RSASignature(rawRepresentation: signatureBytes), for: data, padding: .insecurePKCS1v1_5)
            return valid ? .pass(domain: domain, selector: selector, algorithm: algorithm) : .fail("the signature does not verify with the key at \(name): a signed header changed, or the key is not the signer's")
        case ("ed25519-sha256", "ed25519"):
            guard der.count == 32, let key = try? Curve25519.Signing.PublicKey(rawRepresentation: der) else { return .fail("the Ed25519 key at \(name) is malformed") }
            let valid = key.isValidSignature(signatureBytes, for: Array(SHA256.hash(data: data)))
            return valid ? .pass(domain: domain, selector: selector, algorithm: algorithm) : .fail("the signature does not verify with the key at \(name): a signed header changed, or the key is not the signer's")
        default:
            return .fail("a=\(algorithm) does not go with the \(record.keyType) key at \(name)")
        }
    }

    /// The header value with the b= tag's value removed (FWS inside it too).
    static func emptyingB(_ value: String) -> String {
        var parts = value.split(separator: ";", omittingEmptySubsequences: false).map(String.init)
        for index in parts.indices {
            let part = parts[index]
            let name = part.drop(while: { $0.isWhitespace })
            if name.hasPrefix("b=") || name.hasPrefix("b ") || name.hasPrefix("b\t") {
                let prefixLength = part.count - name.count
                guard let equals = name.firstIndex(of: "=") else { continue }
                parts[index] = String(part.prefix(prefixLength)) + String(name[...equals])
            }
        }
        return parts.joined(separator: ";")
    }

    static func simpleBody(_ body: ArraySlice<UInt8>) -> [UInt8] {
        var bytes = Array(body)
        while bytes.count >= 4, bytes.suffix(4) == [13, 10, 13, 10] { bytes.removeLast(2) }
        if bytes.isEmpty || bytes.suffix(2) != [13, 10] { bytes += [13, 10] }
        return bytes
    }

    static func relaxedBody(_ body: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        var canonicaliser = RelaxedBodyCanonicaliser { out += $0 }
        Array(body).withUnsafeBytes { canonicaliser.feed($0) }
        canonicaliser.finish()
        return out
    }
}
