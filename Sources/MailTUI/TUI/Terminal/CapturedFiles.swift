import MailCore
import MailServer
#if canImport(Glibc)
import Glibc
#endif

/// The runtime's side of the inbox's actions on a caught message: saving an attachment, and
/// making the message a draft again. Runs off the UI thread; answers with the event to post.
enum CapturedFiles {
    static func save(_ record: StoredMessage, part: [Int], to path: String) -> AppEvent {
        guard let bytes = FileContents.read(record.path) else { return .attachmentSaved(path: path, problem: "the message is no longer in the inbox") }
        guard let content = CapturedMessage.attachmentBytes(bytes, path: part) else { return .attachmentSaved(path: path, problem: "the attachment is not in the message") }
        // Into a folder, under the attachment's own name (cleaned); never over an existing file.
        switch SavedFile.write(content, to: absolute(path), name: { fileName(bytes, part: part) }) {
        case .success(let saved): return .attachmentSaved(path: saved.path, problem: nil, note: saved.note)
        case .failure(let error): return .attachmentSaved(path: error.path, problem: error.reason)
        }
    }

    /// The file name the message gives the part, if it gives one.
    static func fileName(_ bytes: [UInt8], part path: [Int]) -> String {
        var part = MIMEPart(reading: bytes)
        for index in path where index < part.parts.count { part = part.parts[index] }
        return part.fileName ?? "attachment"
    }

    /// A path made absolute against the folder mailtui started in, so the message can say where.
    static func absolute(_ path: String) -> String {
        let expanded = path.expandingTilde
        guard !expanded.hasPrefix("/"), let cwd = getcwd(nil, 0) else { return expanded }
        defer { free(cwd) }
        return String(cString: cwd) + "/" + expanded
    }

    /// The message's header fields and bodies in a draft; its attachments are written to
    /// `$XDG_STATE_HOME/mailtui/resend/<id>/` and attached from there.
    static func draft(from record: StoredMessage, keepingAttachmentsIn base: String = XDGPaths.stateDirectory + "/resend") -> AppEvent {
        guard let bytes = FileContents.read(record.path) else { return .resendReady(nil, problem: "The message is no longer in the inbox.") }
        let message = CapturedMessage(bytes: bytes, envelopeFrom: record.from)
        func field(_ name: String) -> String {
            // One line each in the form: folded or hostile line breaks become spaces.
            message.fields.first { $0.name.lowercased() == name }.map { $0.value.filter { !$0.isNewline } } ?? ""
        }
        let folder = base + "/" + record.id.filter { $0.isLetter || $0.isNumber || $0 == "-" }
        var specs: [AttachmentSpec] = []
        for attachment in message.attachments {
            guard let content = CapturedMessage.attachmentBytes(bytes, path: attachment.path) else { continue }
            let path = folder + "/" + AppState.safeFileName(attachment.name)
            do { try FileContents.writeAtomically(content, to: path, mode: 0o600) } catch {
                return .resendReady(nil, problem: "Could not keep the attachment \(attachment.name): \(error.reason)")
            }
            specs.append(AttachmentSpec(path: path, displayName: attachment.name, mimeType: attachment.mediaType))
        }
        let text = (message.textBody ?? "").replacing("\r\n", with: "\n")
        let html = (message.htmlBody ?? "").replacing("\r\n", with: "\n")
        let draft = MessageDraft(from: field("from").isEmpty ? record.from : field("from"),
                                 to: field("to").isEmpty ? record.recipients.map(\.address).joined(separator: ", ") : field("to"),
                                 cc: field("cc"), replyTo: field("reply-to"), subject: field("subject"),
                                 textBody: text, htmlBody: html, attachments: specs)
        return .resendReady(draft, problem: nil)
    }
}
