/// Makes text from a server safe to print on a terminal: escape sequences, C1 controls, BEL,
/// bidirectional overrides and invalid UTF-8 become visible escapes, and very long text is cut with
/// a marker. A hostile server can neither move the cursor nor retitle the window.
public enum TerminalSanitizer {
    /// The default cut-off, in characters.
    public static let defaultMaxLength = 512

    /// Sanitises raw bytes (invalid UTF-8 shown as `\xNN`).
    public static func sanitize(bytes: some Collection<UInt8>, maxLength: Int = defaultMaxLength) -> String {
        let buffer = Array(bytes)
        // The common case, a short line of printable ASCII, is itself.
        if buffer.count <= maxLength, buffer.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
            return String(decoding: buffer, as: UTF8.self)
        }
        var out = ""
        var shown = 0
        var index = 0
        while index < buffer.count {
            if shown == maxLength {
                return out + "…[\(buffer.count - index) more bytes cut]"
            }
            let byte = buffer[index]
            if byte >= 0x20 && byte < 0x7F {
                out.unicodeScalars.append(Unicode.Scalar(byte))
                index += 1
                shown += 1
                continue
            }
            let length = byte < 0x80 ? 1 : byte >> 5 == 0b110 ? 2 : byte >> 4 == 0b1110 ? 3 : byte >> 3 == 0b11110 ? 4 : 0
            if length > 0, index + length <= buffer.count,
               let decoded = String(validating: buffer[index..<index + length], as: UTF8.self),
               let scalar = decoded.unicodeScalars.first {
                out += visible(scalar)
                index += length
            } else {
                out += "\\x" + HexDigits.string(byte, uppercase: true)
                index += 1
            }
            shown += 1
        }
        return out
    }

    /// Sanitises a string.
    public static func sanitize(_ text: String, maxLength: Int = defaultMaxLength) -> String {
        sanitize(bytes: Array(text.utf8), maxLength: maxLength)
    }

    /// The scalar itself when harmless, else a visible escape.
    static func visible(_ scalar: Unicode.Scalar) -> String {
        if let byte = RawPath.byte(scalar) { return "\\x" + HexDigits.string(byte, uppercase: true) }
        switch scalar.value {
        case 0x1B: return "^["
        case 0x09: return "\\t"
        case 0x0D: return "\\r"
        case 0x0A: return "\\n"
        case 0x00..<0x20: return "^" + String(UnicodeScalar(UInt8(scalar.value + 0x40)))
        case 0x7F: return "^?"
        case 0x80...0x9F: return "\\u{\(String(scalar.value, radix: 16))}"
        // Bidirectional overrides and isolates can reorder what is shown around them.
        case 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: return "\\u{\(String(scalar.value, radix: 16))}"
        default: return String(scalar)
        }
    }
}
