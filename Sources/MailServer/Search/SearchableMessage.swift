import MailCore

/// A message as a search looks at it: each part a query can name, decoded and lower-cased once,
/// so that matching a query is only finding text. Built from the store's record (the envelope,
/// the time, the size) and the message's bytes.
public struct SearchableMessage: Sendable, Equatable {
    public var from = ""
    public var to = ""
    public var cc = ""
    /// The Bcc header, and the envelope's recipients that no To or Cc names (as Mailpit does).
    public var bcc = ""
    public var replyTo = ""
    public var subject = ""
    public var messageID = ""
    public var tags: [String] = []
    public var read = false
    public var attachments = 0
    public var inlines = 0
    /// Seconds since 1970.
    public var time = 0
    public var size = 0
    /// Everything a plain word is looked for in: the addresses, the subject, the text and HTML
    /// bodies as text, the attachments' names.
    public var text = ""

    public init() {}

    /// `read` and `tags` are the inbox's, not the message's: a store that keeps none gives none.
    public init(record: StoredMessage, bytes: [UInt8], read: Bool = false, tags: [String] = []) {
        self.init(parsing: MIMEPart(reading: bytes), envelope: record.recipients.map(\.address), time: record.time, size: record.bytes)
        self.read = read
        self.tags = tags.map { $0.lowercased() }
    }

    /// Without `readingBodies`, `text` holds no body (the index, which keeps the other parts, is
    /// spared decoding them).
    init(parsing root: MIMEPart, envelope: [String], time: Int, size: Int, readingBodies: Bool = true) {
        func header(_ name: String) -> String {
            root.fields.filter { $0.name.lowercased() == name }.map { EncodedWords.shown($0.value) }.joined(separator: ", ").lowercased()
        }
        from = header("from")
        to = header("to")
        cc = header("cc")
        replyTo = header("reply-to")
        subject = header("subject")
        messageID = header("message-id")
        let unnamed = envelope.map { $0.lowercased() }.filter { !to.contains($0) && !cc.contains($0) }
        bcc = ([header("bcc")].filter { !$0.isEmpty } + unnamed).joined(separator: ", ")
        self.time = time
        self.size = size
        var bodies: [String] = []
        var names: [String] = []
        var haveText = false, haveHTML = false
        for (_, part) in root.walk() where !part.isMultipart {
            if part.isAttachment {
                let inline = part.disposition != "attachment" && (part.disposition == "inline" || part.field("Content-ID") != nil)
                if inline { inlines += 1 } else { attachments += 1 }
                if let name = part.fileName { names.append(name) }
            } else if !readingBodies {
                continue
            } else if part.mediaType == "text/plain" && !haveText {
                haveText = true
                bodies.append(part.text)
            } else if part.mediaType == "text/html" && !haveHTML {
                haveHTML = true
                bodies.append(HTMLText(part.text).lines.joined(separator: "\n"))
            }
        }
        text = ([from, to, cc, bcc, replyTo, subject] + bodies.map { $0.lowercased() } + names.map { $0.lowercased() }).joined(separator: "\n")
    }
}
