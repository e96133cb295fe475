/// Random hex for boundaries and Message-IDs.
public enum RandomToken {
    /// `bytes` random bytes as lower-case hex, from the system's generator eight bytes at a time
    /// (a load run makes one per message: a draw per byte was a system call per byte).
    public static func hex(bytes: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        var out: [UInt8] = []
        out.reserveCapacity(bytes * 2)
        var word: UInt64 = 0
        for index in 0..<bytes {
            if index % 8 == 0 { word = generator.next() }
            let byte = UInt8(truncatingIfNeeded: word >> (UInt64(index % 8) * 8))
            HexDigits.append(byte, uppercase: false, to: &out)
        }
        return String(decoding: out, as: UTF8.self)
    }
}
