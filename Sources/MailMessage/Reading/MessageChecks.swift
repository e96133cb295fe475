/// What a careful reader of a captured message would point out before it goes to a real server:
/// one short line each. No capture tool shows these together.
public enum MessageChecks {
    /// Gmail refuses a message over 25 MB (its size once encoded); Outlook.com over 20 MB.
    static let providerLimits = [("Gmail", 25_000_000), ("Outlook.com", 20_000_000)]

    /// `htmlLinks`: the links of the message's HTML parts when the caller has read them already
    /// (reading HTML is the costly part); nil reads them here.
    public static func findings(_ root: MIMEPart, raw: [UInt8], envelopeFrom: String?, htmlLinks: [String]? = nil) -> [String] {
        var found: [String] = []
        if root.field("Date") == nil { found.append("No Date header: some servers add one, others mark the message as spam.") }
        if root.field("Message-ID") == nil { found.append("No Message-ID header: Gmail may refuse it (550 5.7.1), and replies cannot thread.") }
        if let envelope = envelopeFrom.flatMap(domain), let header = root.field("From").flatMap(addressDomain), envelope != header {
            found.append("The From header's domain (\(header)) differs from the envelope sender's (\(envelope)): DMARC alignment may fail.")
        }
        let parts = root.walk().map(\.part)
        let bodies = parts.filter { !$0.isMultipart && !$0.isAttachment }
        if bodies.contains(where: { $0.mediaType == "text/html" }) && !bodies.contains(where: { $0.mediaType == "text/plain" }) {
            found.append("HTML without a text part: spam filters score this, and text-only readers see nothing.")
        }
        if let longest = longestLine(raw), longest > 998 {
            found.append("A line of \(longest) octets: over SMTP's 998 (RFC 5322); servers may refuse or break it.")
        }
        let headerEnd = MIMEPart.header(of: raw).1
        if raw[..<headerEnd].contains(where: { $0 >= 0x80 }) {
            found.append("Raw 8-bit bytes in the header: without SMTPUTF8 they need encoded words (RFC 2047).")
        }
        for part in parts where part.isAttachment {
            let name = part.fileName ?? part.mediaType
            if let sniffed = sniff(Array(part.decodedBody.prefix(16))), !compatible(declared: part.mediaType, sniffed: sniffed) {
                found.append("\(name) is declared \(part.mediaType) but its content is \(sniffed).")
            }
        }
        for (provider, limit) in providerLimits where raw.count > limit {
            found.append("\(ByteCount.human(raw.count)): over \(provider)'s limit of \(limit / 1_000_000) MB, which counts the encoded size.")
            break
        }
        let links = htmlLinks ?? parts.filter { $0.mediaType == "text/html" }.flatMap { HTMLText($0.text).links }
        let insecure = links.filter { $0.lowercased().hasPrefix("http://") }
        if let first = insecure.first {
            found.append("\(insecure.count) http:// link\(insecure.count == 1 ? "" : "s") in the HTML (\(first)): use https://.")
        }
        return found
    }

    package static func domain(_ address: String) -> String? {
        guard let at = address.lastIndex(of: "@") else { return nil }
        let domain = address[address.index(after: at)...].lowercased()
        return domain.isEmpty ? nil : domain
    }

    /// The domain of the address in a From header (`Name <a@b>` or `a@b`).
    package static func addressDomain(_ header: String) -> String? {
        let decoded = EncodedWords.decode(header)
        if let open = decoded.lastIndex(of: "<"), let close = decoded[open...].firstIndex(of: ">") {
            return domain(String(decoded[decoded.index(after: open)..<close]))
        }
        return domain(decoded.trimmingSpaces)
    }

    static func longestLine(_ raw: [UInt8]) -> Int? {
        var longest = 0
        var start = 0
        for (index, byte) in raw.enumerated() where byte == 10 {
            let end = index > start && raw[index - 1] == 13 ? index - 1 : index
            longest = max(longest, end - start)
            start = index + 1
        }
        return max(longest, raw.count - start)
    }

    /// The type that a file's first bytes show, for the common ones.
    static func sniff(_ head: [UInt8]) -> String? {
        if head.starts(with: Array("%PDF".utf8)) { return "application/pdf" }
        if head.starts(with: [0x89, 0x50, 0x4E, 0x47]) { return "image/png" }
        if head.starts(with: [0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        if head.starts(with: Array("GIF8".utf8)) { return "image/gif" }
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return "a ZIP archive" }
        if head.starts(with: [0x1F, 0x8B]) { return "application/gzip" }
        if head.count >= 12, head.starts(with: Array("RIFF".utf8)), Array(head[8..<12]) == Array("WEBP".utf8) { return "image/webp" }
        return nil
    }

    /// Whether a declared type fits what the bytes are. ZIP underlies Office files, EPUB, JAR…
    static func compatible(declared: String, sniffed: String) -> Bool {
        if declared == sniffed || declared == "application/octet-stream" { return true }
        if sniffed == "a ZIP archive" {
            return declared.contains("zip") || declared.contains("officedocument") || declared.contains("opendocument")
                || declared.contains("epub") || declared.contains("java-archive")
        }
        if sniffed == "application/gzip" { return declared.contains("gzip") || declared.contains("x-tar") }
        return false
    }
}
