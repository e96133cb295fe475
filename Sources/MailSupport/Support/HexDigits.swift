/// Bytes written as hex digits, in one place for every writer: quoted-printable, RFC 2231
/// parameters, xtext and the sanitiser's `\x` escapes want upper case; reverse-DNS names, random
/// tokens and fingerprints lower case. Computed, not looked up, so no table to keep in step.
public enum HexDigits {
    /// The ASCII digit of `nibble` (0...15).
    @inlinable
    public static func digit(_ nibble: UInt8, uppercase: Bool) -> UInt8 {
        nibble < 10 ? 48 + nibble : (uppercase ? 55 : 87) + nibble
    }

    /// Appends the two digits of `byte`, high nibble first.
    @inlinable
    public static func append(_ byte: UInt8, uppercase: Bool, to out: inout [UInt8]) {
        out.append(digit(byte >> 4, uppercase: uppercase))
        out.append(digit(byte & 15, uppercase: uppercase))
    }

    /// `bytes` as hex text, two digits a byte.
    public static func string(_ bytes: some Sequence<UInt8>, uppercase: Bool) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes { append(byte, uppercase: uppercase, to: &out) }
        return String(decoding: out, as: UTF8.self)
    }

    /// One byte as its two digits.
    public static func string(_ byte: UInt8, uppercase: Bool) -> String {
        string(CollectionOfOne(byte), uppercase: uppercase)
    }
}
