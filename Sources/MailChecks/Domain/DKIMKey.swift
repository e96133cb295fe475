/// A DKIM public key record (`v=DKIM1; k=rsa; p=...`, RFC 6376 section 3.6.1), read for what a
/// receiver would make of it.
public struct DKIMKeyRecord: Sendable, Equatable {
    public var tags: [String: String]
    /// `rsa` (the default) or `ed25519`.
    public var keyType: String { tags["k"]?.lowercased() ?? "rsa" }
    /// The key, base64, without spaces; empty when revoked.
    public var publicKey: String { (tags["p"] ?? "").filter { !$0.isWhitespace } }
    public var isRevoked: Bool { tags["p"] != nil && publicKey.isEmpty }
    /// `t=y`: the domain is testing DKIM, and receivers treat its signatures as unsigned.
    public var isTesting: Bool { (tags["t"] ?? "").split(separator: ":").contains { $0.trimmingSpaces == "y" } }

    /// Parses `tag=value; ...`; nil with a reason when it is not a DKIM key record.
    public static func parse(_ text: String) -> Result<DKIMKeyRecord, DKIMRecordError> {
        let pairs: [(name: String, value: String)]
        switch TagList.parse(text) {
        case .success(let p): pairs = p
        case .failure(let error): return .failure(error)
        }
        var tags: [String: String] = [:]
        for (name, value) in pairs {
            guard tags[name.lowercased()] == nil else { return .failure(DKIMRecordError(reason: "the tag \(name.lowercased()) appears twice")) }
            tags[name.lowercased()] = value
        }
        if let v = tags["v"], v != "DKIM1" { return .failure(DKIMRecordError(reason: "v=\(v) is not DKIM1")) }
        guard tags["p"] != nil else { return .failure(DKIMRecordError(reason: "no p= (the public key)")) }
        let record = DKIMKeyRecord(tags: tags)
        guard ["rsa", "ed25519"].contains(record.keyType) else { return .failure(DKIMRecordError(reason: "k=\(record.keyType) is not a key type receivers know")) }
        return .success(record)
    }

    /// The key's size in bits: RSA's modulus, 256 for Ed25519; nil when the key does not decode.
    public var keyBits: Int? {
        guard !isRevoked, let der = Base64.decode(publicKey) else { return nil }
        if keyType == "ed25519" { return der.count == 32 ? 256 : nil }
        // Read from the DER by a strict reader of our own: swift-crypto's RSA key parser aborted the
        // process now and then on mangled keys in the fuzz test (notes/domain-checks.md), and a
        // key from DNS is outside input.
        return RSAModulus.bits(der)
    }
}

/// Why a DKIM key record does not parse.
public struct DKIMRecordError: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String
    public var description: String { reason }
}

/// The modulus length of an RSA public key in DER (SubjectPublicKeyInfo or PKCS#1). Strict: the
/// outer SEQUENCE must span the whole input and the key must hold two INTEGERs, or nil.
package enum RSAModulus {
    package static func bits(_ der: [UInt8]) -> Int? {
        var offset = 0
        guard let outer = element(der, &offset, tag: 0x30), outer.end == der.count else { return nil }
        var inner = outer.start
        // SubjectPublicKeyInfo: SEQUENCE { SEQUENCE { algorithm }, BIT STRING { RSAPublicKey } }.
        if inner < der.count, der[inner] == 0x30 {
            guard let algorithm = element(der, &inner, tag: 0x30), let bitString = element(der, &inner, tag: 0x03), inner == outer.end,
                  bitString.end > bitString.start, der[bitString.start] == 0 else { return nil }
            // rsaEncryption, 1.2.840.113549.1.1.1.
            var oidAt = algorithm.start
            guard let oid = element(der, &oidAt, tag: 0x06), Array(der[oid.start..<oid.end]) == [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01] else { return nil }
            var key = bitString.start + 1
            guard let sequence = element(der, &key, tag: 0x30), key == bitString.end else { return nil }
            return keyPair(der, sequence)
        }
        return keyPair(der, outer)
    }

    /// RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }: the modulus's bits.
    private static func keyPair(_ der: [UInt8], _ sequence: (start: Int, end: Int)) -> Int? {
        var at = sequence.start
        guard let bits = integerBits(der, &at), element(der, &at, tag: 0x02) != nil, at == sequence.end else { return nil }
        return bits
    }

    private static func integerBits(_ der: [UInt8], _ offset: inout Int) -> Int? {
        guard let integer = element(der, &offset, tag: 0x02) else { return nil }
        var start = integer.start
        while start < integer.end, der[start] == 0 { start += 1 }
        guard start < integer.end else { return nil }
        return (integer.end - start - 1) * 8 + (8 - der[start].leadingZeroBitCount)
    }

    /// One TLV at `offset` with this tag: its contents' range; `offset` moves past it.
    private static func element(_ der: [UInt8], _ offset: inout Int, tag: UInt8) -> (start: Int, end: Int)? {
        guard offset + 2 <= der.count, der[offset] == tag else { return nil }
        var length = Int(der[offset + 1])
        var start = offset + 2
        if length & 0x80 != 0 {
            let count = length & 0x7F
            guard (1...3).contains(count), start + count <= der.count else { return nil }
            length = der[start..<(start + count)].reduce(0) { $0 << 8 | Int($1) }
            start += count
        }
        guard start + length <= der.count else { return nil }
        offset = start + length
        return (start, start + length)
    }
}
