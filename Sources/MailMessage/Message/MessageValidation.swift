#if canImport(Glibc)
import Glibc
#endif

extension MessageDraft {
    /// Checks every field and returns the message ready to render, or all problems at once.
    ///
    /// Nothing here touches the network; attachments are checked on disk (exists, is a file,
    /// readable).
    /// Without `checkingFiles`, attachments and body files are not looked at (for the UI's pure
    /// update; the send checks them again, for real).
    public func validated(checkingFiles: Bool = true) throws(ValidationFailure) -> Message {
        var issues: [ValidationIssue] = []

        func mailboxes(_ text: String, _ field: MessageField) -> [Mailbox] {
            do { return try Mailbox.parseList(text) } catch {
                issues.append(ValidationIssue(field: field, message: error.description))
                return []
            }
        }

        var sender: Mailbox?
        let fromList = mailboxes(from, .from)
        if from.trimmingSpaces.isEmpty {
            issues.append(ValidationIssue(field: .from, message: "a sender address is required"))
        } else if fromList.count > 1 {
            issues.append(ValidationIssue(field: .from, message: "give exactly one sender address, not \(fromList.count)"))
        } else {
            sender = fromList.first
        }
        let toList = mailboxes(to, .to)
        let ccList = mailboxes(cc, .cc)
        let bccList = mailboxes(bcc, .bcc)
        let replyList = mailboxes(replyTo, .replyTo)
        if toList.isEmpty && ccList.isEmpty && bccList.isEmpty && !issues.contains(where: { [.to, .cc, .bcc].contains($0.field) }) {
            issues.append(ValidationIssue(field: .to, message: "at least one recipient (To, Cc or Bcc) is required"))
        }
        for mailbox in fromList + toList + ccList + bccList + replyList {
            if let name = mailbox.displayName, let bad = name.unicodeScalars.first(where: { $0.value < 32 || $0.value == 127 }) {
                issues.append(ValidationIssue(field: .from, message: "the name \"\(name.visibleControls)\" contains a \(bad.controlName)"))
            }
        }
        if let bad = subject.unicodeScalars.first(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" }) {
            issues.append(ValidationIssue(field: .subject, message: "contains a \(bad.controlName); the subject must be one line"))
        }

        var headers: [HeaderField] = []
        for line in extraHeaders where !line.trimmingSpaces.isEmpty {
            do { headers.append(try HeaderField.parse(line)) } catch {
                issues.append(ValidationIssue(field: .extraHeaders, message: error.description))
            }
        }

        func body(_ text: String, file: String?, _ field: MessageField) -> TextBody? {
            guard let file else { return text.isEmpty ? nil : .text(text) }
            guard checkingFiles else { return .file(path: file) }
            switch Attachment.check(AttachmentSpec(path: file)) {
            case .success(let checked): return .file(path: checked.path)
            case .failure(let problem):
                issues.append(ValidationIssue(field: field, message: problem.description))
                return nil
            }
        }
        let text = body(textBody, file: textBodyFile, .textBody)
        let html = body(htmlBody, file: htmlBodyFile, .htmlBody)

        var files: [Attachment] = []
        for spec in attachments where checkingFiles {
            switch Attachment.check(spec) {
            case .success(let file): files.append(file)
            case .failure(let problem): issues.append(ValidationIssue(field: .attachments, message: problem.description))
            }
        }

        if !issues.isEmpty { throw ValidationFailure(issues: issues) }
        return Message(
            from: sender!, to: toList, cc: ccList, bcc: bccList, replyTo: replyList, subject: subject,
            textBody: text, htmlBody: html,
            attachments: files, extraHeaders: headers
        )
    }
}

/// Why a file cannot be attached.
public struct AttachmentProblem: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "\(path): \(reason)" }
}

extension Attachment {
    /// Checks that the file exists, is a regular file and is readable, and fills in name, type and size.
    public static func check(_ spec: AttachmentSpec) -> Result<Attachment, AttachmentProblem> {
        let path = spec.path.expandingTilde
        var info = stat()
        guard RawPath.stat(path, &info) == 0 else {
            return .failure(AttachmentProblem(path: spec.path, reason: errno == ENOENT ? "no such file" : String(cString: strerror(errno))))
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            return .failure(AttachmentProblem(path: spec.path, reason: "is a directory, not a file"))
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            return .failure(AttachmentProblem(path: spec.path, reason: "is not a regular file"))
        }
        guard RawPath.access(path, R_OK) == 0 else {
            return .failure(AttachmentProblem(path: spec.path, reason: "is not readable (permission denied)"))
        }
        let name = (spec.displayName?.isEmpty == false) ? spec.displayName! : RawPath.displayName(path.lastPathComponent)
        if let bad = name.unicodeScalars.first(where: { $0.value < 32 || $0.value == 127 }) {
            return .failure(AttachmentProblem(path: spec.path, reason: "the file name contains a \(bad.controlName)"))
        }
        let type = (spec.mimeType?.isEmpty == false) ? spec.mimeType! : MIMETypes.type(forFileName: name)
        if !MIMETypes.isValid(type) {
            return .failure(AttachmentProblem(path: spec.path, reason: "'\(type)' is not a MIME type (expected type/subtype)"))
        }
        return .success(Attachment(path: path, fileName: name, mimeType: type, size: Int(info.st_size)))
    }
}
