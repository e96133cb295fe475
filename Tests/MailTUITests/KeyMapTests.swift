import Foundation
import Testing
@testable import MailTUI
import TestSupport

/// The key tables are the one source of the keys: each component's update acts on its table, and
/// the hint bar, F1's help and the README's key tables say what the tables say.
@Suite struct KeyMapTests {
    static let begin = "<!-- keys: made from the key tables; KeyMapTests checks it, UPDATE_README=1 swift test --filter KeyMapTests rewrites it -->\n"
    static let end = "<!-- /keys -->"

    /// The README's section between the markers is exactly what the tables make;
    /// `UPDATE_README=1` rewrites it (read the diff before committing it).
    @Test func theREADMEsKeyTablesAreTheKeyTables() throws {
        let path = TestPaths.root + "/README.md"
        let readme = try String(contentsOfFile: path, encoding: .utf8)
        let start = try #require(readme.range(of: Self.begin), "README.md lacks the key tables' start marker")
        let stop = try #require(readme.range(of: Self.end, range: start.upperBound..<readme.endIndex), "README.md lacks the key tables' end marker")
        let section = String(readme[start.upperBound..<stop.lowerBound])
        if ProcessInfo.processInfo.environment["UPDATE_README"] == "1", ProcessInfo.processInfo.environment["CI"] == nil {
            try readme.replacingCharacters(in: start.upperBound..<stop.lowerBound, with: HelpText.markdown).write(toFile: path, atomically: true, encoding: .utf8)
            return
        }
        #expect(section == HelpText.markdown, "README.md's key tables should be:\n\(HelpText.markdown)")
    }

    @Test func everyBindingIsInTheHelpAndEveryKeyIsBoundOnceInItsTable() {
        let help = HelpText.lines.joined(separator: "\n")
        for binding in KeyMap.bindings {
            #expect(help.contains(binding.helpKeyText), "\(binding.action)")
            #expect(help.contains(binding.help), "\(binding.action)")
            for key in binding.keys { #expect(KeyMap.command(for: key) == binding.action) }
        }
        for section in HelpText.sections {
            #expect(help.contains(section.title), "\(section.title)")
            for row in section.rows { #expect(help.contains(row.keys + " ") && help.contains(row.text), "\(section.title): \(row)") }
        }
        func unique<A>(_ table: KeyTable<A>) {
            let keys = table.bindings.flatMap(\.keys)
            #expect(Set(keys.map { KeyName.of($0) }).count == keys.count, "a key bound twice in \(table.title)")
        }
        unique(KeyMap.commands); unique(TextField.keys); unique(TextArea.keys); unique(FormKeys.moving); unique(FormKeys.choice)
        unique(FormKeys.toggle); unique(FormKeys.attach); unique(ConversationKeys.table); unique(InboxKeys.table); unique(MessageViewKeys.table)
        unique(MessageViewKeys.searching); unique(MessageViewKeys.saving); unique(FaultPanelKeys.table); unique(PickerKeys.profiles)
        unique(PickerKeys.entry); unique(PickerKeys.history); unique(PickerKeys.keptDrafts); unique(WindowKeys.scrolling); unique(WindowKeys.confirmQuit)
    }

    @Test func theHintBarOffersOnlyWhatUpdateDoes() {
        var s = AppState(width: 200, height: 50)
        s.fields[.host] = TextField("smtp.example.com")
        for hint in s.hintKeys {
            guard let binding = KeyMap.bindings.first(where: { $0.keyText == hint.0 }) else { continue }
            #expect(binding.hint == hint.1, "\(hint)")
        }
        s.phase = .sending(stage: .ehlo, sent: nil, total: nil)
        let during = s.hintKeys.map(\.0)
        #expect(!during.contains("F5") && !during.contains("F6") && !during.contains("F7"))
        #expect(during.contains("Esc") && during.contains("F1") && during.contains("F10"))
        #expect(s.update(.key(.function(5))).isEmpty, "F5 does nothing during a send")
        #expect(s.notice == "A send is running: Esc cancels it")
        #expect(Set(during).count == during.count, "each key once")
    }

    @Test func f1AndF10AlwaysFitAt80Columns() {
        for focus in FieldID.allCases {
            var s = AppState(width: 80, height: 24)
            s.focus = focus
            s.fields[.attachments] = TextField(focus == .attachments ? "/tmp/x" : "")
            let bar = Renderer.render(s).row(23)
            #expect(bar.contains("F1 Help") && bar.contains("F10 Quit"), "\(focus): \(bar)")
        }
    }

    /// What the fault panel's golden screen showed: "Change" twice in its hint bar (←→ and Space
    /// were two entries) and no F10, though the bar's rule is that F10 is always there.
    @Test func theFaultPanelsHintBarSaysEachThingOnceAndF10QuitsFromIt() {
        var s = AppState(width: 80, height: 24)
        s.localServer = "127.0.0.1:2525"
        _ = s.update(.key(.function(12)))
        let words = s.hintKeys.map(\.1)
        #expect(Set(words).count == words.count, "\(s.hintKeys)")
        let bar = Renderer.render(s).row(23)
        #expect(bar.contains("F10 Quit") && bar.components(separatedBy: "Change").count == 2, "\(bar)")
        #expect(s.update(.key(.function(10))) == [.quit])
    }
}
