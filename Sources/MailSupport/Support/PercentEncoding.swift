/// RFC 3986 percent-encoding, in one place for every URL mailtui builds: an OAuth form or query,
/// a search in an API request. Every byte but the unreserved ones (`A-Z a-z 0-9 - . _ ~`) is
/// written `%XX`, upper case, so a value can never end a parameter or start another.
public enum PercentEncoding {
    public static func unreserved(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case 0x41...0x5A, 0x61...0x7A, 0x30...0x39, 0x2D, 0x2E, 0x5F, 0x7E: out.unicodeScalars.append(UnicodeScalar(byte))
            default: out += "%" + HexDigits.string(byte, uppercase: true)
            }
        }
        return out
    }
}
