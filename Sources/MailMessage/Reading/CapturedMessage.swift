/// A captured message read for showing: each view's lines, its attachments and the checks. Every
/// line is made safe for a terminal here, since all of it is outside input.
public struct CapturedMessage: Sendable, Equatable {
    /// A file in the message that can be saved.
    public struct Attachment: Sendable, Equatable {
        public var name: String
        public var mediaType: String
        /// Its decoded size.
        public var size: Int
        /// Where it is in the tree (part indexes from the root), to find its bytes again.
        public var path: [Int]
    }

    public var text: [String]
    public var html: [String]
    public var headers: [String]
    public var structure: [String]
    public var raw: [String]
    public var checks: [String]
    public var attachments: [Attachment]
    /// The top-level fields, decoded, for "send again".
    public var fields: [MIMEPart.Field]
    /// The first text/plain and text/html bodies, as text.
    public var textBody: String?
    public var htmlBody: String?
    /// The DKIM verdict in one line, once checked against DNS (`apply`); nil until then.
    public var dkim: String?

    /// The verdict of the message's DKIM signatures (checked in the background, `DKIMCheck`): it
    /// goes to `dkim`, the Headers view's first line, and, when it fails, to the checks. A second
    /// verdict changes nothing.
    public mutating func apply(_ verdict: DKIMVerifier.Verdict) {
        guard dkim == nil else { return }
        dkim = Self.safe(verdict.words)
        headers.insert(Self.safe(verdict.words), at: 0)
        if case .fail = verdict { checks.insert(Self.safe(verdict.words), at: 0) }
    }

    /// Lines longer than this are cut for showing (the raw view keeps the line count).
    static let longestShown = 4000

    public init(bytes: [UInt8], envelopeFrom: String?) {
        let root = MIMEPart(reading: bytes)
        let all = root.walk()
        let plain = all.first { $0.part.mediaType == "text/plain" && !$0.part.isAttachment }?.part
        // Each HTML part is read once: the HTML tab shows the first body, the checks look at the
        // links of them all.
        let readHTML = all.map { $0.part.mediaType == "text/html" ? HTMLText($0.part.text) : nil }
        let richIndex = all.firstIndex { $0.part.mediaType == "text/html" && !$0.part.isAttachment }
        let rich = richIndex.map { all[$0].part }
        textBody = plain?.text
        htmlBody = rich?.text
        text = textBody.map(Self.safeLines) ?? ["(No text part." + (rich == nil ? ")" : " The HTML tab shows the HTML as text.)")]
        html = richIndex.flatMap { readHTML[$0] }.map { $0.lines.map(Self.safe) } ?? ["(No HTML part.)"]
        // Decoded up to a bound: a header can be megabytes long, and no view shows that much.
        fields = root.fields.map { MIMEPart.Field(name: $0.name, value: EncodedWords.shown($0.value)) }
        headers = fields.map { Self.safe($0.name + ": " + $0.value) }
        structure = all.map { depth, part in
            var facts = [part.mediaType]
            if let charset = part.parameters["charset"] { facts.append("charset=" + charset) }
            if !part.isMultipart {
                facts.append(part.transferEncoding)
                facts.append(ByteCount.human(part.decodedBody.count))
            }
            if let name = part.fileName { facts.append("\"\(name)\"") }
            if let disposition = part.disposition { facts.append(disposition) }
            return Self.safe(String(repeating: "  ", count: depth) + facts.joined(separator: ", "))
        }
        raw = Self.rawLines(bytes)
        checks = MessageChecks.findings(root, raw: bytes, envelopeFrom: envelopeFrom, htmlLinks: readHTML.flatMap { $0?.links ?? [] }).map(Self.safe)
        attachments = Self.attachments(in: root, at: [])
    }

    private static func attachments(in part: MIMEPart, at path: [Int]) -> [Attachment] {
        if part.isAttachment && !path.isEmpty {
            return [Attachment(name: part.fileName ?? "part-\(path.map(String.init).joined(separator: "."))", mediaType: part.mediaType,
                               size: part.decodedBody.count, path: path)]
        }
        return part.parts.enumerated().flatMap { attachments(in: $0.element, at: path + [$0.offset]) }
    }

    /// An attachment's bytes, found again by its path in the message.
    public static func attachmentBytes(_ bytes: [UInt8], path: [Int]) -> [UInt8]? {
        var part = MIMEPart(reading: bytes)
        for index in path {
            guard index < part.parts.count else { return nil }
            part = part.parts[index]
        }
        return part.decodedBody
    }

    /// The raw view shows this many lines; the rest is in the file.
    static let rawLinesShown = 5000

    /// The first lines of the source, and how many more there are.
    static func rawLines(_ bytes: [UInt8]) -> [String] {
        var end = 0
        var count = 0
        while end < bytes.count, count < rawLinesShown {
            end = (bytes[end...].firstIndex(of: 10) ?? bytes.count - 1) + 1
            count += 1
        }
        var lines = safeLines(String(decoding: bytes[..<end], as: UTF8.self))
        if end < bytes.count {
            let more = bytes[end...].reduce(0) { $0 + ($1 == 10 ? 1 : 0) } + (bytes.last == 10 ? 0 : 1)
            lines.append("… \(more) more lines (\(ByteCount.human(bytes.count - end))) in the message's file")
        }
        return lines
    }

    static func safe(_ line: String) -> String {
        TerminalSanitizer.sanitize(line, maxLength: longestShown)
    }

    static func safeLines(_ text: String) -> [String] {
        // By bytes: "\r\n" is one Character to Swift, so a split on "\n" would miss it.
        var lines = text.utf8.split(separator: 10, omittingEmptySubsequences: false).map { line in
            let cut = line.last == 13 ? line.dropLast() : line[...]
            return safe(String(decoding: cut, as: UTF8.self).replacing("\t", with: "    "))
        }
        if lines.last == "" { lines.removeLast() }
        return lines
    }
}
