import MailCore
import Testing
@testable import MailTUI

/// The compose screen's From after an import: the app's sender or none, never the saved draft's,
/// which the screen would label as coming from the file (and an export would hand to the app).
@Suite struct ImportedSenderTests {
    @Test func anImportNeverKeepsTheDraftsSender() {
        var imported = ResolvedServer(settings: ServerSettings())
        imported.imported = true
        #expect(TUICommand.sender(draft: "Old <old@example.com>", resolved: imported) == "", "the .env gives no sender: none, not the draft's")
        imported.sender = "App <app@example.com>"
        #expect(TUICommand.sender(draft: "Old <old@example.com>", resolved: imported) == "App <app@example.com>")
        var profile = ResolvedServer(settings: ServerSettings())
        profile.sender = "Work <work@example.com>"
        #expect(TUICommand.sender(draft: "Old <old@example.com>", resolved: profile) == "Old <old@example.com>", "no import: the draft stays")
        #expect(TUICommand.sender(draft: "", resolved: profile) == "Work <work@example.com>")
    }
}
