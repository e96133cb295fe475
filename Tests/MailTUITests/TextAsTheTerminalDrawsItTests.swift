import Testing
@testable import MailTUI
@testable import MailCore
@preconcurrency import CNcurses

/// Text is measured, drawn and edited in grapheme clusters, with the C library's widths, as
/// ncurses and the terminal handle it.
@Suite struct TextAsTheTerminalDrawsItTests {
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

    @Test func cellsHoldWholeClustersAndWidthsAreTheCLibrarys() {
        var screen = ScreenBuffer(width: 20, height: 1)
        let used = screen.put("a👍🏽🇩🇪b", x: 0, y: 0)
        #expect(screen[1, 0].character == "👍🏽")
        #expect(screen[1, 0].character.unicodeScalars.count == 2)
        #expect(DisplayWidth.of(Character("👍🏽")) == Int(wcwidth(0x1F44D)))
        #expect(DisplayWidth.of(Character("🇩🇪")) == Int(wcwidth(0x1F1E9)))
        #expect(DisplayWidth.of(Character("東")) == 2)
        #expect(DisplayWidth.of(Character("e\u{301}")) == 1)
        #expect(used == 1 + 2 + DisplayWidth.of(Character("🇩🇪")) + 1)
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
