/// Header text as RFC 5322 wants it: ASCII only, folded near 78 columns, never over 998 octets.
/// Non-ASCII text becomes RFC 2047 encoded-words, non-ASCII parameters RFC 2231 extended values.
public enum HeaderEncoding {
    /// Preferred line length; folding happens at whitespace before this.
    package static let foldAt = 78

    /// A header with the given tokens, folded at the spaces between tokens.
    public static func fold(name: String, tokens: [String]) -> String {
        var out = name + ":"
        var lineLength = out.utf8.count
        for token in tokens {
            let needed = 1 + token.utf8.count
            if lineLength + needed > foldAt && lineLength > name.utf8.count + 1 && !token.isEmpty {
                out += "\r\n " + token
                lineLength = 1 + token.utf8.count
            } else {
                out += " " + token
                lineLength += needed
            }
        }
        return out + "\r\n"
    }

    /// Unstructured text (Subject, extra header values): ASCII words as they are, anything else as
    /// encoded-words. Whitespace between ASCII words is kept exactly.
    ///
    /// A word too long to fold (over `longestWord`) sends the whole text into encoded-words, which
    /// fold anywhere and keep every space exactly: no line can then pass 998 octets.
    package static func unstructured(_ text: String) -> [String] {
        let words = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        let plain = text.unicodeScalars.allSatisfy { $0.isASCII && ($0.value >= 32 || $0 == "\t") && $0.value < 127 }
        if plain && words.allSatisfy({ $0.utf8.count <= longestWord && !$0.hasPrefix("=?") }) {
            return words
        }
        return encodedWords(text)
    }

    /// The longest word kept as it is: one that still fits a 78-column line after folding.
    static let longestWord = foldAt - 2

    /// A display name: an atom phrase when it can be, a quoted string when it has specials, encoded
    /// words when it has non-ASCII text.
    ///
    /// Every token fits a folded line: atoms of at most `longestWord`, a quoted string of at most
    /// that, and encoded-words (which split anywhere) for everything longer.
    static func phrase(_ name: String) -> [String] {
        if name.unicodeScalars.allSatisfy({ $0.isASCII }) {
            let words = name.split(separator: " ")
            let isAtoms = words.allSatisfy { word in word.allSatisfy(AddressSyntax.isAtext) && word.utf8.count <= longestWord }
            if isAtoms && !name.hasPrefix(" ") && !name.hasSuffix(" ") && !name.contains("  ") && !name.contains("=?") {
                return words.map(String.init)
            }
            let quoted = "\"" + name.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"") + "\""
            if quoted.utf8.count <= longestWord { return [quoted] }
        }
        return encodedWords(name)
    }

    /// `=?UTF-8?B?...?=` words of at most 75 characters, split between Unicode scalars so that no
    /// word holds part of a UTF-8 sequence.
    static func encodedWords(_ text: String) -> [String] {
        // 39 bytes = 52 base64 characters + 12 for the wrapper = 64, so that even the first word
        // fits beside a header name on a 78-column line.
        let maxBytes = 39
        var words: [String] = []
        var chunk: [UInt8] = []
        for scalar in text.unicodeScalars {
            let bytes = Array(String(scalar).utf8)
            if chunk.count + bytes.count > maxBytes {
                words.append(encodedWord(chunk))
                chunk.removeAll(keepingCapacity: true)
            }
            chunk += bytes
        }
        if !chunk.isEmpty || words.isEmpty { words.append(encodedWord(chunk)) }
        return words
    }

    private static func encodedWord(_ bytes: [UInt8]) -> String {
        "=?UTF-8?B?" + Base64.encode(bytes) + "?="
    }

    /// A MIME parameter (`; name="value"`), as RFC 2231 extended and continued parameters when the
    /// value is not short printable ASCII. Returns the tokens to pass to `fold`.
    static func parameter(_ attribute: String, _ value: String) -> [String] {
        let simple = value.utf8.count <= 60 && value.unicodeScalars.allSatisfy { $0.isASCII && $0.value >= 32 && $0.value < 127 }
        if simple {
            let escaped = value.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"")
            return ["\(attribute)=\"\(escaped)\";"]
        }
        var encoded: [String] = []
        var current = ""
        for byte in value.utf8 {
            let piece = attributeChars.contains(byte) ? String(UnicodeScalar(byte)) : "%" + HexDigits.string(byte, uppercase: true)
            if current.utf8.count + piece.utf8.count > 54 {
                encoded.append(current)
                current = ""
            }
            current += piece
        }
        encoded.append(current)
        if encoded.count == 1 {
            return ["\(attribute)*=utf-8''\(encoded[0]);"]
        }
        return encoded.enumerated().map { index, part in
            index == 0 ? "\(attribute)*0*=utf-8''\(part);" : "\(attribute)*\(index)*=\(part);"
        }
    }

    /// RFC 2231 attribute-char: ASCII printable except specials, space, `*`, `'` and `%`.
    private static let attributeChars: Set<UInt8> = Set(
        Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$&+-.^_`|~".utf8)
    )

    /// Tokens for an address list: each mailbox, commas between them.
    public static func addressList(_ mailboxes: [Mailbox]) -> [String] {
        var tokens: [String] = []
        for (index, mailbox) in mailboxes.enumerated() {
            var parts: [String] = []
            if let name = mailbox.displayName, !name.isEmpty {
                parts = phrase(name) + ["<\(mailbox.address)>"]
            } else {
                parts = [mailbox.address]
            }
            if index < mailboxes.count - 1 { parts[parts.count - 1] += "," }
            tokens += parts
        }
        return tokens
    }
}
