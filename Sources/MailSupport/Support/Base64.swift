/// Base64 (RFC 4648) written for MIME bodies: 76-character lines ending in CRLF.
public enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// Input bytes per 76-character output line.
    package static let bytesPerLine = 57

    /// One base64 string without line breaks.
    public static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        bytes.withUnsafeBufferPointer { append($0, to: &out) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the encoding of `input` to `out`, a CRLF after every 76 characters and at the end.
    package static func appendLines(_ input: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
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
    package static func encodedSize(ofByteCount count: Int) -> Int {
        let fullLines = count / bytesPerLine
        let rest = count % bytesPerLine
        return fullLines * 78 + (rest == 0 ? 0 : (rest + 2) / 3 * 4 + 2)
    }

    /// The bytes `text` encodes (padding optional, white space ignored), or nil when it is not
    /// base64: for what an SMTP client sends during AUTH.
    public static func decode(_ text: String) -> [UInt8]? {
        var values: [UInt8] = []
        values.reserveCapacity(text.utf8.count)
        var padding = 0
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): values.append(byte - 65)
            case UInt8(ascii: "a")...UInt8(ascii: "z"): values.append(byte - 71)
            case UInt8(ascii: "0")...UInt8(ascii: "9"): values.append(byte + 4)
            case UInt8(ascii: "+"): values.append(62)
            case UInt8(ascii: "/"): values.append(63)
            case UInt8(ascii: "="): padding += 1
            case 9, 10, 13, 32: continue
            default: return nil
            }
            if padding > 0 && byte != UInt8(ascii: "=") { return nil }
        }
        guard padding <= 2, values.count % 4 != 1 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(values.count * 3 / 4)
        var index = 0
        while index + 4 <= values.count {
            let v = UInt32(values[index]) << 18 | UInt32(values[index + 1]) << 12 | UInt32(values[index + 2]) << 6 | UInt32(values[index + 3])
            out += [UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)]
            index += 4
        }
        let rest = values.count - index
        if rest == 2 {
            out.append(values[index] << 2 | values[index + 1] >> 4)
        } else if rest == 3 {
            out.append(values[index] << 2 | values[index + 1] >> 4)
            out.append((values[index + 1] & 0x0F) << 4 | values[index + 2] >> 2)
        }
        return out
    }
}
