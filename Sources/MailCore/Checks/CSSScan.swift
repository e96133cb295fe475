/// What a piece of CSS uses: property names, `display` values, at-rules, media features and
/// functions, in one pass over its bytes (a style block or a `style` attribute). Not a CSS
/// parser: the checks only need names, and outside CSS may be broken in any way.
struct CSSScan: Sendable, Equatable {
    /// A declaration's property, lower-cased, and its value as written.
    struct Declaration: Sendable, Equatable {
        var property: String
        var value: String
    }

    var declarations: [Declaration] = []
    /// `media`, `font-face`, `import`, `keyframes`, `supports`…
    var atRules: Set<String> = []
    /// The preludes of `@media` rules, lower-cased (`(prefers-color-scheme: dark)`).
    var mediaQueries: [String] = []
    /// Function names used in values, lower-cased (`linear-gradient`, `clamp`, `rgb`).
    var functions: Set<String> = []

    /// At most this many declarations are kept from one scan (a 5 MB message holds fewer).
    static let maximumDeclarations = 100_000

    init(_ bytes: ArraySlice<UInt8>) {
        var start = bytes.startIndex
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            // A comment: to its end, or to the end of the text when it is not closed.
            if byte == UInt8(ascii: "/"), index + 1 < bytes.endIndex, bytes[index + 1] == UInt8(ascii: "*") {
                take(bytes[start..<index], delimiter: 0)
                var end = index + 2
                while end + 1 < bytes.endIndex, !(bytes[end] == UInt8(ascii: "*") && bytes[end + 1] == UInt8(ascii: "/")) { end += 1 }
                index = min(bytes.endIndex, end + 2)
                start = index
                continue
            }
            if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "}") || byte == UInt8(ascii: ";") {
                take(bytes[start..<index], delimiter: byte)
                start = index + 1
            }
            index += 1
        }
        take(bytes[start..<bytes.endIndex], delimiter: 0)
    }

    init(_ text: String) { self.init(Array(text.utf8)[...]) }

    /// One segment between delimiters, read on its bytes (a 5 MB style block has 100k of them).
    private mutating func take(_ segment: ArraySlice<UInt8>, delimiter: UInt8) {
        var start = segment.startIndex
        var end = segment.endIndex
        while start < end, Self.isSpace(segment[start]) { start += 1 }
        while end > start, Self.isSpace(segment[end - 1]) { end -= 1 }
        guard start < end else { return }
        if segment[start] == UInt8(ascii: "@") {
            var nameEnd = start + 1
            while nameEnd < end, Self.isNameByte(segment[nameEnd]) { nameEnd += 1 }
            let name = Self.lowercased(segment[(start + 1)..<nameEnd])
            atRules.insert(name)
            if name == "media" { mediaQueries.append(Self.trimmed(Self.lowercased(segment[nameEnd..<end]))) }
            return
        }
        // A selector before `{` is not a declaration, even with a colon (`a:hover`).
        guard delimiter != UInt8(ascii: "{"), let colon = segment[start..<end].firstIndex(of: UInt8(ascii: ":")) else { return }
        var propertyEnd = colon
        while propertyEnd > start, Self.isSpace(segment[propertyEnd - 1]) { propertyEnd -= 1 }
        guard propertyEnd > start, segment[start..<propertyEnd].allSatisfy(Self.isNameByte) else { return }
        var valueStart = colon + 1
        while valueStart < end, Self.isSpace(segment[valueStart]) { valueStart += 1 }
        let value = segment[valueStart..<end]
        var nameStart: Int?
        for index in value.indices {
            let byte = value[index]
            if Self.isNameByte(byte) {
                if nameStart == nil { nameStart = index }
            } else {
                if byte == UInt8(ascii: "("), let first = nameStart { functions.insert(Self.lowercased(value[first..<index])) }
                nameStart = nil
            }
        }
        if declarations.count < Self.maximumDeclarations {
            declarations.append(Declaration(property: Self.lowercased(segment[start..<propertyEnd]), value: String(decoding: value, as: UTF8.self)))
        }
    }

    static func isSpace(_ byte: UInt8) -> Bool { byte == 32 || byte == 9 || byte == 10 || byte == 13 || byte == 12 }
    /// Letters, digits and `-` (names of properties, at-rules and functions).
    static func isNameByte(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z") || byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") || byte == UInt8(ascii: "-")
    }
    static func lowercased(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes.map { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") ? $0 | 0x20 : $0 }, as: UTF8.self)
    }

    /// Without white space at either end, line breaks included (CSS spreads over lines).
    static func trimmed(_ text: some StringProtocol) -> String {
        String(text.drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
