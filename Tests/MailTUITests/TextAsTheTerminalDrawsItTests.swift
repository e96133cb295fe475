import Testing
@testable import MailTUI
@testable import MailCore
@preconcurrency import CNcurses

/// Text is measured, drawn and edited in grapheme clusters, with the C library's widths, as
/// ncurses and the terminal handle it.
@Suite struct TextAsTheTerminalDrawsItTests {
    /// The screen measures text as the terminal will, in the locale the program sets.
    init() { TerminalLocale.adopt() }

    func typeScalars(_ text: String, into field: inout TextField) {
        for scalar in text.unicodeScalars { field.insert(String(Character(scalar))) }
    }

    @Test(arguments: ["👍🏽", "👨\u{200D}👩\u{200D}👧", "🇩🇪", "e\u{301}"])
    func codePointsTypedOneByOneMakeOneCharacter(_ cluster: String) {
        var field = TextField("a")
        typeScalars(cluster, into: &field)
        typeScalars("b", into: &field)
        #expect(field.text == "a" + cluster + "b")
        field.backspace()
        field.backspace()
        #expect(field.text == "a", "Backspace removes the whole cluster, never leaves a piece of it")
        var area = TextArea("")
        for scalar in cluster.unicodeScalars { area.insert(String(Character(scalar))) }
        area.backspace()
        #expect(area.text == "")
    }

    @Test func clustersAreDrawnWholeWithTheCLibrarysWidths() {
        var screen = ScreenBuffer(width: 30, height: 1)
        let used = screen.put("a👍🏽b🇩🇪c👨\u{200D}👩\u{200D}👧de\u{301}", x: 0, y: 0)
        #expect(screen.row(0).hasPrefix("a👍🏽b🇩🇪c👨👩👧de\u{301}"), "every code point is drawn: \(screen.row(0).debugDescription)")
        #expect(DisplayWidth.of(Character("👍🏽")) == Int(wcwidth(0x1F44D) + wcwidth(0x1F3FD)), "as wcswidth counts it")
        #expect(DisplayWidth.of(Character("🇩🇪")) == Int(wcwidth(0x1F1E9) + wcwidth(0x1F1EA)))
        #expect(DisplayWidth.of(Character("東")) == 2)
        #expect(DisplayWidth.of(Character("e\u{301}")) == 1)
        #expect(DisplayWidth.cells(of: Character("👨\u{200D}👩\u{200D}👧")).map(\.text) == ["👨", "👩", "👧"], "its parts side by side, no joiner for the terminal to join")
        #expect(DisplayWidth.of(Character("👨\u{200D}👩\u{200D}👧")) == 6, "as wcswidth counts it")
        #expect(used == DisplayWidth.of("a👍🏽b🇩🇪c👨\u{200D}👩\u{200D}👧de\u{301}"))
        var field = TextField("a👍🏽b")
        field.left()
        field.left()
        #expect(field.visible(width: 20).cursorColumn == 1, "the cursor stands before the whole emoji")
    }

    @Test func aCutShowsAnEllipsisAndAPathKeepsItsName() {
        var screen = ScreenBuffer(width: 30, height: 1)
        screen.put("status messages end mid-word otherwise", x: 0, y: 0, maxWidth: 20)
        #expect(screen.row(0).hasPrefix("status messages end…"))
        #expect(TextWrap.middle("/work/main/Tests/harness/certs/ca.pem", width: 20) == "/work/main/T…/ca.pem")
        #expect(TextWrap.hard(String(repeating: "x", count: 25), width: 10) == ["xxxxxxxxxx", "xxxxxxxxxx", "xxxxx"])
        #expect(TextWrap.hard("250-SIZE 10240000 and some more words", width: 12) == ["250-SIZE", "10240000 and", "some more", "words"])
    }

    @Test func longConversationLinesWrapInsteadOfBeingCut() {
        var s = AppState(width: 80, height: 24)
        let long = "250-" + String(repeating: "A", count: 150)
        s.transcript = [TranscriptLine(elapsed: .milliseconds(5), speaker: .server, inTLS: false, stage: .ehlo, text: long)]
        let text = Renderer.render(s).text
        #expect(text.contains(String(repeating: "A", count: 60)))
        let shown = text.split(separator: "\n").filter { $0.contains("AAAA") }.map { $0.filter { $0 == "A" }.count }.reduce(0, +)
        #expect(shown == 150, "all of it, over several rows")
    }
}
