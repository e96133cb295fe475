import Crypto
import _CryptoExtras

/// Signs messages with DKIM (RFC 6376): rsa-sha256, or ed25519-sha256 (RFC 8463) for an Ed25519
/// key, relaxed/relaxed. The body hash is computed while the message streams once; the signature
/// header is then put in front of the same stream, rewound.
public struct DKIMSigner: Sendable {
    public enum Algorithm: String, Sendable {
        case rsaSHA256 = "rsa-sha256"
        case ed25519SHA256 = "ed25519-sha256"
    }

    enum Key: @unchecked Sendable {
        case rsa(_RSA.Signing.PrivateKey)
        case ed25519(Curve25519.Signing.PrivateKey)
    }

    let key: Key
    public let selector: String
    public let domain: String
    public var algorithm: Algorithm {
        if case .rsa = key { return .rsaSHA256 }
        return .ed25519SHA256
    }

    /// The header fields signed when present, as RFC 6376 section 5.4.1 advises; From is also
    /// signed once more than it appears, so that no From can be added after signing.
    public static let signedFields = ["from", "reply-to", "subject", "date", "to", "cc", "message-id", "in-reply-to", "references",
                                      "mime-version", "content-type", "content-transfer-encoding", "list-id", "list-unsubscribe",
                                      "list-unsubscribe-post"]

    /// Reads a PEM private key (PKCS#8 or PKCS#1 RSA, PKCS#8 Ed25519). The key is never shown:
    /// errors name the file's problem, not its content.
    public init(pem: String, selector: String, domain: String) throws(DKIMError) {
        guard DomainName.isValid(selector + ".x"), !selector.contains(".") || DomainName.isValid(selector) else { throw DKIMError("the selector \"\(selector.visibleControls)\" is not a DNS label") }
        guard DomainName.isValid(domain) else { throw DKIMError("the signing domain \"\(domain.visibleControls)\" is not a domain name") }
        self.selector = selector
        self.domain = domain.lowercased()
        if let ed = Self.ed25519(pem) {
            key = .ed25519(ed)
        } else if let rsa = try? _RSA.Signing.PrivateKey(unsafePEMRepresentation: pem) {
            guard rsa.keySizeInBits >= 1024 else { throw DKIMError("the RSA key has \(rsa.keySizeInBits) bits; receivers need at least 1024 (2048 advised)") }
            key = .rsa(rsa)
        } else {
            throw DKIMError("the file is not a PEM RSA or Ed25519 private key")
        }
    }

    /// An Ed25519 key in PKCS#8 PEM: the 32 bytes after the fixed 16-byte prefix.
    static func ed25519(_ pem: String) -> Curve25519.Signing.PrivateKey? {
        guard pem.contains("-----BEGIN PRIVATE KEY-----") else { return nil }
        let body = pem.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        guard let der = Base64.decode(body), der.count == 48,
              der.prefix(16) == [0x30, 0x2E, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20] else { return nil }
        return try? Curve25519.Signing.PrivateKey(rawRepresentation: der.suffix(32))
    }

    /// The message with a DKIM-Signature header in front. Reads `stream` once (rewinding it
    /// after), so attachments are read twice from disk and never held whole.
    public func sign(_ stream: MessageStream, time: Int) throws -> MessageStream {
        var headerBytes: [UInt8] = []
        var inBody = false
        var tail: [UInt8] = []  // the last bytes of the header, to find CRLF CRLF across chunks
        var hash = SHA256()
        var body = RelaxedBodyCanonicaliser { hash.update(data: $0) }
        try stream.forEachChunk { chunk in
            if inBody { body.feed(chunk); return }
            var index = 0
            for byte in chunk {
                index += 1
                headerBytes.append(byte)
                tail.append(byte)
                if tail.count > 4 { tail.removeFirst() }
                if tail == [13, 10, 13, 10] {
                    inBody = true
                    break
                }
            }
            if inBody { body.feed(UnsafeRawBufferPointer(rebasing: chunk[index...])) }
        }
        body.finish()
        stream.rewind()
        let bodyHash = Base64.encode(Array(hash.finalize()))
        let fields = Self.fields(String(decoding: headerBytes, as: UTF8.self))
        let present = Self.signedFields.filter { name in fields.contains { $0.name.lowercased() == name } }
        // Each name once per occurrence, plus From once more (over-signing).
        var signed: [String] = []
        for name in present { signed += Array(repeating: name, count: fields.filter { $0.name.lowercased() == name }.count) }
        signed.append("from")
        // The h= list folded after a colon, so that no line passes 78 columns.
        var h = ""
        var line = "\th="
        for (index, name) in signed.enumerated() {
            let piece = name + (index == signed.count - 1 ? ";" : ":")
            if line.count + piece.count > 76 {
                h += line + "\r\n"
                line = "\t "
            }
            line += piece
        }
        h += line
        let tags = "v=1; a=\(algorithm.rawValue); c=relaxed/relaxed; d=\(domain); s=\(selector);\r\n\tt=\(time);\r\n" + h + "\r\n\tbh=\(bodyHash);\r\n\tb="
        // What is signed: each signed field, bottom-up for repeated names, then this header
        // with an empty b=, without its final CRLF.
        var data: [UInt8] = []
        var used: [String: Int] = [:]
        for name in signed {
            let occurrences = fields.filter { $0.name.lowercased() == name }
            let n = used[name, default: 0]
            used[name] = n + 1
            guard n < occurrences.count else { continue }
            let field = occurrences[occurrences.count - 1 - n]
            data += DKIMCanonical.header(name: field.name, value: field.value)
        }
        data += DKIMCanonical.header(name: "DKIM-Signature", value: tags).dropLast(2)
        let signature: [UInt8]
        switch key {
        case .rsa(let rsa):
            signature = Array(try rsa.signature(for: data, padding: .insecurePKCS1v1_5).rawRepresentation)
        case .ed25519(let ed):
            signature = Array(try ed.signature(for: Array(SHA256.hash(data: data))))
        }
        let b = Base64.encode(signature)
        var folded = ""
        var start = b.startIndex
        while start < b.endIndex {
            let end = b.index(start, offsetBy: 72, limitedBy: b.endIndex) ?? b.endIndex
            folded += (folded.isEmpty ? "" : "\r\n\t ") + b[start..<end]
            start = end
        }
        let header = "DKIM-Signature: " + tags + folded + "\r\n"
        return stream.prepending(Array(header.utf8))
    }

    /// The header fields of a message header, unfolded names with their raw (folded) values.
    static func fields(_ header: String) -> [(name: String, value: String)] {
        var fields: [(name: String, value: String)] = []
        for line in header.split(separator: "\r\n", omittingEmptySubsequences: true) {
            if let first = line.first, first == " " || first == "\t", !fields.isEmpty {
                fields[fields.count - 1].value += "\r\n" + line
            } else if let colon = line.firstIndex(of: ":") {
                fields.append((String(line[..<colon]), String(line[line.index(after: colon)...])))
            }
        }
        return fields
    }
}

/// Why a DKIM key or signing setting cannot be used.
public struct DKIMError: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String
    init(_ reason: String) { self.reason = reason }
    public var description: String { "DKIM: \(reason)" }
}
