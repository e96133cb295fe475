import MailCore

/// A message found in the store by `mailtui wait`: its record, what a search sees of it, what a
/// person needs to tell it from others, and its first link (the password-reset test follows it).
/// Its bytes are read once.
public struct ArrivedMessage: Sendable, Equatable {
    public var record: StoredMessage
    public var searchable: SearchableMessage
    /// The From, To and Subject headers, decoded (bounded as a view shows them).
    public var from: String
    public var to: String
    public var subject: String
    public var link: String?

    public init(record: StoredMessage, bytes: [UInt8]) {
        self.record = record
        let root = MIMEPart(reading: bytes)
        searchable = SearchableMessage(parsing: root, envelope: record.recipients.map(\.address), time: record.time, size: record.bytes)
        func header(_ name: String) -> String { root.field(name).map { EncodedWords.shown($0) } ?? "" }
        from = header("From")
        to = header("To")
        subject = header("Subject")
        link = FirstLink.find(in: root)
    }
}

/// The first web link of a message: in its text body, else among its HTML body's links. Only
/// http and https (a reset link, not a mailto:).
public enum FirstLink {
    public static func find(in root: MIMEPart) -> String? {
        let bodies = root.walk().map(\.part).filter { !$0.isMultipart && !$0.isAttachment }
        if let text = bodies.first(where: { $0.mediaType == "text/plain" }), let link = inText(text.text) { return link }
        if let html = bodies.first(where: { $0.mediaType == "text/html" }) {
            return HTMLText(html.text).links.first { isWeb($0) }
        }
        return nil
    }

    static func isWeb(_ link: String) -> Bool {
        let lower = link.prefix(8).lowercased()
        return lower.hasPrefix("http://") || lower.hasPrefix("https://")
    }

    /// The first `http://` or `https://` link in text, to the first space, quote or angle bracket,
    /// without the punctuation that ends a sentence after it. One pass.
    public static func inText(_ text: String) -> String? {
        let bytes = Array(text.utf8)
        var index = 0
        while index < bytes.count {
            if bytes[index] | 0x20 == UInt8(ascii: "h"), let start = linkStart(bytes, index) {
                var end = start
                while end < bytes.count, !stops(bytes[end]) { end += 1 }
                // A closing bracket belongs to the link when the link opened one.
                let opened = bytes[start..<end].count(where: { $0 == UInt8(ascii: "(") })
                var closed = bytes[start..<end].count(where: { $0 == UInt8(ascii: ")") })
                while end > start, ".,;:!?)]}'".utf8.contains(bytes[end - 1]) {
                    if bytes[end - 1] == UInt8(ascii: ")") {
                        guard closed > opened else { break }
                        closed -= 1
                    }
                    end -= 1
                }
                if end > start { return String(decoding: bytes[index..<end], as: UTF8.self) }
                index = end
            }
            index += 1
        }
        return nil
    }

    /// Where the address after `http://` or `https://` at `index` starts, or nil.
    private static func linkStart(_ bytes: [UInt8], _ index: Int) -> Int? {
        for scheme in ["http://", "https://"] {
            let pattern = Array(scheme.utf8)
            guard index + pattern.count <= bytes.count else { continue }
            if zip(bytes[index..<(index + pattern.count)], pattern).allSatisfy({ $0 | 0x20 == $1 || $0 == $1 }) { return index + pattern.count }
        }
        return nil
    }

    private static func stops(_ byte: UInt8) -> Bool {
        byte <= 32 || byte == 127 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">")
    }
}
