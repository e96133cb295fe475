import Testing
@testable import MailTUI
@testable import MailCore
import MailServer

/// Issue 26's mailboxes in the inbox: each SMTP login has its own, mail without a login is in the
/// default one; `m` shows the next, `M` all, and the filter holds while mail arrives and is deleted.
@Suite struct InboxMailboxTests {
    static func message(_ id: String, login: String?, subject: String? = nil) -> StoredMessage {
        var m = InboxInTheUITests.message(id, subject: subject ?? "message \(id)")
        m.authUser = login
        m.authMechanism = login == nil ? nil : "PLAIN"
        m.time += Int(id) ?? 0
        return m
    }

    /// The inbox open over the compose screen with these messages caught, oldest first.
    static func inbox(_ messages: [StoredMessage], width: Int = 120, height: Int = 40) -> AppState {
        var s = AppState(width: width, height: height, colors: false)
        s.localServer = "127.0.0.1:2525"
        for message in messages { _ = s.update(.server(.message(message))) }
        _ = s.update(.key(.function(2)))
        return s
    }

    /// Four messages: 1 and 4 from project-a, 2 from project-b, 3 without a login.
    static let four = [message("1", login: "project-a"), message("2", login: "project-b"), message("3", login: nil), message("4", login: "project-a")]

    func shownIDs(_ s: AppState) -> [String] { s.shownMessages.map(\.id) }

    @Test func mGoesRoundAllTheDefaultAndEachLoginWithCounts() {
        var s = Self.inbox(Self.four)
        #expect(s.mailboxes.chosen == nil && shownIDs(s) == ["4", "3", "2", "1"])
        #expect(s.mailboxes.line() == "Mailbox: [all 4] · default 1 · project-a 2 · project-b 1")
        var seen: [InboxMailbox?] = []
        var shown: [[String]] = []
        for _ in 0..<4 {
            _ = s.update(.key(.character("m")))
            seen.append(s.mailboxes.chosen)
            shown.append(shownIDs(s))
        }
        #expect(seen == [.default, .login("project-a"), .login("project-b"), nil])
        #expect(shown == [["3"], ["4", "1"], ["2"], ["4", "3", "2", "1"]])
        _ = s.update(.key(.character("m")))
        _ = s.update(.key(.character("m")))
        #expect(s.mailboxes.line() == "Mailbox: all 4 · default 1 · [project-a 2] · project-b 1")
        #expect(s.notice == "Showing mailbox project-a: 2 messages")
        _ = s.update(.key(.character("M")))
        #expect(s.mailboxes.chosen == nil && shownIDs(s) == ["4", "3", "2", "1"])
    }

    @Test func choosingAMailboxKeepsTheSelectedMessageWhenItIsInIt() {
        var s = Self.inbox(Self.four)
        for _ in 0..<3 { _ = s.update(.key(.down)) }
        #expect(s.shownMessage(3)?.id == "1" && s.overlay == .inbox(selected: 3))
        _ = s.update(.key(.character("m")))
        #expect(s.overlay == .inbox(selected: 0), "message 1 is not in the default mailbox: the top")
        _ = s.update(.key(.character("m")))
        _ = s.update(.key(.down))
        #expect(s.shownMessage(1)?.id == "1" && s.overlay == .inbox(selected: 1))
        _ = s.update(.key(.down))
        #expect(s.overlay == .inbox(selected: 1), "↓ stops at the mailbox's last message")
        _ = s.update(.key(.character("M")))
        #expect(s.overlay == .inbox(selected: 3), "still message 1, now fourth of all")
    }

    @Test func theFilterSurvivesArrivalsAndSaysWhereOthersWent() {
        var s = Self.inbox(Self.four)
        _ = s.update(.key(.character("m")))
        _ = s.update(.key(.character("m")))
        _ = s.update(.key(.down))
        #expect(s.shownMessage(1)?.id == "1")
        _ = s.update(.server(.message(Self.message("5", login: "project-b"))))
        #expect(s.mailboxes.chosen == .login("project-a"), "still project-a's")
        #expect(shownIDs(s) == ["4", "1"] && s.overlay == .inbox(selected: 1), "the same message selected")
        #expect(s.notice == "The local server caught a message from <a@example.com> for mailbox project-b: the inbox shows mailbox project-a (M shows all)")
        _ = s.update(.server(.message(Self.message("6", login: "project-a"))))
        #expect(shownIDs(s) == ["6", "4", "1"] && s.overlay == .inbox(selected: 2), "the same message, one further down")
        #expect(s.notice == "The local server caught a message from <a@example.com> for mailbox project-a (F2 shows it)")
        #expect(s.mailboxes.line() == "Mailbox: all 6 · default 1 · [project-a 3] · project-b 2")
        _ = s.update(.key(.escape))
        _ = s.update(.server(.message(Self.message("8", login: nil))))
        #expect(s.notice == "The local server caught a message from <a@example.com> for the default mailbox: the inbox shows mailbox project-a (F2, then M shows all)",
                "the inbox closed: how to get there")
        _ = s.update(.key(.function(2)))
        // The folder of a separate serve read again: the filter holds there too.
        _ = s.update(.inboxReloaded([Self.message("7", login: "project-b"), Self.message("1", login: "project-a")]))
        #expect(s.mailboxes.chosen == .login("project-a") && shownIDs(s) == ["1"] && s.overlay == .inbox(selected: 0))
    }

    @Test func readDeleteAndUndoActOnTheMessagesShown() {
        var s = Self.inbox(Self.four)
        _ = s.update(.key(.character("m")))
        _ = s.update(.key(.character("m")))
        _ = s.update(.key(.character("m")))
        #expect(s.mailboxes.chosen == .login("project-b"))
        #expect(s.update(.key(.enter)) == [.readCaptured(s.captured.first { $0.id == "2" }!)], "the shown message, not the list's first")
        _ = s.update(.key(.escape))
        #expect(s.overlay == .inbox(selected: 0), "back to it among those shown")
        _ = s.update(.key(.character("m")))
        _ = s.update(.key(.character("m")))
        _ = s.update(.key(.character("m")))
        #expect(s.mailboxes.chosen == .login("project-a"))
        _ = s.update(.key(.character("D")))
        #expect(s.notice == "Press D again to delete all 2 messages of mailbox project-a from the inbox")
        _ = s.update(.key(.character("D")))
        #expect(s.captured.map(\.id) == ["3", "2"], "only project-a's went")
        #expect(s.mailboxes.chosen == .login("project-a"), "the empty mailbox stays chosen")
        _ = s.update(.key(.character("u")))
        #expect(shownIDs(s) == ["4", "1"] && s.overlay == .inbox(selected: 0))
        _ = s.update(.key(.down))
        _ = s.update(.key(.character("d")))
        #expect(s.captured.map(\.id) == ["4", "3", "2"] && s.overlay == .inbox(selected: 0))
    }

    @Test func anEmptyMailboxSaysWhyAndHowToSeeAll() {
        var s = Self.inbox(Self.four, width: 200)
        _ = s.update(.key(.character("m")))
        _ = s.update(.key(.character("d")))
        #expect(s.mailboxes.chosen == .default && s.shownMessages.isEmpty)
        var screen = Renderer.render(s).text
        #expect(screen.contains("Nothing in the default mailbox (mail sent without a login); the other mailboxes hold 3 messages: M shows all, m the next mailbox."),
                "\(screen)")
        #expect(!screen.contains("Nothing caught yet"), "mail was caught, just not here")
        _ = s.update(.key(.character("M")))
        screen = Renderer.render(s).text
        #expect(!screen.contains("Nothing in") && shownIDs(s) == ["4", "2", "1"], "\(screen)")
    }

    /// The mailbox keys are offered on the line of mailboxes, which is there when there is a
    /// choice; the hint bar keeps its room for the inbox's other keys (all of them fit at 80).
    @Test func theMailboxLineOffersTheMailboxKeysWhenThereIsAChoice() {
        var one = Self.inbox([Self.message("1", login: "project-a"), Self.message("2", login: "project-a")])
        #expect(!Renderer.render(one).text.contains("Mailbox:"), "one mailbox: nothing to choose")
        #expect(Renderer.render(one).text.contains("[login project-a]"), "the login is a badge then")
        _ = one.update(.server(.message(Self.message("3", login: nil))))
        #expect(Renderer.render(one).text.contains("Mailbox: [all 3] · default 1 · project-a 2  (m next mailbox)"), "\(Renderer.render(one).text)")
        _ = one.update(.key(.character("m")))
        #expect(Renderer.render(one).text.contains("Mailbox: all 3 · [default 1] · project-a 2  (m next mailbox · M all mailboxes)"))
        #expect(!one.hintKeys.contains { $0.keys == "m" || $0.keys == "M" })
    }

    @Test func theMailboxKeysAreFreeInTheInboxAndInServe() {
        let taken = InboxKeys.table.bindings.flatMap(\.keys) + InboxKeys.serveQuit
        for key in InboxKeys.mailboxes.bindings.flatMap(\.keys) { #expect(!taken.contains(key), "\(KeyName.of(key))") }
        #expect(HelpText.lines.contains { $0.hasPrefix("  M ") && $0.hasSuffix("show every mailbox again") }, "F1 lists them")
    }

    @Test func rowsHaveAMailboxColumnWhenAllOfSeveralAreShown() {
        var s = Self.inbox(Self.four, width: 140)
        var screen = Renderer.render(s).text
        #expect(screen.contains("Inbox of the local test server on 127.0.0.1:2525 (newest first)"), "\(screen)")
        #expect(screen.contains("Mailbox: [all 4] · default 1 · project-a 2 · project-b 1  (m next mailbox)"), "\(screen)")
        #expect(screen.contains("  project-a  a@example.com → b@example.com  \"message 4\"  2 KiB [TLS] "), "\(screen)")
        #expect(screen.contains("  default    a@example.com → b@example.com  \"message 3\"  2 KiB [TLS] "), "\(screen)")
        #expect(!screen.contains("[login"), "the column says it:\n\(screen)")
        _ = s.update(.key(.character("m")))
        _ = s.update(.key(.character("m")))
        screen = Renderer.render(s).text
        #expect(screen.contains("Inbox of the local test server on 127.0.0.1:2525: mailbox project-a (newest first)"), "\(screen)")
        #expect(screen.contains("Mailbox: all 4 · default 1 · [project-a 2] · project-b 1  (m next mailbox · M all mailboxes)"), "\(screen)")
        let time = LocalTime.text(s.captured[0].time, short: true)
        #expect(screen.contains("▸ \(time)  a@example.com → b@example.com  \"message 4\"  2 KiB [TLS] [login project-a]"),
                "no column when one is chosen:\n\(screen)")
        #expect(!screen.contains("\"message 3\"") && !screen.contains("\"message 2\""), "\(screen)")
    }

    /// A login name is what the client sent: an escape sequence in it is shown, never obeyed, and a
    /// long one does not push the rest of the row away.
    @Test func loginNamesAreEscapedAndBounded() {
        let hostile = "\u{1B}[2J\n" + String(repeating: "x", count: 5000)
        var s = Self.inbox([Self.message("1", login: hostile), Self.message("2", login: nil)], width: 140)
        let label = InboxMailbox.login(hostile).label
        #expect(DisplayWidth.of(label) == InboxMailbox.labelWidth && label.hasPrefix("^[[2J\\nx") && label.hasSuffix("…"), "\(label)")
        for _ in 0..<3 {
            let screen = Renderer.render(s).text
            #expect(!screen.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, "\(screen)")
            #expect(!screen.contains(String(repeating: "x", count: 20)), "bounded:\n\(screen)")
            #expect(s.mailboxes.chosen == .default || screen.contains("\"message 1\""), "the row goes on after the name:\n\(screen)")
            _ = s.update(.key(.character("m")))
        }
        _ = s.update(.key(.character("m")))
        _ = s.update(.key(.character("m")))
        #expect(s.mailboxes.chosen == .login(hostile))
        _ = s.update(.key(.enter))
        let view = Renderer.render(s)
        #expect(view.row(0).hasPrefix(" Mailbox ^[[2J\\nxxxxxxxx… · a@example.com → b@example.com"), "\(view.row(0))")
    }

    @Test func theMessageViewNamesTheMailbox() {
        var s = Self.inbox(Self.four)
        _ = s.update(.key(.down))
        _ = s.update(.key(.enter))
        #expect(Renderer.render(s).row(0).hasPrefix(" Mailbox default · a@example.com → b@example.com  \"message 3\""), "\(Renderer.render(s).row(0))")
        var alone = Self.inbox([Self.message("1", login: "project-a")])
        _ = alone.update(.key(.enter))
        let title = Renderer.render(alone).row(0)
        #expect(title.hasPrefix(" a@example.com") && title.contains("· login project-a"), "one mailbox: the login ends the line as before: \(title)")
    }

    /// `mailtui serve`'s screen is the inbox: the same keys, the rule names the mailbox, and the
    /// count says how many of all are shown.
    @Test func serveShowsTheMailboxInItsRulesAndSaysWhyItIsEmpty() {
        var s = AppState(width: 200, height: 30, colors: false)
        s.serving = ["SMTP (STARTTLS offered): 127.0.0.1:2525"]
        s.localServer = "127.0.0.1:2525"
        s.overlay = .inbox(selected: 0)
        _ = s.update(.key(.character("m")))
        #expect(s.mailboxes.chosen == nil, "nothing caught: all is all there is")
        #expect(s.notice == "All mail is in one mailbox so far: mail sent with a login (MAIL_USERNAME) goes to that login's own mailbox")
        for message in Self.four { _ = s.update(.server(.message(message))) }
        _ = s.update(.key(.character("m")))
        _ = s.update(.key(.character("m")))
        var screen = Renderer.render(s)
        #expect(screen.row(0).hasSuffix(" 2 of 4 messages ─"), "\(screen.row(0))")
        #expect(screen.row(2).hasPrefix("─ Inbox: mailbox project-a (newest first) ─"), "\(screen.text)")
        let line = " Mailbox: all 4 · default 1 · [project-a 2] · project-b 1  (m next mailbox · M all mailboxes)"
        #expect(screen.row(3).hasPrefix(line) && screen.row(3).dropFirst(line.count).allSatisfy { $0 == " " }, "\(screen.text)")
        _ = s.update(.key(.character("D")))
        _ = s.update(.key(.character("D")))
        screen = Renderer.render(s)
        #expect(screen.text.contains(" Nothing in mailbox project-a (mail sent with the login project-a lands there); the other mailboxes hold 2 messages: M shows all, m the next mailbox."), "\(screen.text)")
        #expect(s.update(.key(.character("q"))) == [.quit], "q still stops serve")
    }
}

/// What a look at 80x24 showed: rows of the inbox window wrap there, and twelve ↓ took the
/// selected message below the window's last row, out of sight under "↓ 11 more".
@Suite struct TheSelectedMessageStaysInSightTests {
    @Test func atEightyColumnsWithRowsThatWrap() {
        var s = InboxMailboxTests.inbox((1...20).map { n in
            InboxMailboxTests.message(String(n), login: n % 2 == 0 ? "project-a" : "project-b", subject: "a rather long subject line number \(n) for wrapping")
        }, width: 80, height: 24)
        for n in 0..<20 {
            let screen = Renderer.render(s)
            let selected = (0..<screen.height).filter { screen.row($0).contains("▸") }
            #expect(selected.count == 1, "after \(n) ↓:\n\(screen.text)")
            #expect(screen.text.contains("number \(20 - n) for"), "the selected message's subject is in sight after \(n) ↓:\n\(screen.text)")
            _ = s.update(.key(.down))
        }
    }
}

/// The login `default` is the default mailbox, as the API's `?mailbox=default` is: the inbox does
/// not list two mailboxes both called "default".
@Suite struct TheLoginDefaultTests {
    @Test func isTheDefaultMailbox() {
        let s = InboxMailboxTests.inbox([InboxMailboxTests.message("1", login: "default"), InboxMailboxTests.message("2", login: nil),
                                         InboxMailboxTests.message("3", login: ""), InboxMailboxTests.message("4", login: "project-a")])
        #expect(s.mailboxes.line() == "Mailbox: [all 4] · default 3 · project-a 1")
    }
}

/// serve at 80 columns with many long logins: the line of mailboxes takes two rows at most and
/// still ends with its keys.
@Suite struct ServeWithManyMailboxesTests {
    @Test func theMailboxKeysStayInSight() {
        var s = AppState(width: 80, height: 24, colors: false)
        s.serving = ["SMTP (STARTTLS offered): 127.0.0.1:2525"]
        s.overlay = .inbox(selected: 0)
        for n in 1...9 { _ = s.update(.server(.message(InboxMailboxTests.message(String(n), login: "a-rather-long-project-login-\(n)")))) }
        let screen = Renderer.render(s)
        #expect(screen.row(3).hasPrefix(" Mailbox: [all 9] · a-rather-long-p… 1 ·"), "\(screen.text)")
        #expect(screen.row(4).contains("more  (m next mailbox)") && !screen.row(5).contains("Mailbox"), "\(screen.text)")
        #expect(screen.row(5).contains("a-rather-long-p…  app@example.com") == false && screen.row(5).contains("a-rather-long-p…  a@example.com"), "\(screen.text)")
    }
}

/// A client may log in with a new name for each message: a frame draws the inbox without sorting
/// or counting the mailboxes again (that happens once per change of the list).
@Suite struct ManyLoginsTests {
    @Test func aFrameDoesNotWalkEveryMailbox() {
        var s = AppState(width: 120, height: 40, colors: false)
        s.serving = ["SMTP (STARTTLS offered): 127.0.0.1:2525"]
        s.overlay = .inbox(selected: 0)
        let clock = ContinuousClock()
        let filled = clock.measure {
            s.captured = (0..<50_000).map { InboxMailboxTests.message(String($0), login: "login-\($0)") }
        }
        #expect(s.mailboxes.mailboxes.count == 50_000)
        var frames: [Duration] = []
        for key in ["m", "m", "M"] {
            _ = s.update(.key(.character(Character(key))))
            frames.append(clock.measure { _ = Renderer.render(s) })
        }
        #expect(frames.allSatisfy { $0 < .seconds(1) }, "\(frames) (the list took \(filled))")
        let screen = Renderer.render(s).text
        #expect(screen.contains("Mailbox: [all 50000] · login-0 1 · login-1 1 · login-10 1"), "\(screen)")
        let label = "login-0"
        #expect(screen.contains(LocalTime.text(s.captured[0].time, short: true) + "  " + label + String(repeating: " ", count: InboxMailbox.labelWidth - label.count) + "  a@example.com"),
                "the column at its widest:\n\(screen)")
    }
}

/// The mailbox bookkeeping alone: places of the shown messages found by a binary search agree
/// with a plain scan.
@Suite struct InboxMailboxesTests {
    @Test func shownIndexAgreesWithAScan() {
        let logins: [String?] = ["a", nil, "b", "a", "a", nil, "c", "a"]
        let messages = logins.enumerated().map { InboxMailboxTests.message(String($0.offset), login: $0.element) }
        for chosen in [nil, InboxMailbox.default, .login("a"), .login("b"), .login("zz")] {
            var boxes = InboxMailboxes()
            boxes.choose(chosen, in: messages)
            let scan = messages.indices.filter { chosen == nil || InboxMailbox(messages[$0]) == chosen }
            #expect(boxes.shownCount == scan.count)
            for place in messages.indices {
                #expect(boxes.shownIndex(ofPlace: place) == scan.firstIndex(of: place), "\(String(describing: chosen)) \(place)")
            }
            #expect((0..<boxes.shownCount).map { boxes.place(ofShown: $0) } == scan)
            #expect(boxes.place(ofShown: scan.count) == nil && boxes.place(ofShown: -1) == nil)
        }
    }

    @Test func manyMailboxesAreNamedUpToALimitWithTheChosenOneAlways() {
        let messages = (0..<20).map { InboxMailboxTests.message(String($0), login: "login\(String($0).count == 1 ? "0" : "")\($0)") }
        var boxes = InboxMailboxes()
        boxes.choose(.login("login19"), in: messages)
        #expect(boxes.line() == "Mailbox: all 20 · login00 1 · login01 1 · login02 1 · login03 1 · login04 1 · [login19 1] · 14 more")
    }
}
