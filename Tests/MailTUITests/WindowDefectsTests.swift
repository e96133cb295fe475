import Testing
@testable import MailTUI
@testable import MailCore
import MailServer

/// Defects the golden screens showed in the windows over the form and in a caught message.
@Suite struct WindowDefectsTests {
    /// A caught message with one line far longer than the screen is wide.
    static func longLineMessage(width: Int) -> AppState {
        var s = AppState(width: width, height: 24, colors: false)
        s.localServer = "127.0.0.1:2525"
        let record = InboxInTheUITests.message("7", subject: "Long")
        _ = s.update(.server(.message(record)))
        _ = s.update(.key(.function(2)))
        _ = s.update(.key(.enter))
        let words = (1...40).map { "word\($0)" }.joined(separator: " ")
        let raw = Array("From: a@example.com\r\nTo: b@example.com\r\nSubject: Long\r\nDate: Mon, 1 Dec 2026 10:00:00 +0000\r\n\r\n\(words) end.\r\n".utf8)
        _ = s.update(.capturedRead(id: "7", content: CapturedMessage(bytes: raw, envelopeFrom: record.from), problem: nil))
        return s
    }

    /// The message view cut a long line at the screen's edge: "word10 word11 wo" and the rest gone.
    @Test func aLongLineInACaughtMessageWrapsInsteadOfBeingCut() {
        var s = Self.longLineMessage(width: 80)
        let screen = Renderer.render(s).text
        for n in 1...40 { #expect(screen.contains("word\(n) ") || screen.contains("word\(n)\n"), "word\(n) is on the screen:\n\(screen)") }
        #expect(screen.contains("end."), "\(screen)")
        // ↓ scrolls by a row of the wrapped line, not by the whole line.
        _ = s.update(.key(.down))
        guard case .message(let view) = s.overlay else { Issue.record("the view closed"); return }
        #expect(view.top == 0 && view.topRow == 1, "\(view.top) \(view.topRow)")
        #expect(Renderer.render(s).text.contains("end."))
    }

    /// The inbox's own line of keys wrapped at 80 columns ("… · d" then "delete · u undo …"); the
    /// keys are in the hint bar, made from the inbox's table.
    @Test func theInboxWindowHasNoWrappedLineOfKeysAt80Columns() {
        let s = GoldenInboxScreenTests.inbox(80, 24)
        let screen = Renderer.render(s)
        for y in 0..<(screen.height - 1) where screen.row(y).contains("Esc close") {
            #expect(screen.row(y).contains("Enter"), "a key line cut in two:\n\(screen.text)")
        }
        let bar = screen.row(23)
        for hint in s.hintKeys { #expect(bar.contains(hint.keys + " " + hint.words), "\(hint) in \(bar)") }
    }

    /// Selected rows in the windows were marked only by ▸, which is easy to miss; now the row is in
    /// reverse video too.
    @Test func theSelectedRowOfEachWindowIsInReverseVideo() {
        var faults = GoldenInboxScreenTests.composeWithInbox(80, 24)
        _ = faults.update(.key(.function(12)))
        var profiles = GoldenScreenTests.form(80, 24)
        _ = profiles.update(.key(.function(8)))
        _ = profiles.update(.profilesLoaded([Profile(name: "work", settings: ServerSettings(host: "smtp.example.com"))], problem: nil))
        // Each window with a row that is not selected, which must stay as it was.
        for (name, state, unselected) in [("inbox", GoldenInboxScreenTests.inbox(80, 24), "11-18 11:06"), ("faults", faults, "Preset"),
                                          ("profiles", profiles, "Gmail")] {
            let screen = Renderer.render(state)
            let rows = (0..<screen.height).filter { y in screen.row(y).contains("▸") }
            #expect(rows.count == 1, "\(name): one selected row\n\(screen.text)")
            for y in rows {
                let x = screen.row(y).distance(from: screen.row(y).startIndex, to: screen.row(y).firstIndex(of: "▸")!)
                #expect(screen[x, y].style.reverse && screen[x + 3, y].style.reverse, "\(name): row \(y) in reverse video")
            }
            let other = (0..<screen.height).first { screen.row($0).contains(unselected) }
            #expect(other.map { y in (0..<screen.width).allSatisfy { !screen[$0, y].style.reverse } } == true, "\(name): \(unselected) is not selected")
        }
    }
}
