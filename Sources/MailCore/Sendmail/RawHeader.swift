/// The header of a message given as bytes (CRLF line ends), read without changing a byte: its
/// fields in order, each with its exact lines, and where the body starts. One pass.
///
/// The header ends at the first empty line, or at the first line that is neither a field nor the
/// continuation of one (then the message had no empty line, and that line starts the body). An
/// mbox "From " line before the first field is not part of the message and is dropped, as
/// sendmail does.
public struct RawHeader: Sendable {
    public struct Field: Sendable, Equatable {
        /// The name as written (`Bcc`, `bcc`).
        public var name: String
        /// The field's lines exactly, CRLF ends included.
        public var raw: ArraySlice<UInt8>
        /// The value unfolded (the line breaks before continuation lines taken out), trimmed.
        public var value: String {
            var unfolded: [UInt8] = []
            unfolded.reserveCapacity(raw.count)
            var index = (raw.firstIndex(of: UInt8(ascii: ":")) ?? raw.startIndex) + 1
            while index < raw.endIndex {
                let byte = raw[index]
                if byte != 13 && byte != 10 { unfolded.append(byte) }
                index += 1
            }
            return String(decoding: unfolded, as: UTF8.self).trimmingSpaces
        }

        /// Whether this is the field `name`, in any case.
        public func isNamed(_ other: String) -> Bool { name.lowercased() == other.lowercased() }
    }

    public var fields: [Field] = []
    /// The index in the bytes where the body starts.
    public var bodyStart: Int
    /// Whether an empty line separated header and body (false: none was there, or no body).
    public var hadSeparator: Bool
    /// Whether an mbox "From " line was dropped from the top.
    public var droppedMboxLine = false

    public init(parsing bytes: [UInt8]) {
        var index = 0
        if bytes.starts(with: Array("From ".utf8)) {
            index = Self.lineEnd(bytes, from: 0)
            droppedMboxLine = true
        }
        bodyStart = bytes.count
        hadSeparator = false
        while index < bytes.count {
            let end = Self.lineEnd(bytes, from: index)
            let length = end - index
            if (length == 1 && bytes[index] == 10) || (length == 2 && bytes[index] == 13 && bytes[index + 1] == 10) {
                bodyStart = end
                hadSeparator = true
                return
            }
            let first = bytes[index]
            if (first == 32 || first == 9), !fields.isEmpty {
                let last = fields.count - 1
                fields[last].raw = bytes[fields[last].raw.startIndex..<end]
            } else if let name = Self.fieldName(bytes, from: index, to: end) {
                fields.append(Field(name: name, raw: bytes[index..<end]))
            } else {
                bodyStart = index
                return
            }
            index = end
        }
    }

    /// The unfolded values of every field called `name`, in order.
    public func values(_ name: String) -> [String] {
        fields.filter { $0.isNamed(name) }.map(\.value)
    }

    public func has(_ name: String) -> Bool { fields.contains { $0.isNamed(name) } }

    /// The index just past the CRLF ending the line that starts at `start` (or the end).
    static func lineEnd(_ bytes: [UInt8], from start: Int) -> Int {
        var index = start
        while index < bytes.count {
            if bytes[index] == 10 { return index + 1 }
            index += 1
        }
        return bytes.count
    }

    /// RFC 5322 field name (printable ASCII but ":") followed by ":", or nil.
    static func fieldName(_ bytes: [UInt8], from start: Int, to end: Int) -> String? {
        var index = start
        while index < end {
            let byte = bytes[index]
            if byte == UInt8(ascii: ":") {
                return index > start ? String(decoding: bytes[start..<index], as: UTF8.self) : nil
            }
            if byte < 33 || byte > 126 { return nil }
            index += 1
        }
        return nil
    }
}
