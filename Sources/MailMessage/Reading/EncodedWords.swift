/// RFC 2047 encoded words in header values: `=?utf-8?B?…?=` and `=?iso-8859-1?Q?…?=`.
///
/// Header values come from outside and may be megabytes long (BDAT has no line limit, and folding
/// makes a header as long as a sender likes), so the decoder makes one pass: no candidate word is
/// searched for from its start to the end of the value again.
public enum EncodedWords {
    /// How much of a header value is decoded for showing, in bytes; more is cut and marked "…".
    public static let shownLimit = 64 * 1024

    /// The value with its encoded words decoded; white space between two encoded words goes.
    public static func decode(_ value: String) -> String {
        guard value.utf8.contains(UInt8(ascii: "?")) else { return value }
        return decode(Array(value.utf8))
    }

    /// At most the first `limit` bytes of the value, decoded, and "…" when the rest was cut: what a
    /// list or a view shows of a header, whatever its length.
    public static func shown(_ value: String, limit: Int = shownLimit) -> String {
        let utf8 = value.utf8
        guard utf8.count > limit else { return decode(value) }
        // One byte more than is kept, to cut at the start of a character, not inside one.
        var bytes = Array(utf8.prefix(max(0, limit) + 1))
        var end = bytes.count - 1
        while end > 0, bytes[end] & 0xC0 == 0x80 { end -= 1 }
        bytes.removeSubrange(end...)
        return decode(bytes) + "…"
    }

    private static func decode(_ bytes: [UInt8]) -> String {
        var out = ""
        var literalStart = 0
        var lastWasEncoded = false
        // A payload that ran into white space or the end before any "?=" fails there; a later
        // word starting before that point would fail at the same place, so it is not tried.
        var noCloseBefore = 0
        var index = 0
        while index + 1 < bytes.count {
            guard bytes[index] == UInt8(ascii: "="), bytes[index + 1] == UInt8(ascii: "?") else { index += 1; continue }
            guard let word = parse(bytes, at: index, noCloseBefore: &noCloseBefore) else { index += 1; continue }
            let between = bytes[literalStart..<index]
            if !(lastWasEncoded && between.allSatisfy({ $0 == 32 || $0 == 9 })) {
                out += String(decoding: between, as: UTF8.self)
            }
            out += word.text
            index = word.end
            literalStart = word.end
            lastWasEncoded = true
        }
        return out + String(decoding: bytes[literalStart...], as: UTF8.self)
    }

    /// The encoded word starting at `start` (at its "=?"): its text and the index after its "?=".
    /// The charset runs to the first "?" and the payload to the first "?=" (a stray "?" inside is
    /// taken, as lenient readers do), never past white space.
    private static func parse(_ bytes: [UInt8], at start: Int, noCloseBefore: inout Int) -> (text: String, end: Int)? {
        let question = UInt8(ascii: "?")
        var q1 = start + 2
        while q1 < bytes.count, bytes[q1] != question { q1 += 1 }
        guard q1 + 2 < bytes.count, bytes[q1 + 2] == question else { return nil }
        let encoding = bytes[q1 + 1] | 0x20
        guard encoding == UInt8(ascii: "b") || encoding == UInt8(ascii: "q") else { return nil }
        let payloadStart = q1 + 3
        guard payloadStart >= noCloseBefore else { return nil }
        var close = payloadStart
        while true {
            guard close < bytes.count, !isSpace(bytes[close]) else { noCloseBefore = close; return nil }
            if bytes[close] == question, close + 1 < bytes.count, bytes[close + 1] == UInt8(ascii: "=") { break }
            close += 1
        }
        let charset = String(decoding: bytes[(start + 2)..<q1], as: UTF8.self).split(separator: "*").first.map(String.init) ?? ""
        let payload = bytes[payloadStart..<close]
        let decoded = encoding == UInt8(ascii: "b")
            ? TransferDecoding.base64(Array(payload))
            : TransferDecoding.quotedPrintable(payload.map { $0 == UInt8(ascii: "_") ? 32 : $0 })
        return (TransferDecoding.text(decoded, charset: charset), close + 2)
    }

    private static func isSpace(_ byte: UInt8) -> Bool { byte == 32 || byte == 9 || byte == 13 || byte == 10 }
}
