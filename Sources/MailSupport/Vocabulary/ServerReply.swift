/// A complete SMTP reply: its code and the text of each line, sanitised.
public struct ServerReply: Sendable, Codable, Equatable, CustomStringConvertible {
    public var code: Int
    /// The text after the code on each line, already safe for a terminal.
    public var lines: [String]

    public init(code: Int, lines: [String]) {
        self.code = code
        self.lines = lines
    }

    /// The enhanced status code (RFC 3463) at the start of the first line, e.g. `5.7.8`.
    public var enhancedStatus: String? {
        guard let first = lines.first?.split(separator: " ").first else { return nil }
        let parts = first.split(separator: ".")
        guard parts.count == 3, parts.allSatisfy({ $0.allSatisfy(\.isNumber) && !$0.isEmpty }) else { return nil }
        return String(first)
    }

    public var isPositive: Bool { code < 400 }
    public var isTemporaryFailure: Bool { (400..<500).contains(code) }

    /// `550 5.1.1 <x@y>: Recipient address rejected` (continuation lines joined with " / ").
    public var description: String {
        "\(code) " + lines.joined(separator: " / ")
    }

    /// Splits a reply line into code, whether it is the last line of its reply, and text.
    ///
    /// A reply line is three digits followed by the end of the line, a space (the last line) or a
    /// hyphen (more lines follow), exactly what libcurl accepts. Anything else (`hello`, `999x`) is
    /// not a reply at all: `code` is nil and libcurl ignores the line, so the exchange goes on.
    package static func parseLine(_ line: String) -> (code: Int?, isFinal: Bool, text: String) {
        let bytes = Array(line.utf8)
        guard bytes.count >= 3, bytes[0..<3].allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return (nil, false, line) }
        let code = bytes[0..<3].reduce(0) { $0 * 10 + Int($1 - 48) }
        if bytes.count == 3 { return (code, true, "") }
        switch bytes[3] {
        case UInt8(ascii: " "): return (code, true, String(decoding: bytes[4...], as: UTF8.self))
        case UInt8(ascii: "-"): return (code, false, String(decoding: bytes[4...], as: UTF8.self))
        default: return (nil, false, line)
        }
    }
}

/// A recipient the server refused, with its reply.
public struct RejectedRecipient: Sendable, Codable, Equatable {
    public var address: String
    public var reply: ServerReply

    package init(address: String, reply: ServerReply) {
        self.address = address
        self.reply = reply
    }
}

/// What is known about the TLS session and the server's certificate.
public struct TLSInfo: Sendable, Codable, Equatable {
    public var version: String?
    public var cipher: String?
    public var subject: String?
    public var issuer: String?
    public var notBefore: String?
    public var notAfter: String?
    /// Names the certificate covers (subjectAltName DNS and IP entries).
    public var names: [String] = []
    /// nil until known.
    public var verified: Bool?
    /// Why verification failed, in OpenSSL's words, or how the host name matched.
    public var verification: String?
    /// OpenSSL's verify result (X509_V_OK is 0), also when verification was turned off: what it
    /// would have said.
    public var verifyResult: Int?
    /// For a probe with verification turned off: what verification would have said, in words.
    public var verificationWouldSay: String?

    public init() {}
}
