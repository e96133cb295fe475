/// A message that passed validation and can be rendered: typed addresses, checked header fields,
/// attachments that existed and were readable when it was built.
public struct Message: Sendable, Equatable {
    public var from: Mailbox
    public var to: [Mailbox]
    public var cc: [Mailbox]
    /// Only in the envelope, never in the headers.
    public var bcc: [Mailbox]
    public var replyTo: [Mailbox]
    public var subject: String
    public var textBody: TextBody?
    public var htmlBody: TextBody?
    public var attachments: [Attachment]
    public var extraHeaders: [HeaderField]

    /// Whether an address is not ASCII (RFC 6531/6532): the header then carries it in UTF-8, and
    /// the server must offer SMTPUTF8.
    public var needsSMTPUTF8: Bool {
        ([from] + to + cc + bcc + replyTo).contains { $0.address.utf8.contains { $0 >= 0x80 } }
    }

    /// Every recipient for the envelope, without duplicates, in order.
    public var envelopeRecipients: [String] {
        var seen = Set<String>()
        return (to + cc + bcc).map(\.address).filter { seen.insert($0.lowercased()).inserted }
    }
}

/// A text or HTML body: typed text, or a file that is streamed while sending (never held whole).
public enum TextBody: Sendable, Equatable {
    case text(String)
    case file(path: String)
}

/// A file to attach, checked.
public struct Attachment: Sendable, Equatable {
    public var path: String
    public var fileName: String
    public var mimeType: String
    public var size: Int
}

/// An extra header line, checked: a valid field name and a value without line breaks.
public struct HeaderField: Sendable, Equatable {
    public var name: String
    public var value: String

    /// Header names mailtui writes itself; each has its own option instead.
    static let managedNames: [String: String] = [
        "from": "the From field", "to": "the To field", "cc": "the Cc field", "bcc": "the Bcc field",
        "reply-to": "the Reply-To field", "subject": "the Subject field", "date": "nothing (mailtui sets Date)",
        "message-id": "nothing (mailtui sets Message-ID)", "mime-version": "nothing (mailtui sets MIME-Version)",
        "content-type": "the body and attachment fields", "content-transfer-encoding": "nothing (mailtui chooses the encoding)",
    ]

    /// Parses `Name: value`, refusing anything that could inject a header.
    public static func parse(_ line: String) throws(HeaderFieldError) -> HeaderField {
        if let bad = line.unicodeScalars.first(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" }) {
            throw HeaderFieldError(line: line, reason: "contains a \(bad.controlName); a header must be one line")
        }
        guard let colon = line.firstIndex(of: ":") else {
            throw HeaderFieldError(line: line, reason: "has no ':' (write it as 'Name: value')")
        }
        let name = String(line[..<colon]).trimmingSpaces
        let value = String(line[line.index(after: colon)...]).trimmingSpaces
        if name.isEmpty { throw HeaderFieldError(line: line, reason: "has no name before the ':'") }
        if let bad = name.unicodeScalars.first(where: { $0.value < 33 || $0.value > 126 }) {
            throw HeaderFieldError(line: line, reason: "has the character \(bad.debugDescription) in its name; names are printable ASCII without spaces")
        }
        if name.utf8.count > 76 {
            throw HeaderFieldError(line: line, reason: "has a name of \(name.utf8.count) characters; at most 76 fit a header line")
        }
        if let other = managedNames[name.lowercased()] {
            throw HeaderFieldError(line: line, reason: "'\(name)' is written by mailtui; use \(other) instead")
        }
        if let bad = value.unicodeScalars.first(where: { ($0.value < 32 && $0 != "\t") || $0.value == 127 }) {
            throw HeaderFieldError(line: line, reason: "has a \(bad.controlName) in its value")
        }
        return HeaderField(name: name, value: value)
    }
}

public struct HeaderFieldError: Error, Sendable, Equatable, CustomStringConvertible {
    public var line: String
    public var reason: String
    public var description: String { "header \"\(line.visibleControls)\" \(reason)" }
}
