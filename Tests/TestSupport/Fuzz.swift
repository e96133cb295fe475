/// Seeded random inputs for property tests of parsers: the same seed gives the same inputs on
/// every machine, so a failure can be replayed. A trap in the code under test ends the test run,
/// which fails it.
public struct Fuzz: RandomNumberGenerator {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    /// SplitMix64.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Pieces that break parsers: numbers at the edges, quotes, brackets, control and odd Unicode.
    public static let nasty: [String] = [
        "inf", "-inf", "nan", "1e300", "-1e300", "1e16", "99999999999999999999", "-1", "0", "0x7fffffffffffffff",
        "9223372036854775808", "\"", "'", "\\", "[", "]", "[[", "{", "}", "<", ">", "@", "@@", ",", ";", ":", "=", "#",
        "\r", "\n", "\r\n", "\t", "\0", "\u{1B}[2J", "\u{07}", "\u{202E}", "\u{FEFF}", "👨‍👩‍👧", "🇩🇪", "é", "\u{301}",
        "=?utf-8?B?", "?=", "\"\"\"", "'''", " ", "", "true", "false", "null", "[]", "{}", String(repeating: "x", count: 5000),
    ]

    /// One random mutation of `seed`: pieces replaced, inserted, deleted or duplicated.
    public mutating func mutate(_ seed: String) -> String {
        var scalars = Array(seed.unicodeScalars)
        for _ in 0..<Int.random(in: 1...4, using: &self) {
            let at = scalars.isEmpty ? 0 : Int.random(in: 0..<scalars.count, using: &self)
            switch Int.random(in: 0..<5, using: &self) {
            case 0: scalars.insert(contentsOf: Self.nasty.randomElement(using: &self)!.unicodeScalars, at: at)
            case 1 where !scalars.isEmpty: scalars.remove(at: at)
            case 2 where !scalars.isEmpty:
                let end = min(scalars.count, at + Int.random(in: 1...20, using: &self))
                scalars.replaceSubrange(at..<end, with: Self.nasty.randomElement(using: &self)!.unicodeScalars)
            case 3: scalars.insert(Unicode.Scalar(UInt8.random(in: 0...127, using: &self)), at: at)
            default:
                let end = min(scalars.count, at + Int.random(in: 0...40, using: &self))
                scalars.insert(contentsOf: scalars[at..<end], at: at)
            }
        }
        var out = String.UnicodeScalarView()
        out.append(contentsOf: scalars)
        return String(out)
    }

    /// Random bytes, often not UTF-8.
    public mutating func bytes(count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: 0...255, using: &self) }
    }
}
