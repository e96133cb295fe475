/// Base64 (RFC 4648) written for MIME bodies: 76-character lines ending in CRLF.
enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// Input bytes per 76-character output line.
    static let bytesPerLine = 57

    /// One base64 string without line breaks.
    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        bytes.withUnsafeBufferPointer { append($0, to: &out) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the encoding of `input` to `out`, a CRLF after every 76 characters and at the end.
    static func appendLines(_ input: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        var start = 0
        while start < input.count {
            let end = min(start + bytesPerLine, input.count)
            append(UnsafeBufferPointer(rebasing: input[start..<end]), to: &out)
            out.append(13)
            out.append(10)
            start = end
        }
    }

    private static func append(_ input: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        var i = 0
        let n = input.count
        while i + 3 <= n {
            let v = UInt32(input[i]) << 16 | UInt32(input[i + 1]) << 8 | UInt32(input[i + 2])
            out.append(alphabet[Int(v >> 18 & 63)])
            out.append(alphabet[Int(v >> 12 & 63)])
            out.append(alphabet[Int(v >> 6 & 63)])
            out.append(alphabet[Int(v & 63)])
            i += 3
        }
        if n - i == 1 {
            let v = UInt32(input[i]) << 16
            out.append(alphabet[Int(v >> 18 & 63)])
            out.append(alphabet[Int(v >> 12 & 63)])
            out.append(61)
            out.append(61)
        } else if n - i == 2 {
            let v = UInt32(input[i]) << 16 | UInt32(input[i + 1]) << 8
            out.append(alphabet[Int(v >> 18 & 63)])
            out.append(alphabet[Int(v >> 12 & 63)])
            out.append(alphabet[Int(v >> 6 & 63)])
            out.append(61)
        }
    }

    /// Size of the line-broken encoding of `count` bytes.
    static func encodedSize(ofByteCount count: Int) -> Int {
        let fullLines = count / bytesPerLine
        let rest = count % bytesPerLine
        return fullLines * 78 + (rest == 0 ? 0 : (rest + 2) / 3 * 4 + 2)
    }
}

/// Quoted-printable (RFC 2045) for text with non-ASCII or over-long lines.
enum QuotedPrintable {
    /// Encodes text whose lines already end in CRLF; output lines stay within 76 characters.
    static func encode(_ text: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.count + text.count / 8)
        var lineStart = 0
        var i = 0
        while i <= text.count {
            let atEnd = i == text.count
            if atEnd || (text[i] == 13 && i + 1 < text.count && text[i + 1] == 10) {
                encodeLine(text[lineStart..<i], into: &out)
                if atEnd { break }
                out.append(13)
                out.append(10)
                i += 2
                lineStart = i
            } else {
                i += 1
            }
        }
        return out
    }

    private static func encodeLine(_ line: ArraySlice<UInt8>, into out: inout [UInt8]) {
        var column = 0
        for index in line.indices {
            let byte = line[index]
            let isLast = index == line.index(before: line.endIndex)
            let literal = (byte >= 33 && byte <= 126 && byte != 61) || ((byte == 32 || byte == 9) && !isLast)
            let width = literal ? 1 : 3
            // Leave room for the "=" of a soft line break.
            if column + width > (isLast ? 76 : 75) {
                out.append(61)
                out.append(13)
                out.append(10)
                column = 0
            }
            if literal {
                out.append(byte)
            } else {
                out.append(61)
                out += Array(HeaderEncoding.hex(byte).utf8)
            }
            column += width
        }
    }
}
