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
        if bodyParts.isEmpty { bodyParts = [.text(.text(""), subtype: "plain")] }

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
    case text(TextBody, subtype: String)
    case file(Attachment)

    func write(into builder: inout SegmentBuilder) {
        switch self {
        case .text(.text(let text), let subtype):
            let bytes = Array(text.utf8)
            var survey = TextPartSurvey()
            bytes.withUnsafeBytes { survey.add($0) }
            survey.finish()
            Self.textHeaders(subtype, quotedPrintable: survey.needsQuotedPrintable, into: &builder)
            builder.bytes(TextPartEncoder.encode(bytes, quotedPrintable: survey.needsQuotedPrintable))
        case .text(.file(let path), let subtype):
            // Measured now, block by block, and encoded again block by block while it is sent.
            switch TextFileSurvey.survey(path) {
            case .success(let survey):
                Self.textHeaders(subtype, quotedPrintable: survey.needsQuotedPrintable, into: &builder)
                builder.segments.append(.textFile(path: path, quotedPrintable: survey.needsQuotedPrintable, size: survey.encodedSize))
            case .failure(let error):
                Self.textHeaders(subtype, quotedPrintable: false, into: &builder)
                builder.segments.append(.unreadable(error))
            }
        case .file(let file):
            builder.text(HeaderEncoding.fold(name: "Content-Type", tokens: ["\(file.mimeType);"] + Self.dropLastSemicolon(HeaderEncoding.parameter("name", file.fileName))))
            builder.text(HeaderEncoding.fold(name: "Content-Disposition", tokens: ["attachment;"] + Self.dropLastSemicolon(HeaderEncoding.parameter("filename", file.fileName))))
            builder.text("Content-Transfer-Encoding: base64\r\n\r\n")
            builder.segments.append(.base64File(path: file.path, size: file.size))
        }
    }

    static func textHeaders(_ subtype: String, quotedPrintable: Bool, into builder: inout SegmentBuilder) {
        builder.text("Content-Type: text/\(subtype); charset=utf-8\r\n")
        builder.text("Content-Transfer-Encoding: \(quotedPrintable ? "quoted-printable" : "7bit")\r\n\r\n")
    }

    static func dropLastSemicolon(_ tokens: [String]) -> [String] {
        var tokens = tokens
        if let last = tokens.last, last.hasSuffix(";") { tokens[tokens.count - 1] = String(last.dropLast()) }
        return tokens
    }
}

/// Reads a body file once, a block at a time, to learn how it will be encoded and how long it is.
enum TextFileSurvey {
    static let blockSize = 64 * 1024

    static func survey(_ path: String) -> Result<TextPartSurvey, MessageStream.ReadError> {
        let fd = RawPath.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .failure(MessageStream.ReadError(path: path, reason: String(cString: strerror(errno)))) }
        defer { close(fd) }
        var survey = TextPartSurvey()
        var block = [UInt8](repeating: 0, count: blockSize)
        while true {
            let n = block.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, blockSize) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { return .failure(MessageStream.ReadError(path: path, reason: String(cString: strerror(errno)))) }
            if n == 0 { break }
            block.withUnsafeBytes { survey.add(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
        }
        survey.finish()
        return .success(survey)
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
