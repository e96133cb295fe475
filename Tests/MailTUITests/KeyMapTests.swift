import Foundation
import Testing
@testable import MailTUI
import TestSupport

/// The key map is the one source of the keys: update acts on it, and the hint bar, the help and
/// the README's table say what it says.
@Suite struct KeyMapTests {
    @Test func theREADMEsKeyTableIsTheKeyMap() throws {
        let readme = try String(contentsOfFile: TestPaths.root + "/README.md", encoding: .utf8)
        #expect(readme.contains(HelpText.markdownTable), "README.md's key table should be:\n\(HelpText.markdownTable)")
    }

    @Test func everyBindingIsInTheHelpAndEveryKeyIsBoundOnce() {
        let help = HelpText.lines.joined(separator: "\n")
        var seen: [Key] = []
        for binding in KeyMap.bindings {
            #expect(help.contains(KeyMap.allKeysText(binding)), "\(binding.command)")
            #expect(help.contains(binding.help), "\(binding.command)")
            for key in binding.keys {
                #expect(!seen.contains(key), "\(key) is bound twice")
                seen.append(key)
                #expect(KeyMap.command(for: key) == binding.command)
            }
        }
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
}
