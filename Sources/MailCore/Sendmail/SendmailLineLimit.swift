/// Makes a message's long lines legal before `sendmail` sends it, as an MTA does: RFC 5321 (4.5.3.1.6)
/// limits a line to 998 octets before its CRLF, and servers (`mailtui serve`, Exim, OpenSMTPD,
/// Gmail) refuse a message with a longer one. What a reader sees does not change:
/// - a header line is folded at its whitespace (a CRLF put before a space is taken out again
///   when the field is read, RFC 5322 2.2.3); an unstructured field without whitespace to fold
///   at (Subject: one 3,000-character word) is written as RFC 2047 encoded-words instead;
/// - a single-part text body sent as it is (no Content-Transfer-Encoding, 7bit or 8bit) is
///   re-encoded as quoted-printable, which decodes to the same text.
/// - in a multipart, each such text part is re-encoded the same way.
/// Anything else with a long line (a nested multipart, a body already encoded, a structured
/// header with one long word) is refused with the reason, before any connection.
/// A message whose lines are all within the limit is returned as it came, byte for byte.
enum SendmailLineLimit {
    /// The longest line, in octets without its CRLF.
    static let longest = 998

    static func fit(_ message: [UInt8]) -> Result<(bytes: [UInt8], changes: [String]), SendmailProblem> {
        guard longestLine(message[...]).length > longest else { return .success((message, [])) }
        let header = RawHeader(parsing: message)
        var changes: [String] = []
        var fields: [[UInt8]] = []
        for field in header.fields {
            let longLine = longestLine(field.raw)
            guard longLine.length > longest else {
                fields.append(Array(field.raw))
                continue
            }
            if let folded = fold(Array(field.raw)) {
                fields.append(folded)
                changes.append("folded the \(field.name) header at its spaces: a line of it was \(longLine.length) octets, over the 998 that servers take")
            } else if unstructuredFields.contains(field.name.lowercased()) {
                let text = EncodedWords.decode(field.value)
                fields.append(Array(HeaderEncoding.fold(name: field.name, tokens: HeaderEncoding.unstructured(text)).utf8))
                changes.append("wrote the \(field.name) header as encoded-words (RFC 2047): it was \(longLine.length) octets on one line without a space to fold at")
            } else {
                return .failure(SendmailProblem(.data, "the \(field.name) header has a line of \(longLine.length) octets with no space to fold it at; servers refuse lines over 998 octets (RFC 5321). Nothing was sent: shorten the \(field.name) header, or put spaces in it where a line may break."))
            }
        }

        var body = Array(message[min(header.bodyStart, message.count)...])
        let longBodyLine = longestLine(body[...])
        if longBodyLine.length > longest {
            let contentType = header.values("Content-Type").first ?? ""
            let mediaType = (contentType.split(separator: ";", maxSplits: 1).first.map(String.init) ?? "").trimmingSpaces.lowercased()
            let encoding = (header.values("Content-Transfer-Encoding").first ?? "").trimmingSpaces.lowercased()
            let isText = mediaType.isEmpty || mediaType.hasPrefix("text/")
            if mediaType.hasPrefix("multipart/") && ["", "7bit", "8bit"].contains(encoding),
               let boundary = HeaderParameters(parsing: contentType).parameters["boundary"], !boundary.isEmpty,
               let fitted = fitParts(body, boundary: Array(boundary.utf8)) {
                body = fitted.body
                changes += fitted.changes
            } else if !(isText && ["", "7bit", "8bit"].contains(encoding)) {
                let what = "\(mediaType.isEmpty ? "text/plain" : mediaType)" + (encoding.isEmpty ? "" : " with Content-Transfer-Encoding \(encoding)")
                return .failure(SendmailProblem(.data, "line \(longBodyLine.number) of the body is \(longBodyLine.length) octets long, and servers refuse lines over 998 octets (RFC 5321). mailtui re-encodes a text body, or a text part of a multipart, as quoted-printable for you, but this body is \(what)\(mediaType.hasPrefix("multipart/") ? " and the long line is not in a plain text part of it" : ""). Nothing was sent: encode the part with the long lines as quoted-printable or base64 before piping it here, or send the file with mailtui send --attach FILE."))
            } else {
                fields.removeAll { field in RawHeader.fieldName(field, from: 0, to: field.count)?.lowercased() == "content-transfer-encoding" }
                if !header.has("MIME-Version") { fields.append(Array("MIME-Version: 1.0\r\n".utf8)) }
                if contentType.isEmpty && body.contains(where: { $0 >= 128 }) && String(validating: body, as: UTF8.self) != nil {
                    fields.append(Array("Content-Type: text/plain; charset=utf-8\r\n".utf8))
                }
                fields.append(Array("Content-Transfer-Encoding: quoted-printable\r\n".utf8))
                body = TextPartEncoder.encode(body, quotedPrintable: true)
                changes.append("re-encoded the body as quoted-printable: line \(longBodyLine.number) of it was \(longBodyLine.length) octets, over the 998 that servers take")
            }
        }

        var out: [UInt8] = []
        out.reserveCapacity(message.count + message.count / 8 + 256)
        for field in fields { out += field }
        if header.hadSeparator { out += [13, 10] }
        out += body
        return .success((out, changes))
    }

    /// A multipart body with every part that has a long line re-encoded as quoted-printable; nil
    /// when such a part is not plain text sent as it is (a nested multipart, an attachment
    /// already in base64), or a long line is outside the parts, or the encoding would make a
    /// line that reads as the boundary. One level: the parts of the message's own multipart.
    static func fitParts(_ body: [UInt8], boundary: [UInt8]) -> (body: [UInt8], changes: [String])? {
        var out: [UInt8] = []
        out.reserveCapacity(body.count + body.count / 8)
        var changes: [String] = []
        var copied = 0
        let delimiter = Array("--".utf8) + boundary
        for (number, range) in MIMEPart.split(body[...], boundary: boundary).enumerated() {
            let part = Array(body[range])
            let longLine = longestLine(part[...])
            guard longLine.length > longest else { continue }
            let header = RawHeader(parsing: part)
            guard header.fields.allSatisfy({ longestLine($0.raw).length <= longest }) else { return nil }
            let mediaType = (header.values("Content-Type").first.map { HeaderParameters(parsing: $0).value } ?? "text/plain")
            let encoding = (header.values("Content-Transfer-Encoding").first ?? "").trimmingSpaces.lowercased()
            guard mediaType.hasPrefix("text/") && ["", "7bit", "8bit"].contains(encoding) else { return nil }
            let content = Array(part[min(header.bodyStart, part.count)...])
            var encoded = TextPartEncoder.encode(content, quotedPrintable: true)
            // The line break before the next delimiter belongs to the delimiter (RFC 2046 5.1.1):
            // a part that did not end with one must not gain one.
            if content.last != 10 && encoded.count >= 2 { encoded.removeLast(2) }
            if lines(of: encoded).contains(where: { $0.starts(with: delimiter) }) { return nil }
            out += body[copied..<range.lowerBound]
            for field in header.fields where !field.isNamed("Content-Transfer-Encoding") { out += field.raw }
            out += Array("Content-Transfer-Encoding: quoted-printable\r\n\r\n".utf8)
            out += encoded
            copied = range.upperBound
            changes.append("re-encoded part \(number + 1) (\(mediaType)) as quoted-printable: a line of it was \(longLine.length) octets, over the 998 that servers take")
        }
        out += body[copied...]
        return longestLine(out[...]).length <= longest ? (out, changes) : nil
    }

    static func lines(of bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        bytes.split(separator: 10, omittingEmptySubsequences: false)
    }

    /// Fields whose value is unstructured text (RFC 5322 3.6.5, RFC 2045 8): encoded-words may
    /// stand for any of it. In an address or a Message-ID they may not.
    static let unstructuredFields: Set<String> = ["subject", "comments", "content-description", "thread-topic"]

    /// The longest line in `bytes` (octets before its CR LF) and its number, from 1.
    static func longestLine(_ bytes: ArraySlice<UInt8>) -> (length: Int, number: Int) {
        var longest = (length: 0, number: 0)
        var start = bytes.startIndex
        var number = 1
        var index = bytes.startIndex
        while index < bytes.endIndex {
            if bytes[index] == 10 {
                var end = index
                if end > start && bytes[end - 1] == 13 { end -= 1 }
                if end - start > longest.length { longest = (end - start, number) }
                number += 1
                start = index + 1
            }
            index += 1
        }
        if bytes.endIndex - start > longest.length { longest = (bytes.endIndex - start, number) }
        return longest
    }

    /// The field's lines with every line over `longest` folded before a space or tab, near 78
    /// columns where the words allow; nil when a line has no whitespace to fold at within 998
    /// octets. Lines within the limit stay as they are.
    static func fold(_ raw: [UInt8]) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count + raw.count / 32)
        var lineStart = 0
        var first = true
        while lineStart < raw.count {
            var lineEnd = lineStart
            while lineEnd < raw.count && raw[lineEnd] != 10 { lineEnd += 1 }
            let next = min(lineEnd + 1, raw.count)
            var contentEnd = lineEnd
            if contentEnd > lineStart && raw[contentEnd - 1] == 13 { contentEnd -= 1 }
            if contentEnd - lineStart <= longest {
                out += raw[lineStart..<next]
            } else {
                // Where a fold may go: at a space or tab with a non-blank octet before it (after
                // the colon on the first line) and one after it, so that no line is blank.
                let valueStart = first ? (raw[lineStart..<contentEnd].firstIndex(of: UInt8(ascii: ":")) ?? lineStart) + 1 : lineStart
                guard let lastText = raw[valueStart..<contentEnd].lastIndex(where: { !isBlank($0) }) else { return nil }
                var pieceStart = lineStart
                var firstText = raw[valueStart..<contentEnd].firstIndex(where: { !isBlank($0) }) ?? contentEnd
                while contentEnd - pieceStart > HeaderEncoding.foldAt {
                    let lowest = firstText + 1
                    let upper = min(pieceStart + HeaderEncoding.foldAt, lastText)
                    var cut: Int?
                    if lowest <= upper { cut = (lowest...upper).reversed().first { isBlank(raw[$0]) } }
                    if cut == nil, upper + 1 < min(pieceStart + longest + 1, lastText) {
                        cut = (upper + 1..<min(pieceStart + longest + 1, lastText)).first { isBlank(raw[$0]) }
                    }
                    guard let at = cut else {
                        if contentEnd - pieceStart <= longest { break }
                        return nil
                    }
                    out += raw[pieceStart..<at]
                    out += [13, 10]
                    pieceStart = at
                    firstText = raw[pieceStart..<contentEnd].firstIndex(where: { !isBlank($0) }) ?? contentEnd
                }
                out += raw[pieceStart..<contentEnd]
                out += [13, 10]
            }
            first = false
            lineStart = next
        }
        return out
    }

    static func isBlank(_ byte: UInt8) -> Bool { byte == 32 || byte == 9 }
}
