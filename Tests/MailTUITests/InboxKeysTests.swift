import Testing
@testable import MailTUI
@testable import MailCore
@testable import MailServer

/// Issue 21's smaller inbox and key defects: F12 in the inbox, a new search starts empty, the way
/// back stays in the hint bar, deleting can be undone, unknown escape sequences are not typed.
@Suite struct InboxKeysTests {
    static func inbox(_ count: Int, width: Int = 100, height: Int = 30) -> AppState {
        var s = AppState(width: width, height: height, colors: false)
        s.localServer = "127.0.0.1:2525"
        for n in 1...count {
            var message = InboxInTheUITests.message(String(n), subject: "message \(n)")
            message.time += n
            _ = s.update(.server(.message(message)))
        }
        _ = s.update(.key(.function(2)))
        return s
    }

    @Test func f12OpensTheFaultPanelFromTheInboxAsFDoes() {
        var s = Self.inbox(1)
        #expect(s.update(.key(.function(12))) == [.refreshFaults])
        guard case .faults = s.overlay else { Issue.record("F12 left \(String(describing: s.overlay))"); return }
    }

    @Test func aNewSearchStartsEmpty() {
        var s = MessageViewTests.opened()
        _ = s.update(.key(.character("5")))
        _ = s.update(.key(.character("/")))
        for c in "line 4" { _ = s.update(.key(.character(c))) }
        _ = s.update(.key(.enter))
        _ = s.update(.key(.character("/")))
        guard case .message(let searching) = s.overlay else { Issue.record("the view closed"); return }
        #expect(searching.search?.text == "", "the last search is not put back in the field")
        for c in "line 7" { _ = s.update(.key(.character(c))) }
        #expect(Renderer.render(s).text.contains("Search: line 7"), "not appended to the last search:\n\(Renderer.render(s).text)")
        _ = s.update(.key(.enter))
        guard case .message(let view) = s.overlay else { Issue.record("the view closed"); return }
        #expect(view.query == "line 7")
        #expect(s.update(.key(.character("n"))).isEmpty, "n still repeats the last search")
    }

    @Test func theMessageViewAt80x24KeepsEscInbox() {
        var s = MessageViewTests.opened()
        _ = s.update(.resize(width: 80, height: 24))
        let bar = Renderer.render(s).row(23)
        #expect(bar.contains("Esc Inbox") && bar.contains("F10 Quit"), "\(bar)")
    }

    @Test func aDeletedMessageComesBackWithUAndItsFileWaitsForTheEnd() {
        var s = Self.inbox(3)
        _ = s.update(.key(.down))
        #expect(s.update(.key(.character("d"))).isEmpty, "no file is removed now")
        #expect(s.captured.map(\.id) == ["3", "1"])
        #expect(Renderer.render(s).text.contains("Deleted the message from the inbox: u brings it back"))
        #expect(s.hintKeys.contains { $0 == ("u", "Undo") })
        _ = s.update(.key(.character("u")))
        #expect(s.captured.map(\.id) == ["3", "2", "1"], "back in its place")
        #expect(s.overlay == .inbox(selected: 1), "and selected")
        #expect(s.deletedMessageIDs.isEmpty)
        // Deleting from the message view, and all with D D: each one undo.
        _ = s.update(.key(.enter))
        _ = s.update(.key(.character("d")))
        _ = s.update(.key(.character("D")))
        _ = s.update(.key(.character("D")))
        #expect(s.captured.isEmpty && Set(s.deletedMessageIDs) == ["1", "2", "3"])
        _ = s.update(.key(.character("u")))
        #expect(s.captured.map(\.id) == ["3", "1"])
        _ = s.update(.key(.character("u")))
        #expect(s.captured.map(\.id) == ["3", "2", "1"])
        _ = s.update(.key(.character("u")))
        #expect(Renderer.render(s).text.contains("Nothing to undo"))
    }

    @Test func theInboxOfASeparateServeIsReadAgainWhenItOpens() {
        var s = Self.inbox(2)
        _ = s.update(.key(.character("d")))
        _ = s.update(.key(.escape))
        #expect(s.update(.key(.function(2))) == [.reloadInbox])
        var arrived = InboxInTheUITests.message("9", subject: "sent to serve")
        arrived.time += 100
        _ = s.update(.inboxReloaded([arrived] + (1...2).reversed().map { n in
            var m = InboxInTheUITests.message(String(n), subject: "message \(n)")
            m.time += n
            return m
        }))
        #expect(s.captured.map(\.id) == ["9", "1"], "what the folder holds, less what was deleted here")
    }

    @Test func unknownEscapeSequencesAreSwallowedWhole() {
        func codes(_ text: String) -> [RawInput] { text.unicodeScalars.map { .character($0.value) } }
        #expect(EscapeSequences.filter(codes("a\u{1B}[1~b")) == codes("ab"))
        #expect(EscapeSequences.filter(codes("\u{1B}[200~x\u{1B}[201~")) == codes("x"), "bracketed paste markers")
        #expect(EscapeSequences.filter(codes("\u{1B}[1;5Pz")) == codes("z"))
        #expect(EscapeSequences.filter(codes("\u{1B}OQq")) == codes("q"), "SS3")
        #expect(EscapeSequences.filter(codes("\u{1B}[")) == [], "cut short: still nothing typed")
        #expect(EscapeSequences.filter(codes("\u{1B}")) == codes("\u{1B}"), "Esc alone is a key")
        #expect(EscapeSequences.filter(codes("\u{1B}x")) == codes("\u{1B}x"))
        #expect(EscapeSequences.filter([.character(27), .keyCode(265)]) == [.character(27), .keyCode(265)])
    }
}
