#if canImport(Glibc)
import Glibc
#endif

/// Writes a `Message` as RFC 5322 / MIME: CRLF line endings, Date and Message-ID, text and HTML as
/// multipart/alternative, attachments as multipart/mixed, Bcc only in the envelope.
public struct MessageRenderer: Sendable {
    public var options: RenderOptions
    /// The User-Agent header value.
    public var userAgent: String

    public init(options: RenderOptions = RenderOptions(), userAgent: String = "mailtui") {
        self.options = options
        self.userAgent = userAgent
    }

    /// The message as a stream ready for upload; its `totalSize` is exact.
    public func render(_ message: Message) -> MessageStream {
        var builder = SegmentBuilder()
        var boundaryCounter = 0
        func nextBoundary() -> String {
            boundaryCounter += 1
            return options.fixedBoundaries ? "=_mailtui_boundary_\(boundaryCounter)" : "=_mailtui_\(RandomToken.hex(bytes: 12))_\(boundaryCounter)"
        }

        builder.text(topHeaders(message))

        let textPart = message.textBody.map { BodyPart.text($0, subtype: "plain") }
        let htmlPart = message.htmlBody.map { BodyPart.text($0, subtype: "html") }
        var bodyParts = [textPart, htmlPart].compactMap { $0 }
        if bodyParts.isEmpty { bodyParts = [.text("", subtype: "plain")] }

        func writeBody(_ builder: inout SegmentBuilder) {
            if bodyParts.count == 1 {
                bodyParts[0].write(into: &builder)
            } else {
                let boundary = nextBoundary()
                builder.text(HeaderEncoding.fold(name: "Content-Type", tokens: ["multipart/alternative;", "boundary=\"\(boundary)\""]) + "\r\n")
                for part in bodyParts {
                    builder.text("--\(boundary)\r\n")
                    part.write(into: &builder)
                    builder.text("\r\n")
                }
                builder.text("--\(boundary)--\r\n")
            }
        }

        if message.attachments.isEmpty {
            writeBody(&builder)
        } else {
            let boundary = nextBoundary()
            builder.text(HeaderEncoding.fold(name: "Content-Type", tokens: ["multipart/mixed;", "boundary=\"\(boundary)\""]) + "\r\n")
            builder.text("This is a multi-part message in MIME format.\r\n\r\n")
            builder.text("--\(boundary)\r\n")
            writeBody(&builder)
            for attachment in message.attachments {
                builder.text("\r\n--\(boundary)\r\n")
                BodyPart.file(attachment).write(into: &builder)
            }
            builder.text("\r\n--\(boundary)--\r\n")
        }
        return MessageStream(segments: builder.segments)
    }

    /// From, To, Cc, Reply-To, Subject, Date, Message-ID, MIME-Version, the extra headers.
    func topHeaders(_ message: Message) -> String {
        let now = options.date ?? Int(time(nil))
        var out = HeaderEncoding.fold(name: "Date", tokens: [RFC5322Date.format(epochSeconds: now, utcOffsetSeconds: options.utcOffsetSeconds)])
        out += HeaderEncoding.fold(name: "From", tokens: HeaderEncoding.addressList([message.from]))
        if !message.to.isEmpty { out += HeaderEncoding.fold(name: "To", tokens: HeaderEncoding.addressList(message.to)) }
        if !message.cc.isEmpty { out += HeaderEncoding.fold(name: "Cc", tokens: HeaderEncoding.addressList(message.cc)) }
        if !message.replyTo.isEmpty { out += HeaderEncoding.fold(name: "Reply-To", tokens: HeaderEncoding.addressList(message.replyTo)) }
        out += HeaderEncoding.fold(name: "Subject", tokens: HeaderEncoding.unstructured(message.subject))
        let domain = message.from.address.split(separator: "@").last.map(String.init) ?? "mailtui.invalid"
        let messageID = options.messageID ?? "<\(RandomToken.hex(bytes: 16)).\(now)@\(domain)>"
        out += HeaderEncoding.fold(name: "Message-ID", tokens: [messageID])
        out += HeaderEncoding.fold(name: "User-Agent", tokens: [userAgent])
        for header in message.extraHeaders {
            out += HeaderEncoding.fold(name: header.name, tokens: HeaderEncoding.unstructured(header.value))
        }
        out += "MIME-Version: 1.0\r\n"
        return out
    }
}

/// One leaf part: a text body or an attached file.
enum BodyPart {
    case text(String, subtype: String)
    case file(Attachment)

    func write(into builder: inout SegmentBuilder) {
        switch self {
        case .text(let text, let subtype):
            let bytes = Self.crlfNormalized(text)
            let plain = bytes.allSatisfy { $0 < 128 && $0 != 0 } && Self.longestLine(bytes) <= 998
                && !text.contains("=_mailtui")
            builder.text("Content-Type: text/\(subtype); charset=utf-8\r\n")
            if plain {
                builder.text("Content-Transfer-Encoding: 7bit\r\n\r\n")
                builder.bytes(bytes)
            } else {
                builder.text("Content-Transfer-Encoding: quoted-printable\r\n\r\n")
                builder.bytes(QuotedPrintable.encode(bytes))
            }
            if !(bytes.last == 10) { builder.text("\r\n") }
        case .file(let file):
            builder.text(HeaderEncoding.fold(name: "Content-Type", tokens: ["\(file.mimeType);"] + Self.dropLastSemicolon(HeaderEncoding.parameter("name", file.fileName))))
            builder.text(HeaderEncoding.fold(name: "Content-Disposition", tokens: ["attachment;"] + Self.dropLastSemicolon(HeaderEncoding.parameter("filename", file.fileName))))
            builder.text("Content-Transfer-Encoding: base64\r\n\r\n")
            builder.segments.append(.base64File(path: file.path, size: file.size))
        }
    }

    /// Any mix of CRLF, CR and LF becomes CRLF.
    static func crlfNormalized(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 64)
        var previousCR = false
        for byte in text.utf8 {
            if byte == 10 {
                if !previousCR { out.append(13) }
                out.append(10)
                previousCR = false
            } else {
                if previousCR { out.append(10) }
                if byte == 13 { out.append(13); previousCR = true; continue }
                out.append(byte)
                previousCR = false
            }
        }
        if previousCR { out.append(10) }
        return out
    }

    static func longestLine(_ bytes: [UInt8]) -> Int {
        var longest = 0
        var current = 0
        for byte in bytes {
            if byte == 13 || byte == 10 { longest = max(longest, current); current = 0 } else { current += 1 }
        }
        return max(longest, current)
    }

    static func dropLastSemicolon(_ tokens: [String]) -> [String] {
        var tokens = tokens
        if let last = tokens.last, last.hasSuffix(";") { tokens[tokens.count - 1] = String(last.dropLast()) }
        return tokens
    }
}

/// Collects segments, merging adjacent text.
struct SegmentBuilder {
    var segments: [MessageStream.Segment] = []

    mutating func text(_ string: String) { bytes(Array(string.utf8)) }

    mutating func bytes(_ data: [UInt8]) {
        if case .bytes(let previous)? = segments.last {
            segments[segments.count - 1] = .bytes(previous + data)
        } else {
            segments.append(.bytes(data))
        }
    }
}
