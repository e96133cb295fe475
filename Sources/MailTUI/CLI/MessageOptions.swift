import ArgumentParser
import MailCore

/// The message: shared by `send` and the TUI.
struct MessageOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Sender, e.g. 'App <noreply@example.com>' (Flask: MAIL_DEFAULT_SENDER).", valueName: "addr"))
    var from: String?

    @Option(help: ArgumentHelp("Recipient; repeatable, or comma-separated.", valueName: "addr"))
    var to: [String] = []

    @Option(help: ArgumentHelp("Copy recipient; repeatable.", valueName: "addr"))
    var cc: [String] = []

    @Option(help: ArgumentHelp("Blind copy recipient (envelope only, never in the headers); repeatable.", valueName: "addr"))
    var bcc: [String] = []

    @Option(help: ArgumentHelp("Reply-To address.", valueName: "addr"))
    var replyTo: String?

    @Option(help: ArgumentHelp("Subject line (UTF-8 welcome).", valueName: "text"))
    var subject: String?

    @Option(help: ArgumentHelp("Plain-text body.", valueName: "text"))
    var text: String?

    @Option(help: ArgumentHelp("Read the plain-text body from a file.", valueName: "path"))
    var textFile: String?

    @Option(help: ArgumentHelp("HTML body (sent as multipart/alternative with the text).", valueName: "text"))
    var html: String?

    @Option(help: ArgumentHelp("Read the HTML body from a file.", valueName: "path"))
    var htmlFile: String?

    @Option(help: ArgumentHelp("Attach a file; repeatable. 'PATH;name=Shown.pdf;type=application/pdf' overrides name and type.", valueName: "path"))
    var attach: [String] = []

    @Option(help: ArgumentHelp("Extra header 'Name: value'; repeatable.", valueName: "header"))
    var header: [String] = []

    func validate() throws {
        if text != nil && textFile != nil { throw ValidationError("Give --text or --text-file, not both.") }
        if html != nil && htmlFile != nil { throw ValidationError("Give --html or --html-file, not both.") }
    }

    /// The draft these options describe. Body files are streamed when the message is sent; the
    /// compose screen, which shows the text, reads them (`readingBodyFiles`).
    func draft(readingBodyFiles: Bool = false) throws -> MessageDraft {
        var d = MessageDraft()
        d.from = from ?? ""
        d.to = to.joined(separator: ", ")
        d.cc = cc.joined(separator: ", ")
        d.bcc = bcc.joined(separator: ", ")
        d.replyTo = replyTo ?? ""
        d.subject = subject ?? ""
        if readingBodyFiles {
            d.textBody = try text ?? textFile.map(readTextFile) ?? ""
            d.htmlBody = try html ?? htmlFile.map(readTextFile) ?? ""
        } else {
            d.textBody = text ?? ""
            d.htmlBody = html ?? ""
            d.textBodyFile = textFile
            d.htmlBodyFile = htmlFile
        }
        d.attachments = attach.map(Self.attachment)
        d.extraHeaders = header
        return d
    }

    /// `PATH;name=Shown.pdf;type=application/pdf`.
    static func attachment(_ spec: String) -> AttachmentSpec {
        var parts = spec.split(separator: ";", omittingEmptySubsequences: false).map(String.init)
        var result = AttachmentSpec(path: parts.removeFirst())
        for part in parts {
            if part.hasPrefix("name=") { result.displayName = String(part.dropFirst(5)) }
            else if part.hasPrefix("type=") { result.mimeType = String(part.dropFirst(5)) }
            else { result.path += ";" + part }
        }
        return result
    }

    private func readTextFile(_ path: String) throws -> String {
        guard let bytes = FileContents.read(path) else {
            throw ValidationError("Cannot read \(path).")
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
