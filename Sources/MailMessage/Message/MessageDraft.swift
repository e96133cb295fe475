/// The message as the user typed it: plain strings, exactly what the form, the CLI and a saved draft
/// hold. `validated()` turns it into a `Message` or says, field by field, what is wrong.
public struct MessageDraft: Sendable, Codable, Equatable {
    public var from: String
    /// Comma-separated address lists.
    public var to: String
    public var cc: String
    public var bcc: String
    public var replyTo: String
    public var subject: String
    public var textBody: String
    public var htmlBody: String
    /// A file to send as the text body instead of `textBody` (`--text-file`): streamed, never
    /// read whole, and kept in drafts and the history as its path.
    public var textBodyFile: String?
    /// Likewise for the HTML body (`--html-file`).
    public var htmlBodyFile: String?
    public var attachments: [AttachmentSpec]
    /// Extra header lines, each `Name: value`.
    public var extraHeaders: [String]
    /// Delivery notifications as the compose form's DSN field holds them
    /// (`success,failure hdrs envid=ID`; see `DeliveryNotifications.parse`).
    public var deliveryNotifications: String?
    /// DKIM signing as the compose form's DKIM field holds it (`SELECTOR KEYFILE [d=DOMAIN]`).
    public var dkim: String?

    public init(
        from: String = "", to: String = "", cc: String = "", bcc: String = "", replyTo: String = "",
        subject: String = "", textBody: String = "", htmlBody: String = "",
        attachments: [AttachmentSpec] = [], extraHeaders: [String] = []
    ) {
        self.from = from
        self.to = to
        self.cc = cc
        self.bcc = bcc
        self.replyTo = replyTo
        self.subject = subject
        self.textBody = textBody
        self.htmlBody = htmlBody
        self.attachments = attachments
        self.extraHeaders = extraHeaders
    }
}

/// A file to attach, as the user named it.
public struct AttachmentSpec: Sendable, Codable, Equatable {
    public var path: String
    /// The file name the recipient sees; defaults to the last path component.
    public var displayName: String?
    /// Overrides the type guessed from the extension.
    public var mimeType: String?

    public init(path: String, displayName: String? = nil, mimeType: String? = nil) {
        self.path = path
        self.displayName = displayName
        self.mimeType = mimeType
    }
}

/// A field of the message, for pointing at the place of a problem.
public enum MessageField: String, Sendable, Equatable, Codable, CaseIterable {
    case from, to, cc, bcc, replyTo, subject, textBody, htmlBody, attachments, extraHeaders

    public var label: String {
        switch self {
        case .from: "From"
        case .to: "To"
        case .cc: "Cc"
        case .bcc: "Bcc"
        case .replyTo: "Reply-To"
        case .subject: "Subject"
        case .textBody: "Text body"
        case .htmlBody: "HTML body"
        case .attachments: "Attachments"
        case .extraHeaders: "Headers"
        }
    }
}

/// One thing wrong with the message, tied to the field it is in.
public struct ValidationIssue: Sendable, Equatable, CustomStringConvertible {
    public var field: MessageField
    public var message: String
    public init(field: MessageField, message: String) {
        self.field = field
        self.message = message
    }
    public var description: String { "\(field.label): \(message)" }
}

/// Every problem found in a draft; nothing was sent.
public struct ValidationFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public var issues: [ValidationIssue]
    public var description: String { issues.map(\.description).joined(separator: "\n") }
}
