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

