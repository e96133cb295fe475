import Testing
@testable import MailTUI
@testable import MailCore
@testable import MailClient
import MailServer

/// What update decides by itself, and the state it keeps.
@Suite struct LoopPurityTests {
    func ready() -> AppState {
        var s = AppState(width: 100, height: 30, colors: false)
        s.fields[.host] = TextField("smtp.example.com")
        s.fields[.from] = TextField("a@example.com")
        s.fields[.to] = TextField("b@example.com")
        return s
    }

    static let report = SessionReport(failure: nil, finalReply: ServerReply(code: 250, lines: ["ok"]), acceptedRecipients: ["b@example.com"],
                                      rejectedRecipients: [], greeting: nil, extensions: [], extensionsBeforeTLS: nil, tls: nil, authenticated: false,
                                      stageTimes: [], elapsed: .milliseconds(9), messageBytes: 10, transcript: [])

    @Test func aRefusedFormNeverStartsAndKeepsTheConversation() {
        var s = ready()
        s.transcript = [TranscriptLine(elapsed: .zero, speaker: .server, inTLS: false, stage: .greeting, text: "220 earlier")]
        s.fields[.to] = TextField("not an address")
        #expect(s.update(.key(.function(5))).isEmpty, "no effect: update refused it")
        #expect(s.phase == .idle, "never 'sending'")
        #expect(s.fieldErrors[.to] != nil && s.focus == .to)
        #expect(s.transcript.count == 1, "the earlier conversation stays")
    }

    @Test func aFinishedSendIsRecordedAsAnEffectAndItsNoticeGoes() {
        var s = ready()
        guard case .send(let plan)? = s.update(.key(.function(5))).first else { Issue.record("no send"); return }
        #expect(s.update(.key(.function(5))).isEmpty)
        #expect(s.notice == "A send is running: Esc cancels it")
        let effects = s.update(.session(.finished(Self.report)))
        #expect(effects == [.recordHistory(kind: .send, plan: plan, report: Self.report)])
        #expect(s.notice == nil, "no stale 'a send is running'")
        #expect(Renderer.render(s).text.contains("Sent: 250 ok"))
    }

    @Test func quittingDuringASendAsksInWords() {
        var s = ready()
        _ = s.update(.key(.function(5)))
        _ = s.update(.key(.function(10)))
        #expect(s.overlay == .confirmQuit("A send is running. Quit and cancel it?"))
        #expect(s.update(.key(.character("y"))) == [.cancelSend, .quit])
    }

    @Test func choiceFieldsTakeALetterAndIgnoreOtherTyping() {
        var s = ready()
        s.focus = .quitAfter
        _ = s.update(.key(.character("r")))
        #expect(s.quitAfter == .rcpt)
        _ = s.update(.key(.character("@")))
        #expect(s.quitAfter == .rcpt, "an address typed here by mistake changes nothing")
        _ = s.update(.key(.character("d")))
        #expect(s.quitAfter == nil)
        s.focus = .security
        _ = s.update(.key(.character("t")))
        #expect(s.security == .tls)
        _ = s.update(.key(.character("z")))
        #expect(s.security == .tls)
        #expect(s.notice?.contains("the first letter") == true)
    }

    @Test func ctrlCWhenIdleSaysHowToQuit() {
        var s = ready()
        #expect(s.update(.key(.control("c"))).isEmpty)
        #expect(s.notice == "F10 or Ctrl-Q quits; Esc cancels a running send")
    }

    @Test func loadingAProfileKeepsATypedPassword() {
        var s = ready()
        s.fields[.password] = TextField("typed")
        _ = s.update(.key(.function(8)))
        _ = s.update(.profilesLoaded([Profile(name: "work", settings: ServerSettings(host: "w.example.com", username: "u"), passwordSource: .environment("W"))], problem: nil))
        _ = s.update(.key(.enter))
        #expect(s.text(.password) == "typed")
        #expect(s.text(.host) == "w.example.com")
    }

    @Test func reopeningASendChecksItsAttachmentsAgain() {
        var s = ready()
        _ = s.update(.key(.function(9)))
        let draft = MessageDraft(from: "a@example.com", to: "b@example.com", attachments: [AttachmentSpec(path: "/tmp/report.pdf")])
        _ = s.update(.historyLoaded([HistoryEntry(kind: .send, profile: nil, settings: ServerSettings(host: "h"), draft: draft, recipients: [], report: Self.report)]))
        let effects = s.update(.key(.enter))
        #expect(effects.contains(.checkAttachments([AttachmentSpec(path: "/tmp/report.pdf")])))
    }

    @Test func escCancelsAutoDetect() {
        var s = ready()
        #expect(s.update(.key(.function(7))) == [.autoProbe(s.settings)])
        #expect(s.update(.key(.escape)) == [.cancelSend])
        _ = s.update(.autoProbed(lines: ["Auto-detect cancelled."], verdict: .cancelled))
        #expect(!s.isSending)
    }
}

@Suite struct InboxInTheUITests {
    static func message(_ id: String, subject: String) -> StoredMessage {
        StoredMessage(id: id, path: "/tmp/\(id).eml", from: "a@example.com", fromParameters: [], recipients: [.init(address: "b@example.com", parameters: [])],
                      helo: "x", client: "127.0.0.1:1", tls: "TLSv1.3", authUser: "test", authMechanism: "PLAIN", time: 1_795_000_000, bytes: 2048,
                      subject: subject, transcript: [], faults: [])
    }

    @Test func theInboxListsLiveAndDeletes() {
        var s = AppState(width: 120, height: 40, colors: false)
        s.localServer = "127.0.0.1:2525"
        _ = s.update(.server(.message(Self.message("1", subject: "first"))))
        _ = s.update(.server(.message(Self.message("2", subject: "second"))))
        #expect(s.notice == "The local server caught a message from <a@example.com> (F2 shows it)")
        _ = s.update(.key(.function(2)))
        let screen = Renderer.render(s).text
        #expect(screen.contains("a@example.com → b@example.com  \"second\"  2 KiB [TLS] [login test]"), "newest first:\n\(screen)")
        #expect(screen.range(of: "\"second\"")!.lowerBound < screen.range(of: "\"first\"")!.lowerBound)
        #expect(s.update(.key(.enter)) == [.readCaptured(s.captured[0])])
        _ = s.update(.key(.escape))
        #expect(s.update(.key(.character("d"))).isEmpty, "the file stays until the screen closes")
        #expect(s.captured.map(\.id) == ["1"])
        #expect(s.update(.key(.character("D"))).isEmpty, "the first D only asks")
        #expect(Renderer.render(s).text.contains("Press D again to delete all 1 messages"))
        _ = s.update(.key(.character("D")))
        #expect(s.captured.isEmpty && s.deletedMessageIDs == ["2", "1"])
    }
}

/// A caught message's view: tabs, checks, scrolling, search, saving an attachment, send again.
@Suite struct MessageViewTests {
    static let raw = Array("""
    From: App <noreply@app.example>\r
    To: b@example.com\r
    Subject: Reset your password\r
    Content-Type: multipart/mixed; boundary="b"\r
    \r
    --b\r
    Content-Type: text/html; charset=utf-8\r
    \r
    <p>Hello</p><p>Reset it <a href="http://app.example/reset?t=1">here</a>.</p>\r
    --b\r
    Content-Type: application/pdf; name="terms.pdf"\r
    Content-Transfer-Encoding: base64\r
    \r
    JVBERi0xLjcK\r
    --b--\r

    """.utf8) + Array((1...80).map { "line \($0)\r\n" }.joined().utf8)

    static func opened() -> AppState {
        var s = AppState(width: 100, height: 30, colors: false)
        s.localServer = "127.0.0.1:2525"
        let record = InboxInTheUITests.message("7", subject: "Reset your password")
        _ = s.update(.server(.message(record)))
        _ = s.update(.key(.function(2)))
        #expect(s.update(.key(.enter)) == [.readCaptured(record)])
        #expect(Renderer.render(s).text.contains("Reading the message…"))
        _ = s.update(.capturedRead(id: "7", content: CapturedMessage(bytes: raw, envelopeFrom: record.from), problem: nil))
        return s
    }

    @Test func theTabsShowTheMessageAndTheChecksShowWhatToFix() {
        var s = Self.opened()
        var screen = Renderer.render(s).text
        #expect(screen.contains("⚠ No Date header"), "\(screen)")
        #expect(screen.contains("⚠ No Message-ID header"))
        #expect(screen.contains("⚠ 1 http:// link in the HTML") && !screen.contains("more checks"), "five checks, five rows")
        #expect(screen.contains("(No text part. The HTML tab shows the HTML as text.)"))
        #expect(screen.contains("1 Text") && screen.contains("6 Conversation"))
        _ = s.update(.key(.right))
        screen = Renderer.render(s).text
        #expect(screen.contains("Reset it here [1]."))
        #expect(screen.contains("[1] http://app.example/reset?t=1"))
        _ = s.update(.key(.character("4")))
        screen = Renderer.render(s).text
        #expect(screen.contains("multipart/mixed"))
        #expect(screen.contains("  application/pdf, base64, 9 B, \"terms.pdf\""))
        #expect(screen.contains("▸ terms.pdf  application/pdf, 9 B"))
        _ = s.update(.key(.character("3")))
        #expect(Renderer.render(s).text.contains("Subject: Reset your password"))
    }

    @Test func theRawTabScrollsAndSearches() {
        var s = Self.opened()
        _ = s.update(.key(.character("5")))
        #expect(!Renderer.render(s).text.contains("line 40"))
        _ = s.update(.key(.character("/")))
        for c in "LINE 40" { _ = s.update(.key(.character(c))) }
        #expect(Renderer.render(s).text.contains("Search: LINE 40"))
        _ = s.update(.key(.enter))
        guard case .message(let view) = s.overlay else { Issue.record("the view closed"); return }
        let screen = Renderer.render(s)
        #expect(screen.text.contains("line 40"), "found, any case")
        let row = (0..<screen.height).first { screen.row($0).contains("line 40") }!
        #expect(screen[2, row].style.reverse, "the line found is marked")
        #expect(view.lines(.raw)[view.found!] == "line 40")
        _ = s.update(.key(.character("n")))
        guard case .message(let again) = s.overlay else { Issue.record("n closed the view"); return }
        #expect(again.found == view.found, "the only match: n wraps round to it")
        _ = s.update(.key(.end))
        #expect(Renderer.render(s).text.contains("line 80"))
        _ = s.update(.key(.home))
        #expect(Renderer.render(s).text.contains("From: App <noreply@app.example>"))
    }

    @Test func anAttachmentIsSavedToTheTypedPathAndTheMessageCanBeSentAgain() {
        var s = Self.opened()
        _ = s.update(.key(.character("s")))
        #expect(Renderer.render(s).text.contains("Save terms.pdf to: terms.pdf"))
        _ = s.update(.key(.control("u")))
        for c in "/tmp/x/t" { _ = s.update(.key(.character(c))) }
        #expect(s.update(.key(.tab)) == [.completePath("/tmp/x/t")])
        _ = s.update(.completed(input: "/tmp/x/t", completion: "/tmp/x/terms-copy.pdf", candidates: []))
        let record = s.captured[0]
        #expect(s.update(.key(.enter)) == [.saveAttachment(record, part: [1], to: "/tmp/x/terms-copy.pdf")])
        _ = s.update(.attachmentSaved(path: "/tmp/x/terms-copy.pdf", problem: nil))
        #expect(Renderer.render(s).text.contains("Saved /tmp/x/terms-copy.pdf"))
        #expect(s.update(.key(.character("r"))) == [.sendAgain(record)])
        let draft = MessageDraft(from: "App <noreply@app.example>", to: "b@example.com", subject: "Reset your password", htmlBody: "<p>Hello</p>")
        let effects = s.update(.resendReady(draft, problem: nil))
        #expect(s.overlay == nil)
        #expect(s.text(.subject) == "Reset your password" && s.text(.from) == "App <noreply@app.example>")
        #expect(s.bodies[.html]?.text == "<p>Hello</p>")
        #expect(effects.contains(.saveDraft))
        #expect(s.focus == .host, "the next thing to change is the server")
    }

    @Test func escapeGoesBackToTheListAndDDeletes() {
        var s = Self.opened()
        _ = s.update(.key(.escape))
        #expect(s.overlay == .inbox(selected: 0))
        _ = s.update(.key(.enter))
        #expect(s.update(.key(.character("d"))).isEmpty)
        #expect(s.deletedMessageIDs == ["7"] && s.captured.isEmpty)
        #expect(s.overlay == .inbox(selected: 0))
    }

    @Test func theListShowsSubjectsDecodedAndHarmless() {
        // "Grüße \e[2J": an encoded word hiding a terminal control.
        let message = InboxInTheUITests.message("1", subject: "=?utf-8?B?R3LDvMOfZSAbWzJK?=")
        let row = InboxRow.text(message, subject: InboxSubjects.decoded(message))
        #expect(row.contains("\"Grüße ^[[2J\""))
        #expect(!row.unicodeScalars.contains { $0.value < 0x20 })
    }

    @Test func fileNamesFromAMessageAreNotPaths() {
        #expect(AppState.safeFileName("../../.bashrc") == "bashrc")
        #expect(AppState.safeFileName("/etc/passwd") == "passwd")
        #expect(AppState.safeFileName("..") == "attachment")
        #expect(AppState.safeFileName("report.pdf") == "report.pdf")
    }
}

/// F12: the local server's faults, set from the screen.
@Suite struct FaultPanelTests {
    static func opened() -> AppState {
        var s = AppState(width: 120, height: 40, colors: false)
        s.localServer = "127.0.0.1:2525"
        #expect(s.update(.key(.function(12))) == [.refreshFaults])
        return s
    }

    @Test func aReplyAtAStageIsSetForTheNextMessage() {
        var s = Self.opened()
        var screen = Renderer.render(s).text
        #expect(screen.contains("Faults of the local test server on 127.0.0.1:2525"))
        #expect(screen.contains("In force: none"))
        #expect(screen.contains("▸ Stage    ‹ rcpt ›"))
        // ← from rcpt: mail, auth, starttls; then → back to auth.
        for _ in 0..<3 { _ = s.update(.key(.left)) }
        #expect(Renderer.render(s).text.contains("Stage    ‹ starttls ›"))
        _ = s.update(.key(.right))
        _ = s.update(.key(.down))
        _ = s.update(.key(.down))
        #expect(Renderer.render(s).text.contains("▸ Reply    550 5.1.1 No such user▏"))
        _ = s.update(.key(.control("u")))
        for c in "535 5.7.8 Nope" { _ = s.update(.key(.character(c))) }
        #expect(s.update(.key(.enter)) == [.setFaults([Fault(stage: .auth, action: .reply(code: 535, text: "5.7.8 Nope"))], once: true)])
        _ = s.update(.faultsChanged(active: ["auth=535 5.7.8 Nope (once)"], problem: nil, changed: true))
        screen = Renderer.render(s).text
        #expect(screen.contains("In force: auth=535 5.7.8 Nope (once)"))
        #expect(screen.contains("In force now. F5 sends to the local server to see it strike."))
        _ = s.update(.key(.escape))
        _ = s.update(.key(.function(2)))
        #expect(Renderer.render(s).text.contains("Faults in force: auth=535 5.7.8 Nope (once) (f changes them)"))
        #expect(s.update(.key(.character("f"))) == [.refreshFaults])
        #expect(s.update(.key(.control("x"))) == [.setFaults([], once: false)])
    }

    @Test func presetsUntilClearedAndBadValues() {
        var s = Self.opened()
        _ = s.update(.key(.up))
        _ = s.update(.key(.right))
        var screen = Renderer.render(s).text
        #expect(screen.contains("Preset   ‹ gmail-bad-credentials ›"))
        #expect(screen.contains("imitates Gmail refusing a wrong username or password: auth=535 5.7.8"))
        #expect(!screen.contains("Stage"), "a preset replaces the stage, action and value")
        _ = s.update(.key(.down))
        _ = s.update(.key(.character(" ")))
        screen = Renderer.render(s).text
        #expect(screen.contains("▸ Applies  ‹ to every message, until cleared ›"))
        #expect(s.update(.key(.enter)) == [.setFaults(Preset.all[0].faults, once: false)])
        // Back to no preset, then a delay that is not a number.
        _ = s.update(.key(.up))
        _ = s.update(.key(.left))
        _ = s.update(.key(.down))
        _ = s.update(.key(.down))
        _ = s.update(.key(.right))
        #expect(Renderer.render(s).text.contains("Action   ‹ delay ›"))
        _ = s.update(.key(.down))
        _ = s.update(.key(.character("x")))
        #expect(s.update(.key(.enter)) == [])
        #expect(Renderer.render(s).text.contains("delay takes seconds, from 0 to 3600"))
        _ = s.update(.key(.function(12)))
        #expect(s.overlay == nil)
    }

    @Test func withoutALocalServerThereIsNothingToSet() {
        var s = AppState(width: 120, height: 40, colors: false)
        #expect(s.update(.key(.function(12))) == [])
        #expect(s.notice?.contains("No local server runs in this screen") == true)
    }
}

/// "Local test server" in the F8 list.
@Suite struct LocalServerInTheProfileListTests {
    @Test func theEntryStartsItAndFillsTheForm() {
        var s = AppState(width: 120, height: 40, colors: false)
        s.localServerAllowed = true
        s.apply(settings: ServerSettings(host: "smtp.example.com", port: 587, security: .starttls))
        #expect(s.update(.key(.function(8))) == [.loadProfiles])
        _ = s.update(.profilesLoaded([Profile(name: "work", settings: ServerSettings(host: "smtp.work.example"))], problem: nil))
        #expect(Renderer.render(s).text.contains("  Local test server  starts on 127.0.0.1:2525, mail stays on this machine"))
        _ = s.update(.key(.down))
        #expect(Renderer.render(s).text.contains("▸ Local test server"))
        #expect(s.update(.key(.enter)) == [.useLocalServer])
        let effects = s.update(.localServerReady(address: "127.0.0.1:2525", port: 2525, caPath: "/ca.pem", earlier: [], problem: nil))
        #expect(effects == [.saveDraft])
        #expect(s.text(.host) == "127.0.0.1" && s.text(.port) == "2525" && s.security == .starttls && s.text(.caFile) == "/ca.pem")
        #expect(s.localServer == "127.0.0.1:2525")
        #expect(s.notice?.hasPrefix("Local test server on 127.0.0.1:2525") == true)
    }

    @Test func notOfferedWhenTurnedOff() {
        var s = AppState(width: 120, height: 40, colors: false)
        _ = s.update(.key(.function(8)))
        _ = s.update(.profilesLoaded([], problem: nil))
        #expect(!Renderer.render(s).text.contains("Local test server"))
        _ = s.update(.key(.down))
        // No entry for it: the row after the (no) profiles is the second provider preset.
        #expect(s.update(.key(.enter)) == [.saveDraft])
        #expect(s.text(.host) == Provider.catalogue[1].host)
    }
}

/// `mailtui serve` on a terminal: the inbox is the screen.
@Suite struct ServeScreenTests {
    @Test func theInboxIsTheScreenAndStays() {
        var s = AppState(width: 100, height: 30, colors: false)
        s.serving = ["SMTP (STARTTLS offered): 127.0.0.1:2525", "CA to trust: /data/mailtui/tls/ca.pem"]
        s.localServer = "127.0.0.1:2525"
        s.overlay = .inbox(selected: 0)
        var screen = Renderer.render(s).text
        #expect(screen.contains("─ mailtui serve ") && screen.contains("SMTP (STARTTLS offered): 127.0.0.1:2525") && screen.contains("CA to trust:"))
        #expect(screen.contains("Nothing caught yet") && !screen.contains("Host"), "no form:\n\(screen)")
        _ = s.update(.server(.message(InboxInTheUITests.message("1", subject: "hi"))))
        screen = Renderer.render(s).text
        #expect(screen.contains("▸ ") && screen.contains("\"hi\"") && screen.contains("1 message"))
        #expect(s.notice == "The local server caught a message from <a@example.com>")
        _ = s.update(.key(.escape))
        #expect(s.overlay == .inbox(selected: 0), "Esc does not close the screen's inbox")
        _ = s.update(.key(.character("f")))
        _ = s.update(.key(.escape))
        #expect(s.overlay == .inbox(selected: 0), "closing the panel comes back to the inbox")
        #expect(s.update(.key(.character("q"))) == [.quit])
    }
}

/// "Send again": a caught message becomes a draft, its attachments kept as files.
@Suite struct SendAgainTests {
    @Test func theDraftHoldsTheMessageAndItsAttachments() throws {
        let dir = "/tmp/mailtui-again-" + RandomToken.hex(bytes: 8)
        let pdf = Array("%PDF-1.7\n".utf8) + [UInt8](repeating: 7, count: 5000)
        try FileContents.writeAtomically(pdf, to: dir + "/report.pdf")
        let sent = MessageDraft(from: "Jörg <a@example.com>", to: "b@example.com, c@example.com", cc: "d@example.com", subject: "Größe ✓",
                                textBody: "line one\nline two\n", htmlBody: "<p>hi</p>", attachments: [AttachmentSpec(path: dir + "/report.pdf")])
        let bytes = try MessageRenderer(options: .deterministic).render(sent.validated()).readAll()
        try FileContents.writeAtomically(bytes, to: dir + "/m.eml")
        var record = InboxInTheUITests.message("123-4-000001", subject: "x")
        record.path = dir + "/m.eml"
        guard case .resendReady(let draft?, nil) = CapturedFiles.draft(from: record, keepingAttachmentsIn: dir + "/resend") else {
            Issue.record("no draft")
            return
        }
        #expect(draft.from == "Jörg <a@example.com>" && draft.to == "b@example.com, c@example.com" && draft.cc == "d@example.com")
        #expect(draft.subject == "Größe ✓")
        #expect(draft.textBody == "line one\nline two\n")
        #expect(draft.htmlBody == "<p>hi</p>\n", "the renderer ends a body with a line break")
        let kept = try #require(draft.attachments.first)
        #expect(kept.path == dir + "/resend/123-4-000001/report.pdf" && kept.displayName == "report.pdf" && kept.mimeType == "application/pdf")
        #expect(FileContents.read(kept.path) == pdf)
        // And it sends again as it was: the same text, the same file.
        let again = try MessageRenderer(options: .deterministic).render(draft.validated()).readAll()
        #expect(CapturedMessage(bytes: again, envelopeFrom: nil).textBody == CapturedMessage(bytes: bytes, envelopeFrom: nil).textBody)
    }
}

/// The DSN field: what it asks of the server, or what is wrong with it, before connecting.
@Suite struct DeliveryNotificationsFieldTests {
    func form(_ dsn: String) -> AppState {
        var s = AppState(width: 100, height: 30, colors: false)
        s.apply(settings: ServerSettings(host: "smtp.example.com", port: 587, security: .starttls))
        s.apply(draft: MessageDraft(from: "a@example.com", to: "b@example.com", subject: "s", textBody: "t"))
        s.fields[.dsn] = TextField(dsn)
        return s
    }

    /// The plan F5 hands the runtime: the field is read once, in update.
    func plan(_ dsn: String) -> SendPlan? {
        var s = form(dsn)
        guard case .send(let plan)? = s.update(.key(.function(5))).first else { return nil }
        return plan
    }

    @Test func theFieldBecomesTheRequestsNotifications() throws {
        guard let asked = self.plan("success,failure hdrs envid=order-42"),
              case .success(let request) = SendPreparation.request(asked, kind: .send, password: .success(nil)) else {
            Issue.record("refused"); return
        }
        #expect(request.notifications == DeliveryNotifications(notify: ["success", "failure"], ret: .hdrs, envelopeID: "order-42"))
        guard let blank = self.plan("  "), case .success(let none) = SendPreparation.request(blank, kind: .send, password: .success(nil)) else {
            Issue.record("refused"); return
        }
        #expect(none.notifications == nil)
    }

    @Test func aWrongValueMarksTheField() {
        var s = form("never,success")
        #expect(s.update(.key(.function(5))).isEmpty, "nothing starts")
        #expect(s.fieldErrors[.dsn]?.contains("never cannot be combined") == true)
        #expect(s.focus == .dsn && s.notice?.hasPrefix("Not sent: DSN: notify: never cannot be combined") == true)
    }

    @Test func theDraftKeepsIt() {
        var s = AppState(width: 100, height: 30, colors: false)
        s.fields[.dsn] = TextField("delay full")
        var restored = AppState(width: 100, height: 30, colors: false)
        restored.apply(draft: s.draft)
        #expect(restored.text(.dsn) == "delay full")
    }
}

/// The Count field: a load run on one connection, with its progress and summary in the screen.
@Suite struct CountFieldTests {
    func ready() -> AppState {
        var s = AppState(width: 120, height: 40, colors: false)
        s.apply(settings: ServerSettings(host: "smtp.example.com", port: 587, security: .starttls))
        s.apply(draft: MessageDraft(from: "a@example.com", to: "b@example.com", subject: "n {n}", textBody: "t"))
        return s
    }

    @Test func aCountAboveOneIsALoadRunWithProgressAndASummary() throws {
        var s = ready()
        s.fields[.count] = TextField("5")
        let effects = s.update(.key(.function(5)))
        guard case .send(let plan)? = effects.first else { Issue.record("no send: \(effects)"); return }
        #expect(plan.count == 5)
        guard case .success(let request) = SendPreparation.request(plan, kind: .send, password: .success(nil)) else { Issue.record("refused"); return }
        #expect(request.load?.count == 5 && request.load?.transcript == .first)
        _ = s.update(.session(.loadOutcome(LoadOutcome(number: 1, latency: .milliseconds(2), code: 250, failedStage: nil, example: nil))))
        _ = s.update(.session(.loadOutcome(LoadOutcome(number: 2, latency: .milliseconds(3), code: 550, failedStage: .rcpt, example: "550 no"))))
        #expect(Renderer.render(s).text.contains("Load run: 1 sent, 1 failed of 5"))
        let report = SessionReport(failure: nil, finalReply: nil, acceptedRecipients: [], rejectedRecipients: [], greeting: nil, extensions: [],
                                   extensionsBeforeTLS: nil, tls: nil, authenticated: false, stageTimes: [], elapsed: .seconds(1), messageBytes: 0, transcript: [])
        _ = s.update(.session(.finished(report)))
        let screen = Renderer.render(s).text
        #expect(screen.contains("Load run: 2 of 5 messages on one connection"), "\(screen)")
        #expect(screen.contains("1 delivered, 1 failed, 3 not sent") && screen.contains("failed at RCPT TO: 1 (550: 1), e.g. 550 no") && screen.contains("not sent: 3"), "\(screen)")
    }

    @Test func theCountTakesDigitsAndIsChecked() {
        var s = ready()
        s.focus = .count
        _ = s.update(.key(.character("x")))
        _ = s.update(.key(.character("0")))
        #expect(s.text(.count) == "0", "digits only")
        #expect(s.update(.key(.function(5))).isEmpty)
        #expect(s.fieldErrors[.count]?.contains("1 to 100000") == true)
    }
}

/// A key in the body says "changed" (save the draft) only when the text changed, without
/// comparing the whole text.
@Suite struct BodyRevisionTests {
    @Test func onlyTextChangesAskForADraftSave() {
        var s = AppState(width: 100, height: 30, colors: false)
        s.focus = .body
        #expect(s.update(.key(.character("a"))) == [.saveDraft])
        #expect(s.update(.key(.left)) == [])
        #expect(s.update(.key(.backspace)) == [], "nothing before the cursor: no change")
        #expect(s.update(.key(.delete)) == [.saveDraft])
        #expect(s.update(.key(.control("k"))) == [], "nothing after the cursor")
        #expect(s.bodies[.text]?.text == "")
        var again = s.bodies[.text] ?? TextArea()
        again.insert("")
        #expect(again == s.bodies[.text], "the same text is equal whatever the edits")
    }
}
