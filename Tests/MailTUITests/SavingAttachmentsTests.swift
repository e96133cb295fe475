import Foundation
import Testing
import TestSupport
@testable import MailTUI
@testable import MailCore
@testable import MailServer

/// Saving an attachment of a caught message: the name from the message is cleaned and never a
/// path, an existing file is never replaced, and a folder gets the file inside it.
@Suite struct SavingAttachmentsTests {
    static func message(fileName: String) -> [UInt8] {
        Array("""
        From: a@example.com\r
        To: b@example.com\r
        Subject: files\r
        Content-Type: multipart/mixed; boundary="b"\r
        \r
        --b\r
        Content-Type: text/plain\r
        \r
        see the file\r
        --b\r
        Content-Type: application/pdf; name="\(fileName)"\r
        Content-Disposition: attachment; filename="\(fileName)"\r
        Content-Transfer-Encoding: base64\r
        \r
        JVBERi0xLjcK\r
        --b--\r

        """.utf8)
    }

    /// A caught message on disk, as the store keeps it.
    static func stored(fileName: String, in folder: String) throws -> MailServer.StoredMessage {
        let path = folder + "/m1.eml"
        try Data(message(fileName: fileName)).write(to: URL(fileURLWithPath: path))
        var record = InboxInTheUITests.message("m1", subject: "files")
        record.path = path
        return record
    }

    @Test func namesLoseControlAndBidiCharactersSeparatorsAndLeadingDots() {
        #expect(AppState.safeFileName("in\u{1B}[2Jvoice.pdf") == "in[2Jvoice.pdf")
        #expect(AppState.safeFileName("invoice\u{202E}fdp.exe") == "invoicefdp.exe")
        #expect(AppState.safeFileName("a\u{2066}b\u{200F}c\u{0085}d.txt") == "abcd.txt")
        #expect(AppState.safeFileName("..\\..\\Windows\\evil.dll") == "evil.dll")
        #expect(AppState.safeFileName("../../.bashrc") == "bashrc")
        #expect(AppState.safeFileName("~") == "attachment")
        #expect(AppState.safeFileName("~/.ssh/authorized_keys") == "authorized_keys")
        #expect(AppState.safeFileName("~root") == "root")
        #expect(AppState.safeFileName(" \u{1B} ") == "attachment")
        let long = AppState.safeFileName(String(repeating: "é", count: 300) + ".pdf")
        #expect(long.utf8.count <= 200 && long.hasSuffix(".pdf"))
    }

    @Test func anAttachmentNamedTildeIsNotTheHomeFolder() {
        var s = MessageViewTests.opened()
        guard case .message(var view) = s.overlay, var content = view.content else { Issue.record("no view"); return }
        content.attachments[0].name = "~"
        view.content = content
        s.overlay = .message(view)
        _ = s.update(.key(.character("s")))
        let effects = s.update(.key(.enter))
        #expect(effects == [.saveAttachment(s.captured[0], part: [1], to: "attachment")], "\(effects)")
    }

    @Test func anExistingFileIsKeptAndAFreeNameIsTaken() throws {
        let folder = TestPaths.temporaryDirectory("mailtui-save")
        let record = try Self.stored(fileName: "terms.pdf", in: folder)
        try Data("mine".utf8).write(to: URL(fileURLWithPath: folder + "/terms.pdf"))
        let event = CapturedFiles.save(record, part: [1], to: folder + "/terms.pdf")
        guard case .attachmentSaved(let path, let problem, let note) = event else { Issue.record("\(event)"); return }
        #expect(problem == nil)
        #expect(path == folder + "/terms (1).pdf")
        #expect(note == "terms.pdf was there already and is kept")
        #expect(try String(contentsOfFile: folder + "/terms.pdf", encoding: .utf8) == "mine", "the user's file is untouched")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data("%PDF-1.7\n".utf8))
        _ = CapturedFiles.save(record, part: [1], to: folder + "/terms.pdf")
        #expect(FileManager.default.fileExists(atPath: folder + "/terms (2).pdf"))
        var s = MessageViewTests.opened()
        _ = s.update(event)
        #expect(Renderer.render(s).text.contains("Saved \(folder)/terms (1).pdf (terms.pdf was there already and is kept)"))
        let left = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasPrefix(".") }
        #expect(left.isEmpty, "no temporary file is left: \(left)")
    }

    @Test func anExistingFolderGetsTheFileInsideUnderItsCleanName() throws {
        let folder = TestPaths.temporaryDirectory("mailtui-save")
        let record = try Self.stored(fileName: "..\u{1B}[31m\u{202E}fdp.txt", in: folder)
        try FileManager.default.createDirectory(atPath: folder + "/into", withIntermediateDirectories: true)
        let event = CapturedFiles.save(record, part: [1], to: folder + "/into")
        guard case .attachmentSaved(let path, let problem, _) = event else { Issue.record("\(event)"); return }
        #expect(problem == nil && path == folder + "/into/[31mfdp.txt", "\(event)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder + "/into/[31mfdp.txt")) == Data("%PDF-1.7\n".utf8))
    }
}
