/// The kinds of text libcurl's debug callback delivers (curl_infotype), as far as SMTP needs them.
enum DebugKind {
    /// libcurl's own narration.
    case text
    /// A reply line from the server.
    case headerIn
    /// A command libcurl sent.
    case headerOut
    /// Message bytes being uploaded.
    case dataOut
    /// Anything else (raw TLS records, downloaded data): ignored.
    case other
}

/// The one place that reads libcurl's debug text. It turns what libcurl says while it connects,
/// greets, says EHLO, STARTTLS and logs in into `WireEvent`s; nothing past it knows libcurl's
/// wording. Fed plain bytes, so that it is tested without a network.
struct CurlDebugText {
    /// Between libcurl's `Server certificate:` and the certificate's `issuer:` line.
    private var readingCertificate = false

    init() {}

    /// The events in one piece of debug text, in order.
    mutating func read(_ kind: DebugKind, _ bytes: UnsafeRawBufferPointer, into sink: (WireEvent) -> Void) {
        switch kind {
        case .text:
            for line in ByteLines.split(bytes) { narration(line, into: sink) }
        case .headerOut:
            for line in ByteLines.split(bytes) { sink(.command(SMTPCommand(parsing: String(decoding: line, as: UTF8.self)))) }
        case .headerIn:
            for line in ByteLines.split(bytes) { sink(.replyLine(line)) }
        case .dataOut:
            sink(.uploaded(bytes.count))
        case .other:
            break
        }
    }

    /// All the events in one piece of debug text (for tests).
    mutating func events(_ kind: DebugKind, _ bytes: UnsafeRawBufferPointer) -> [WireEvent] {
        var events: [WireEvent] = []
        read(kind, bytes) { events.append($0) }
        return events
    }

    private mutating func narration(_ raw: [UInt8], into sink: (WireEvent) -> Void) {
        // libcurl's narration quotes the server's certificate: sanitise before reading facts from it.
        let line = TerminalSanitizer.sanitize(bytes: raw)
        let trimmed = line.trimmingSpaces
        if trimmed.hasPrefix("Connected to ") {
            sink(.connected(TerminalSanitizer.sanitize(trimmed)))
            return
        }
        if trimmed.hasPrefix("SSL connection using ") {
            let facts = trimmed.dropFirst("SSL connection using ".count).split(separator: "/").map { $0.trimmingSpaces }
            sink(.tlsEstablished(version: facts.first, cipher: facts.count > 1 ? facts[1] : nil))
        } else if trimmed == "Server certificate:" {
            readingCertificate = true
        } else if readingCertificate, let colon = trimmed.firstIndex(of: ":") {
            let key = String(trimmed[..<colon])
            if key == "issuer" { readingCertificate = false }
            sink(.certificateField(key: key, value: trimmed[trimmed.index(after: colon)...].trimmingSpaces))
        }
        if trimmed.hasPrefix("SSL certificate verify ok") {
            sink(.verification(problem: nil))
        } else if trimmed.hasPrefix("SSL certificate problem") || trimmed.hasPrefix("SSL certificate verify result") {
            sink(.verification(problem: trimmed))
        }
        if Self.isNoise(trimmed) { return }
        sink(.narration(TerminalSanitizer.sanitize(trimmed)))
    }

    /// libcurl lines that say nothing to a person testing mail.
    static func isNoise(_ line: String) -> Bool {
        let prefixes = ["TLSv1", "SSLv", "TLS header", "CAfile:", "CApath:", "ALPN", "Connection #", "Closing connection",
                        "Mark bundle", "Found bundle", "Re-using", "Hostname ", "Expire in", "Curl_", "old SSL session",
                        "Added connection", "Send failure", "Recv failure", "upload completely sent", "We are completely uploaded",
                        "Server certificate:", "subject:", "start date:", "expire date:", "issuer:", "subjectAltName:",
                        "SSL certificate verify", "TCP_NODELAY", "successfully set certificate verify locations", "Uses proxy env",
                        "processing:", "STATE:", "SMTP ", "Using Stream ID", "Closing", "reached "]
        return line.isEmpty || prefixes.contains(where: { line.hasPrefix($0) })
    }
}
