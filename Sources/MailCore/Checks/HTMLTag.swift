extension HTMLScan {
    /// One start or end tag read from `<` to its `>`: its name and attributes, lower-cased names,
    /// values with entities decoded. A quote that never closes takes the rest of the text, once.
    struct Tag {
        var name: String
        var closing: Bool
        var selfClosing = false
        var attributes: [(name: String, value: String)] = []
        /// The index after the tag's `>` (or the end of the text).
        var end: Int

        subscript(_ name: String) -> String? { attributes.first { $0.name == name }?.value }

        /// At most this many attributes are kept from one tag.
        static let maximumAttributes = 64

        /// Nil when `<` does not start a tag (text such as `a < b`).
        init?(_ bytes: [UInt8], at start: Int) {
            var index = start + 1
            closing = index < bytes.count && bytes[index] == UInt8(ascii: "/")
            if closing { index += 1 }
            let nameStart = index
            while index < bytes.count, Self.isNameByte(bytes[index]) { index += 1 }
            guard index > nameStart, Self.isLetter(bytes[nameStart]) || bytes[nameStart] == UInt8(ascii: "!") || bytes[nameStart] == UInt8(ascii: "?") else {
                if index == nameStart, index < bytes.count, bytes[index] == UInt8(ascii: "!") || bytes[index] == UInt8(ascii: "?") {
                    // <!DOCTYPE …>, <?xml …?>: to the next ">".
                    name = "!"
                    while index < bytes.count, bytes[index] != UInt8(ascii: ">") { index += 1 }
                    end = min(bytes.count, index + 1)
                    return
                }
                return nil
            }
            name = String(decoding: bytes[nameStart..<index], as: UTF8.self).lowercased()
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: ">") { index += 1; break }
                if Self.isSpace(byte) { index += 1; continue }
                if byte == UInt8(ascii: "/") {
                    selfClosing = index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: ">")
                    index += 1
                    continue
                }
                let attributeStart = index
                while index < bytes.count, !Self.isSpace(bytes[index]), bytes[index] != UInt8(ascii: "="), bytes[index] != UInt8(ascii: ">"),
                      bytes[index] != UInt8(ascii: "/") || index == attributeStart { index += 1 }
                let attribute = String(decoding: bytes[attributeStart..<index], as: UTF8.self).lowercased()
                while index < bytes.count, Self.isSpace(bytes[index]) { index += 1 }
                var value = ""
                if index < bytes.count, bytes[index] == UInt8(ascii: "=") {
                    index += 1
                    while index < bytes.count, Self.isSpace(bytes[index]) { index += 1 }
                    if index < bytes.count, bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'") {
                        let quote = bytes[index]
                        let valueStart = index + 1
                        index = valueStart
                        while index < bytes.count, bytes[index] != quote { index += 1 }
                        value = String(decoding: bytes[valueStart..<index], as: UTF8.self)
                        index = min(bytes.count, index + 1)
                    } else {
                        let valueStart = index
                        while index < bytes.count, !Self.isSpace(bytes[index]), bytes[index] != UInt8(ascii: ">") { index += 1 }
                        value = String(decoding: bytes[valueStart..<index], as: UTF8.self)
                    }
                }
                if attributes.count < Self.maximumAttributes, !attribute.isEmpty {
                    attributes.append((attribute, HTMLText.entities(Substring(value))))
                }
            }
            end = index
        }

        static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z") }
        static func isNameByte(_ byte: UInt8) -> Bool {
            isLetter(byte) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ":")
        }
        static func isSpace(_ byte: UInt8) -> Bool { byte == 32 || byte == 9 || byte == 10 || byte == 13 || byte == 12 }
    }
}
