#if canImport(Glibc)
import Glibc
#endif

/// One MIME entity of a message read back from its bytes (a captured message): its header, its
/// type, and its body, or its parts when it is a multipart. Whatever the bytes, reading never
/// fails: a broken message gives a part that says what it could read.
public struct MIMEPart: Sendable, Equatable {
    /// A header field, unfolded, its value as it came (encoded words left as they are).
    public struct Field: Sendable, Equatable {
        public var name: String
        public var value: String
    }

    public var fields: [Field]
    /// `text/plain`, lower-cased; `text/plain` when the header gives none (RFC 2045).
    public var mediaType: String
    /// Content-Type parameters, names lower-cased (`charset`, `boundary`, `name`).
    public var parameters: [String: String]
    /// `7bit`, `quoted-printable`, `base64`…, lower-cased.
    public var transferEncoding: String
    /// `attachment` or `inline`, lower-cased, when given.
    public var disposition: String?
    /// The file name, from Content-Disposition or Content-Type's `name`, encoded words decoded.
    public var fileName: String?
    /// The body as it came, still transfer-encoded (empty for a multipart).
    public var body: [UInt8]
    public var parts: [MIMEPart]

    /// The first value of a header field, by name (any case).
    public func field(_ name: String) -> String? {
        let wanted = name.lowercased()
        return fields.first { $0.name.lowercased() == wanted }?.value
    }

    public var isMultipart: Bool { mediaType.hasPrefix("multipart/") }

    /// An attachment: said so, or carrying a file name, or not text and not a multipart.
    public var isAttachment: Bool {
        if isMultipart { return false }
        if disposition == "attachment" || fileName != nil { return true }
        return !mediaType.hasPrefix("text/") && mediaType != "message/rfc822"
    }

    /// The body with its transfer encoding undone.
    public var decodedBody: [UInt8] {
        switch transferEncoding {
        case "base64": TransferDecoding.base64(body)
        case "quoted-printable": TransferDecoding.quotedPrintable(body)
        default: body
        }
    }

    /// The body as text, in its charset (UTF-8, US-ASCII, ISO-8859-1 and Windows-1252 are read;
    /// others as UTF-8, with what does not decode replaced).
    public var text: String { TransferDecoding.text(decodedBody, charset: parameters["charset"]) }

    /// Every part in the tree, depth first, with its depth.
    public func walk() -> [(depth: Int, part: MIMEPart)] {
        var out: [(Int, MIMEPart)] = [(0, self)]
        for child in parts { out += child.walk().map { ($0.depth + 1, $0.part) } }
        return out
    }
}

extension MIMEPart {
    /// The deepest multipart nesting read; deeper parts are kept as bodies.
    public static let maximumDepth = 32
    /// The most parts read in one multipart; the rest are dropped.
    public static let maximumParts = 1000
    /// The most parts read in a whole message; the rest are dropped.
    public static let maximumTotalParts = 10_000

    /// Reads a message (or a part) from its bytes. Every part is read as a range of one buffer:
    /// only the bodies of the leaves are copied out, and they do not overlap, so the copies add up
    /// to at most the message's size however deep it nests. (Copying each level's content once
    /// took 1 GB for a 28 MiB message nested 31 deep.)
    public init(reading bytes: some Collection<UInt8>) {
        var budget = Self.maximumTotalParts
        self.init(reading: Array(bytes)[...], depth: 0, budget: &budget)
    }

    private init(reading bytes: ArraySlice<UInt8>, depth: Int, budget: inout Int) {
        let (fields, bodyStart) = Self.header(of: bytes)
        self.fields = fields
        let type = fields.last { $0.name.lowercased() == "content-type" }.map { HeaderParameters(parsing: $0.value) }
        mediaType = type.map(\.value).flatMap { $0.contains("/") ? $0 : nil } ?? "text/plain"
        parameters = type?.parameters ?? [:]
        transferEncoding = fields.last { $0.name.lowercased() == "content-transfer-encoding" }
            .map { $0.value.trimmingSpaces.lowercased() } ?? "7bit"
        let disposition = fields.last { $0.name.lowercased() == "content-disposition" }.map { HeaderParameters(parsing: $0.value) }
        self.disposition = disposition?.value
        fileName = (disposition?.parameters["filename"] ?? type?.parameters["name"]).map(EncodedWords.decode)
        let content = bytes[bodyStart...]
        if mediaType.hasPrefix("multipart/"), depth < Self.maximumDepth, let boundary = parameters["boundary"], !boundary.isEmpty {
            body = []
            var parts: [MIMEPart] = []
            for range in Self.split(content, boundary: Array(boundary.utf8)) {
                guard budget > 0 else { break }
                budget -= 1
                parts.append(MIMEPart(reading: content[range], depth: depth + 1, budget: &budget))
            }
            self.parts = parts
        } else {
            body = Array(content)
            parts = []
        }
    }

    /// The header fields (unfolded) and where the body starts (an index of `bytes`): after the
    /// first empty line, or at the end when there is none.
    static func header(of bytes: ArraySlice<UInt8>) -> ([Field], Int) {
        var fields: [Field] = []
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let end = lineEnd(bytes, from: index)
            var line = bytes[index..<end]
            if line.last == 13 { line = line.dropLast() }
            index = min(bytes.endIndex, end + 1)
            if line.isEmpty { return (fields, index) }
            if line.first == 32 || line.first == 9, !fields.isEmpty {
                fields[fields.count - 1].value += " " + String(decoding: line, as: UTF8.self).trimmingSpaces
            } else if let colon = line.firstIndex(of: UInt8(ascii: ":")) {
                let name = String(decoding: line[..<colon], as: UTF8.self).trimmingSpaces
                fields.append(Field(name: name, value: String(decoding: line[(colon + 1)...], as: UTF8.self).trimmingSpaces))
            } else if fields.isEmpty {
                // Not a header at all: the whole thing is body.
                return ([], bytes.startIndex)
            }
        }
        return (fields, bytes.endIndex)
    }

    static func header(of bytes: [UInt8]) -> ([Field], Int) { header(of: bytes[...]) }

    /// Where the line feed at or after `index` is, else the end. With `memchr`: every level of a
    /// nested message looks through what it holds again, up to `maximumDepth` times.
    static func lineEnd(_ bytes: ArraySlice<UInt8>, from index: Int) -> Int {
        guard index < bytes.endIndex else { return bytes.endIndex }
        return bytes.withUnsafeBufferPointer { buffer in
            let start = buffer.baseAddress! + (index - bytes.startIndex)
            guard let found = memchr(start, 10, bytes.endIndex - index) else { return bytes.endIndex }
            return index + (UnsafeRawPointer(found) - UnsafeRawPointer(start))
        }
    }

    /// Where the parts between `--boundary` lines are (indexes of `content`), each without the line
    /// break that belongs to the delimiter after it; nothing after `--boundary--`, and at most
    /// `maximumParts`.
    package static func split(_ content: ArraySlice<UInt8>, boundary: [UInt8]) -> [Range<Int>] {
        let delimiter = [UInt8(ascii: "-"), UInt8(ascii: "-")] + boundary
        var parts: [Range<Int>] = []
        var current: Int?
        var index = content.startIndex
        while index < content.endIndex, parts.count < maximumParts {
            let end = lineEnd(content, from: index)
            let line = content[index..<end]
            if line.starts(with: delimiter) {
                let rest = line.dropFirst(delimiter.count)
                let closing = rest.starts(with: [45, 45])
                let trailing = closing ? rest.dropFirst(2) : rest
                if trailing.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) {
                    if let start = current {
                        var stop = index
                        if stop > start, content[stop - 1] == 10 { stop -= 1 }
                        if stop > start, content[stop - 1] == 13 { stop -= 1 }
                        parts.append(start..<max(start, stop))
                    }
                    if closing { return parts }
                    current = min(content.endIndex, end + 1)
                }
            }
            index = end + 1
        }
        // No closing delimiter: what was open is a part all the same.
        if parts.count < maximumParts, let start = current, start < content.endIndex { parts.append(start..<content.endIndex) }
        return parts
    }
}

/// `type/subtype; name=value; name="quoted value"`, and RFC 2231's `name*=charset''percent%20encoded`.
package struct HeaderParameters {
    package var value: String
    package var parameters: [String: String] = [:]

    package init(parsing text: String) {
        var pieces: [String] = []
        var current = ""
        var quoted = false
        var escaped = false
        // Quotes stay in the pieces, so that a quoted value keeps its spaces.
        for character in text {
            if escaped { current.append(character); escaped = false; continue }
            if quoted && character == "\\" { current.append(character); escaped = true; continue }
            if character == "\"" { quoted.toggle() }
            if character == ";" && !quoted { pieces.append(current); current = ""; continue }
            current.append(character)
        }
        pieces.append(current)
        value = pieces[0].trimmingSpaces.lowercased().filter { $0 != "\"" }
        var continued: [String: [(Int, String)]] = [:]
        for piece in pieces.dropFirst() {
            guard let equals = piece.firstIndex(of: "=") else { continue }
            var name = String(piece[..<equals]).trimmingSpaces.lowercased()
            var raw = String(piece[piece.index(after: equals)...]).trimmingSpaces
            if raw.count >= 2, raw.hasPrefix("\""), raw.hasSuffix("\"") { raw = Self.unquoted(raw.dropFirst().dropLast()) }
            let extended = name.hasSuffix("*")
            if extended { name.removeLast() }
            if extended, let first = raw.firstIndex(of: "'"), let second = raw[raw.index(after: first)...].firstIndex(of: "'") {
                raw = String(raw[raw.index(after: second)...])
            }
            if extended { raw = Self.percentDecoded(raw) }
            // `name*0`, `name*1`…: pieces of one long value.
            if let star = name.firstIndex(of: "*"), let number = Int(name[name.index(after: star)...]) {
                continued[String(name[..<star]), default: []].append((number, raw))
                continue
            }
            parameters[name] = raw
        }
        for (name, pieces) in continued where parameters[name] == nil {
            parameters[name] = pieces.sorted { $0.0 < $1.0 }.map(\.1).joined()
        }
    }

    /// A quoted string's content: `\x` is `x`.
    static func unquoted(_ text: Substring) -> String {
        var out = ""
        var escaped = false
        for character in text {
            if !escaped && character == "\\" { escaped = true; continue }
            escaped = false
            out.append(character)
        }
        return out
    }

    static func percentDecoded(_ text: String) -> String {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%"), let high = iterator.next(), let low = iterator.next(),
               let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) {
                bytes.append(value)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
