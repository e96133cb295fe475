import Testing
@testable import MailTUI
@testable import MailCore
@testable import MailClient

/// The compose screen without a terminal: feed events to `update`, look at the state and at the
/// screen `render` draws.
@Suite struct UpdateAndRenderTests {
    init() { TerminalLocale.adopt() }

    func state(_ width: Int = 80, _ height: Int = 24, colors: Bool = true) -> AppState {
        AppState(width: width, height: height, colors: colors)
    }

    @discardableResult
    func type(_ text: String, into state: inout AppState) -> [Effect] {
        text.flatMap { state.update(.key(.character($0))) }
    }

    func press(_ keys: Key..., in state: inout AppState) -> [Effect] {
        keys.flatMap { state.update(.key($0)) }
    }

    @Test func theHeaderFieldsAreLabelledAsValidationNamesThem() {
        let headers: [MessageField] = [.from, .to, .cc, .bcc, .replyTo, .subject]
        for field in headers { #expect(FieldID(field).label == field.label) }
    }

    func screen(_ state: AppState) -> String { Renderer.render(state).text }

    @Test func anAbsurdTimeoutIsMarkedNeverTrapped() {
        var s = state()
        var settings = ServerSettings(host: "smtp.example.com")
        settings.timeouts = Timeouts(perStep: 1e300)
        s.apply(settings: settings)
        #expect(s.text(.timeout) == "1e+300")
        #expect(s.fieldErrors[.timeout]?.contains("1 to 3600") == true)
        s.apply(settings: ServerSettings(host: "smtp.example.com"))
        #expect(s.fieldErrors[.timeout] == nil)
        s.fields[.timeout] = TextField("99999999999999999")
        #expect(s.settings.problems().contains { $0.setting == .timeout })
        s.fields[.timeout] = TextField("12.5")
        #expect(s.settings.timeouts.response == 12.5)
        #expect(s.settings.problems().isEmpty)
    }

    @Test func typingIntoTheDimDefaultPortReplacesIt() {
        var s = state()
        s.focus = .port
        #expect(s.text(.port) == "587")
        type("2525", into: &s)
        #expect(s.text(.port) == "2525")
        #expect(s.settings.port == 2525)
        // Once typed, it is the user's: typing appends, and the security choice leaves it alone.
        type("0", into: &s)
        #expect(s.text(.port) == "25250")
        var other = state()
        other.focus = .port
        _ = press(.backspace, in: &other)
        #expect(other.text(.port) == "")
        #expect(other.settings.effectivePort == 587, "an empty port follows the security choice")
    }

    @Test func pageKeysScrollTheConversationWhateverHasTheFocus() {
        var s = state(80, 24)
        s.transcript = (0..<200).map { TranscriptLine(elapsed: .zero, speaker: .server, inTLS: false, stage: .ehlo, text: "line \($0)") }
        s.focus = .body
        s.bodies[.text] = TextArea((0..<100).map { "body \($0)" }.joined(separator: "\n"))
        let bodyBefore = s.bodies[.text]
        _ = press(.pageUp, in: &s)
        #expect(s.transcriptTop != nil, "the conversation scrolled")
        #expect(s.bodies[.text] == bodyBefore, "the body did not")
        #expect(s.hintKeys.contains { $0.0.contains("PgUp") && $0.1 == "Conversation" })
    }

    @Test func everyExportFormatIsReachableAndTheShownOneCanBeSaved() {
        var s = state(120, 40)
        s.fields[.host] = TextField("smtp.example.com")
        var shown: [String] = []
        for _ in 0..<6 {
            _ = press(.function(8), in: &s)
            _ = press(.character("e"), in: &s)
            shown.append(s.lastExport?.format.rawValue ?? "?")
        }
        #expect(shown == ["flask", "dotenv", "swaks", "curl", "msmtp", "flask"])
        _ = press(.function(8), in: &s)
        _ = press(.character("w"), in: &s)
        guard case .profiles(let picker) = s.overlay else { Issue.record("F8 closed"); return }
        #expect(picker.exportPath?.text == "mail_settings.py")
        let effects = press(.enter, in: &s)
        #expect(effects == [.writeExport(path: "mail_settings.py", text: s.lastExport!.text)])
        _ = s.update(.exportWritten(path: "mail_settings.py", problem: nil))
        #expect(screen(s).contains("Saved the flask export to mail_settings.py"))
    }

    @Test func readlineEditingInTextFields() {
        var s = state()
        type("smtp.example.com", into: &s)
        #expect(s.text(.host) == "smtp.example.com")
        _ = press(.control("a"), in: &s)
        type("x", into: &s)
        _ = press(.control("e"), .backspace, .left, .delete, in: &s)
        #expect(s.text(.host) == "xsmtp.example.c")
        _ = press(.control("w"), in: &s)
        #expect(s.text(.host) == "")
        type("one two three", into: &s)
        _ = press(.control("w"), in: &s)
        #expect(s.text(.host) == "one two ")
        _ = press(.home, .right, .right, .right, .control("k"), in: &s)
        #expect(s.text(.host) == "one")
        _ = press(.end, .left, .control("u"), in: &s)
        #expect(s.text(.host) == "e")
    }

    @Test func tabOrderAndArrowsMoveTheFocus() {
        var s = state()
        #expect(s.focus == .host)
        _ = press(.tab, .tab, in: &s)
        #expect(s.focus == .security)
        _ = press(.backTab, in: &s)
        #expect(s.focus == .port)
        _ = press(.backTab, .backTab, in: &s)
        #expect(s.focus == .transcript, "Shift-Tab wraps around")
        _ = press(.tab, .down, .down, in: &s)
        #expect(s.focus == .security)
    }

    @Test func portFollowsSecurityUntilTyped() {
        var s = state()
        s.focus = .security
        _ = press(.right, in: &s)
        #expect(s.security == .tls && s.text(.port) == "465")
        _ = press(.right, in: &s)
        #expect(s.security == .none && s.text(.port) == "25")
        s.focus = .port
        _ = press(.control("u"), in: &s)
        type("2525", into: &s)
        type("x", into: &s)
        #expect(s.text(.port) == "2525", "only digits")
        s.focus = .security
        _ = press(.right, in: &s)
        #expect(s.security == .starttls && s.text(.port) == "2525", "a typed port stays")
        s.focus = .port
        _ = press(.control("u"), in: &s)
        s.focus = .security
        _ = press(.left, in: &s)
        #expect(s.text(.port) == "25", "an emptied port follows again")
    }

    @Test func passwordIsMaskedOnScreen() {
        var s = state()
        s.focus = .password
        type("hunter2-geheim", into: &s)
        let text = screen(s)
        #expect(!text.contains("hunter2"))
        #expect(text.contains("••••••••••••••"))
        #expect(s.settings.username == nil)
        #expect(!String(describing: s.draft).contains("hunter2"))
    }

    @Test func wideCharactersAreShownAndClippedByDisplayWidth() {
        var s = state()
        s.focus = .subject
        type("Grüße 東京タワー", into: &s)
        let rendered = Renderer.render(s)
        let row = (0..<rendered.height).first { rendered.row($0).contains("Subject") }!
        #expect(rendered.row(row).contains("Grüße 東京タワー"))
        #expect(rendered.cursor?.x == 11 + 6 + 10, "the cursor sits after 6 narrow and 5 wide characters")
        // A long wide-character value scrolls and never splits a character.
        type(String(repeating: "漢", count: 60), into: &s)
        let long = Renderer.render(s)
        #expect(DisplayWidth.of(long.row(row)) == 80)
        // The DSN field shares the row: the subject's part ends on a whole character.
        #expect(String(long.row(row).split(separator: " DSN ").first ?? "").trimmingSpaces.hasSuffix("漢"))
    }

    @Test func theEmptyFormAt80x24() {
        let rows = screen(state()).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(rows.count == 24)
        #expect(rows[0].hasPrefix("─ Server ─") && rows[0].hasSuffix(" mailtui ─"))
        #expect(rows[1].contains("Host") && rows[1].contains("Port 587") && rows[1].contains("Security ‹ STARTTLS ›"))
        #expect(rows[2].contains("User") && rows[2].contains("Password") && rows[2].contains("Auth ‹ auto ›"))
        #expect(rows[3].contains("Verify cert [x]"))
        #expect(rows[4].hasPrefix("─ Message ─"))
        #expect(rows[5].contains("From") && rows[6].contains("To") && rows[7].contains("Cc") && rows[7].contains("Bcc"))
        #expect(rows[9].contains("Subject") && rows[10].contains("Attach"))
        #expect(rows[11].contains("Text") && rows[11].contains("HTML") && rows[11].contains("Headers"))
        #expect(rows.contains { $0.hasPrefix("─ Conversation ─") })
        #expect(rows[22].contains("Ready: no server yet"))
        #expect(rows[23].hasPrefix("F5 Send"))
        #expect(rows.allSatisfy { DisplayWidth.of($0) <= 80 })
    }

    @Test func aLargeTerminalPutsTheConversationBesideTheForm() {
        var s = state(180, 50)
        _ = s.update(.session(.line(TranscriptLine(elapsed: .milliseconds(5), speaker: .server, inTLS: false, stage: .greeting, text: "220 mx ready"))))
        let rendered = Renderer.render(s)
        let first = rendered.row(0)
        #expect(first.contains("Server") && first.contains("Conversation"))
        #expect(rendered.row(1).contains("Host") && rendered.row(1).contains("220 mx ready"))
        #expect(rendered.text.split(separator: "\n").count <= 50)
    }

    @Test func aTooSmallTerminalSaysSo() {
        var s = state()
        _ = s.update(.resize(width: 60, height: 15))
        let text = screen(s)
        #expect(text.contains("Terminal too small"))
        #expect(text.contains("80x24") && text.contains("60x15"))
        _ = s.update(.resize(width: 100, height: 30))
        #expect(screen(s).contains("Host"))
    }

    @Test func transcriptFollowsUnlessScrolledAway() {
        var s = state()
        func add(_ n: Int) {
            for i in 0..<n {
                _ = s.update(.session(.line(TranscriptLine(elapsed: .milliseconds(i), speaker: .server, inTLS: i > 50, stage: .ehlo, text: "250-line \(s.transcript.count)"))))
            }
        }
        add(100)
        #expect(screen(s).contains("250-line 99"))
        _ = press(.pageUp, in: &s)
        #expect(s.transcriptTop != nil)
        let before = screen(s)
        #expect(!before.contains("250-line 99"))
        #expect(before.contains("more (End follows)"))
        add(5)
        #expect(screen(s) .contains("250-line 104") == false, "the view stays where the user scrolled")
        s.focus = .transcript
        _ = press(.end, in: &s)
        #expect(s.transcriptTop == nil)
        #expect(screen(s).contains("250-line 104"))
        #expect(screen(s).contains("<- 250-line 104"))
        _ = press(.home, in: &s)
        #expect(screen(s).contains("<- 250-line 0"))
        _ = press(.pageDown, .pageDown, .pageDown, .pageDown, .pageDown, .pageDown, .pageDown, .pageDown, .pageDown, .pageDown, .pageDown, .pageDown, in: &s)
        #expect(screen(s).contains("<~ 250-line 51"), "lines inside TLS are marked")
        #expect(screen(s).contains("<- 250-line 50"))
    }

    @Test func sendCancelAndResult() {
        var s = state()
        s.fields[.host] = TextField("127.0.0.1")
        s.fields[.from] = TextField("a@example.com")
        s.fields[.to] = TextField("b@example.com")
        s.focus = .password
        type("pw", into: &s)
        let effects = press(.function(5), in: &s)
        guard case .send(let plan)? = effects.first else { Issue.record("F5 must send"); return }
        #expect(plan.settings.host == "127.0.0.1" && plan.draft.to == "b@example.com" && plan.password == "pw")
        #expect(s.isSending)
        #expect(press(.control("s"), in: &s).isEmpty, "no second send while one runs")
        _ = s.update(.session(.stage(.rcpt)))
        #expect(screen(s).contains("Sending: RCPT TO"))
        _ = s.update(.session(.progress(sent: 512, total: 1024)))
        #expect(screen(s).contains("(50%)"))
        #expect(press(.escape, in: &s) == [.cancelSend])
        #expect(screen(s).contains("Cancelling"))
        let failure = SessionFailure(stage: .auth, kind: .authFailed, reply: ServerReply(code: 535, lines: ["5.7.8 Authentication credentials invalid"]),
                                     explanation: "The server rejected the username or password.", suggestions: ["Check the username (--user, MAIL_USERNAME)."])
        _ = s.update(.session(.finished(report(failure: failure))))
        let text = screen(s)
        #expect(text.contains("✗ Failed at AUTH"))
        #expect(text.contains("Server said: 535 5.7.8 Authentication credentials invalid"))
        #expect(text.contains("Try: Check the username (User, MAIL_USERNAME)."), "the advice names the form's fields")
        #expect(text.contains("Failed at AUTH: username or password refused"))
        #expect(text.components(separatedBy: "535 5.7.8").count == 2, "the server's reply is quoted once:\n\(text)")
        #expect(!s.isSending)
    }

    func report(failure: SessionFailure?) -> SessionReport {
        SessionReport(failure: failure, finalReply: nil, acceptedRecipients: [], rejectedRecipients: [], greeting: nil, extensions: [],
                      extensionsBeforeTLS: nil, tls: nil, authenticated: false, stageTimes: [], elapsed: .milliseconds(42), messageBytes: 0, transcript: [])
    }

    @Test func refusedSendsPointAtTheField() {
        var s = state()
        _ = press(.function(5), in: &s)
        _ = s.update(.sendRefused([.to: "at least one recipient (To, Cc or Bcc) is required", .host: "no server given"]))
        #expect(s.focus == .host)
        #expect(!s.isSending)
        #expect(screen(s).contains("Not sent: Host: no server given"))
        s.notice = nil
        s.focus = .to
        #expect(screen(s).contains("To: at least one recipient"))
        type("x", into: &s)
        #expect(s.fieldErrors[.to] == nil, "typing clears the mark")
    }

    @Test func quittingAsksWhileSending() {
        var s = state()
        #expect(press(.function(10), in: &s) == [.quit])
        s.phase = .sending(stage: .data, sent: nil, total: nil)
        #expect(press(.control("q"), in: &s).isEmpty)
        #expect(screen(s).contains("Quit mailtui?"))
        #expect(press(.character("n"), in: &s).isEmpty)
        #expect(s.overlay == nil)
        _ = press(.function(10), in: &s)
        #expect(press(.character("y"), in: &s) == [.cancelSend, .quit])
    }

    @Test func helpListsTheKeys() {
        var s = state(100, 30)
        _ = press(.function(1), in: &s)
        // The window scrolls when the help is longer than the screen.
        var text = screen(s)
        for _ in 0..<3 {
            _ = press(.pageDown, in: &s)
            text += screen(s)
        }
        for key in ["F5 / Ctrl-S", "Esc", "F10 / Ctrl-Q", "Ctrl-U", "F4", "PgUp", "Ctrl-L", "F12"] { #expect(text.contains(key), "\(key)") }
        _ = press(.character("x"), in: &s)
        #expect(s.overlay == nil)
    }

    @Test func hintBarFollowsTheSituation() {
        var s = state(120, 30)
        s.focus = .attachments
        #expect(screen(s).contains("Tab Next"))
        s.fields[.attachments] = TextField("/tm")
        #expect(screen(s).contains("Enter Add") && screen(s).contains("Tab Complete") && !screen(s).contains("Tab Next"))
        s.focus = .body
        #expect(screen(s).contains("F4 $EDITOR"))
        s.phase = .sending(stage: .ehlo, sent: nil, total: nil)
        #expect(Renderer.render(s).row(29).hasPrefix("Esc Cancel"))
    }

    @Test func bodyEditorTabsAndDraftChanges() {
        var s = state()
        s.focus = .body
        let effects = type("Hi", into: &s) + press(.enter, in: &s) + type("there", into: &s)
        #expect(effects.contains(.saveDraft))
        #expect(s.draft.textBody == "Hi\nthere")
        _ = press(.function(3), in: &s)
        type("<p>x</p>", into: &s)
        _ = press(.control("t"), in: &s)
        type("X-Campaign: test", into: &s)
        #expect(s.draft.htmlBody == "<p>x</p>")
        #expect(s.draft.extraHeaders == ["X-Campaign: test"])
        #expect(press(.function(4), in: &s) == [.openEditor(.headers, "X-Campaign: test")])
        _ = s.update(.editorFinished(.headers, .success("X-A: 1\nX-B: 2")))
        _ = s.update(.editorFinished(.headers, .failure(EditorFailure(reason: "the editor `nano` was not found: set $VISUAL or $EDITOR"))))
        #expect(screen(s).contains("The body is unchanged: the editor `nano` was not found"))
        #expect(s.draft.extraHeaders == ["X-A: 1", "X-B: 2"])
    }

    @Test func attachmentsAreAddedCompletedAndRemoved() {
        // Wide enough for the list's start beside the DKIM and Count fields (Ctrl-O shows it all).
        var s = state(100, 30)
        s.focus = .attachments
        type("/tmp/rep", into: &s)
        #expect(press(.tab, in: &s) == [.completePath("/tmp/rep")])
        _ = s.update(.completed(input: "/tmp/rep", completion: "/tmp/report", candidates: ["report.pdf", "report.txt"]))
        #expect(s.text(.attachments) == "/tmp/report")
        #expect(screen(s).contains("report.pdf  report.txt"))
        type(".pdf", into: &s)
        #expect(press(.enter, in: &s) == [.inspectAttachment(AttachmentSpec(path: "/tmp/report.pdf"))])
        _ = s.update(.attachmentInspected(AttachmentItem(spec: AttachmentSpec(path: "/tmp/report.pdf"), size: 12_345, mimeType: "application/pdf", problem: nil)))
        _ = s.update(.attachmentInspected(AttachmentItem(spec: AttachmentSpec(path: "/nope"), size: nil, mimeType: "application/octet-stream", problem: "no such file")))
        #expect(screen(s).contains("report.pdf (12.1 KiB), ▸nope"), "every file, the selected one marked")
        s.focus = .subject
        #expect(screen(s).contains("Attach report.pdf (12.1 KiB), nope ✗"))
        // Checked again (before a send): the file that went away is marked, not shown with its old size.
        let specs = s.attachments.map(\.spec)
        _ = s.update(.attachmentsChecked([AttachmentItem(spec: specs[0], size: nil, mimeType: "application/pdf", problem: "no such file"), s.attachments[1]]))
        #expect(screen(s).contains("report.pdf ✗ no such file"))
        #expect(s.fieldErrors[.attachments] == "report.pdf: no such file")
        _ = s.update(.attachmentsChecked([AttachmentItem(spec: specs[0], size: 12_345, mimeType: "application/pdf", problem: nil), s.attachments[1]]))
        s.focus = .attachments
        #expect(s.fieldErrors[.attachments] == "nope: no such file")
        _ = press(.delete, in: &s)
        #expect(s.attachments.map(\.name) == ["report.pdf"])
        #expect(s.fieldErrors[.attachments] == nil)
    }

    @Test func monochromeUsesNoColours() {
        var s = state(colors: false)
        s.fieldErrors[.to] = "bad"
        s.phase = .failed(SessionFailure(stage: .rcpt, kind: .recipientRejected, explanation: "x", suggestions: []), elapsed: .zero)
        let rendered = Renderer.render(s)
        for y in 0..<rendered.height {
            for x in 0..<rendered.width {
                #expect(rendered[x, y].style.foreground == .default && rendered[x, y].style.background == .default)
            }
        }
    }

    @Test func pathCompletion() {
        let listing: (String) -> [(name: String, isDirectory: Bool)] = { dir in
            dir == "/data/" ? [("report.pdf", false), ("report.txt", false), ("reports", true), (".hidden", false)] : [("only", true)]
        }
        #expect(PathCompletion.complete("/data/rep", listing: listing).completion == "/data/report")
        #expect(PathCompletion.complete("/data/reports", listing: listing).completion == "/data/reports/")
        #expect(PathCompletion.complete("/data/x", listing: listing).candidates.isEmpty)
        #expect(PathCompletion.complete("/data/", listing: listing).candidates.count == 3, "hidden files only on request")
        #expect(PathCompletion.complete("o", listing: listing).completion == "only/")
    }
}

@Suite struct TextWrapTests {
    init() { TerminalLocale.adopt() }

    @Test func wrapsByWordsKeepingTheIndent() {
        let lines = TextWrap.wrap("  Try: Some providers need an app password instead of the account password.", width: 30)
        #expect(lines == ["  Try: Some providers need an", "    app password instead of", "    the account password."])
        #expect(lines.allSatisfy { DisplayWidth.of($0) <= 30 })
        #expect(TextWrap.wrap("short", width: 30) == ["short"])
        let aligned = TextWrap.wrap("Timings     name lookup 0 ms, TCP connect 0 ms, greeting 3 ms", width: 40)
        #expect(aligned.first?.hasPrefix("Timings     name lookup") == true, "\(aligned)")
        #expect(aligned.allSatisfy { DisplayWidth.of($0) <= 40 })
    }
}

@Suite struct ProbeInTheUITests {
    @Test func stopAfterProbeAndAutoDetect() {
        var s = AppState(width: 80, height: 24)
        s.fields[.host] = TextField("mail.example.com")
        s.fields[.from] = TextField("a@example.com")
        s.fields[.to] = TextField("b@example.com")
        s.focus = .quitAfter
        #expect(Renderer.render(s).text.contains("Stop after ‹ deliver ›"))
        for _ in 0..<7 { _ = s.update(.key(.right)) }
        #expect(s.quitAfter == .rcpt)
        #expect(Renderer.render(s).text.contains("‹ RCPT TO ›"))
        let send = s.update(.key(.function(5)))
        guard case .send(let plan)? = send.first else { Issue.record("no send"); return }
        #expect(plan.quitAfter == .rcpt)
        s.phase = .idle

        let probe = s.update(.key(.function(6)))
        guard case .probe? = probe.first else { Issue.record("F6 must probe"); return }
        #expect(Renderer.render(s).text.contains("Probing: connect"))
        var report = SessionReport(failure: nil, finalReply: nil, acceptedRecipients: [], rejectedRecipients: [],
                                   greeting: ServerReply(code: 220, lines: ["mx ready"]), extensions: ["SIZE 1048576", "AUTH PLAIN"],
                                   extensionsBeforeTLS: ["STARTTLS"], tls: nil, authenticated: false, stageTimes: [],
                                   elapsed: .milliseconds(5), messageBytes: 0, transcript: [])
        report.tls = TLSInfo()
        _ = s.update(.session(.finished(report)))
        s.focus = .host
        let text = Renderer.render(AppState(copy: s, height: 60)).text
        #expect(text.contains("largest message accepted: 1 MiB"))
        #expect(text.contains("AUTH        before STARTTLS: none; after: PLAIN"))
        #expect(text.contains("Probe done"))

        #expect(s.update(.key(.function(7))) == [.autoProbe(s.settings)])
        #expect(Renderer.render(s).text.contains("Auto-detecting"))
        _ = s.update(.autoProbed(lines: ["PORT   SECURITY", "Port 465 answers; use --port 465 --security tls"],
                                 verdict: .works(AutoProbe.Candidate(port: 465, security: .tls), good: true)))
        #expect(s.security == .tls && s.text(.port) == "465")
        #expect(Renderer.render(AppState(copy: s, height: 40)).text.contains("Port 465 answers"))

        // Nothing worked: the status line says why, never "Probe done".
        _ = s.update(.key(.function(7)))
        #expect(Renderer.render(s).text.contains("trying 587, 465, 25, 2525 at once"))
        _ = s.update(.autoProbed(lines: ["every port timed out"], verdict: .blocked))
        let status = Renderer.render(AppState(copy: s, height: 40)).text
        #expect(status.contains("Auto-detect: This network seems to block outbound SMTP") && !status.contains("Probe done"))
        #expect(s.text(.port) == "465", "the form is left as it was")
    }
}

extension AppState {
    /// The same state on a taller screen.
    init(copy: AppState, height: Int) {
        self = copy
        self.height = height
    }
}

@Suite struct ProfilesAndHistoryInTheUITests {
    @Test func loadSaveAndExportProfiles() {
        var s = AppState(width: 100, height: 30)
        #expect(s.update(.key(.function(8))) == [.loadProfiles])
        let work = Profile(name: "work", settings: ServerSettings(host: "smtp.work.example", port: 465, security: .tls, username: "me"),
                           passwordSource: .environment("WORK_PW"), from: "Me <me@work.example>")
        _ = s.update(.profilesLoaded([Profile(name: "home", settings: ServerSettings(host: "smtp.home.example")), work], problem: nil))
        let screen = Renderer.render(s).text
        #expect(screen.contains("▸ home  smtp.home.example:587 STARTTLS"))
        #expect(screen.contains("work  smtp.work.example:465 TLS as me"))
        _ = s.update(.key(.down))
        #expect(s.update(.key(.enter)).contains(.saveDraft))
        #expect(s.text(.host) == "smtp.work.example" && s.security == .tls && s.text(.port) == "465" && s.text(.user) == "me")
        #expect(s.text(.from) == "Me <me@work.example>" && s.profileName == "work")
        #expect(Renderer.render(s).text.contains("(from profile work)"))

        _ = s.update(.key(.function(8)))
        _ = s.update(.profilesLoaded([work], problem: nil))
        _ = s.update(.key(.character("s")))
        // The name is typed with the one line editor: Ctrl-U empties it, End and typing append.
        _ = s.update(.key(.control("u")))
        #expect(Renderer.render(s).text.contains("Save the form as: ▏"))
        for c in "work-copy" { _ = s.update(.key(.character(c))) }
        let effects = s.update(.key(.enter))
        guard case .saveProfile(let saved)? = effects.first else { Issue.record("no save"); return }
        #expect(saved.name == "work-copy" && saved.settings.host == "smtp.work.example")
        _ = s.update(.profileSaved(saved, problem: nil))
        #expect(Renderer.render(s).text.contains("Saved profile work-copy"))

        _ = s.update(.key(.character("e")))
        #expect(s.overlay == nil)
        let exported = Renderer.render(AppState(copy: s, height: 50)).text
        #expect(exported.contains("MAIL_USE_SSL = True"))
        #expect(exported.contains("MAIL_PASSWORD = os.environ.get('WORK_PW')"))
    }

    /// F8 lists the provider presets after the profiles; Enter loads one, with what to know.
    @Test func aProviderPresetFromF8() {
        var s = AppState(width: 100, height: 30)
        _ = s.update(.key(.function(8)))
        _ = s.update(.profilesLoaded([], problem: nil))
        #expect(Renderer.render(s).text.contains("Gmail / Google Workspace  smtp.gmail.com:587 STARTTLS"))
        let sendgrid = Provider.catalogue.firstIndex { $0.id == "sendgrid" }!
        for _ in 0...sendgrid { _ = s.update(.key(.down)) }
        // The window follows the selection down the list, even on a short screen.
        #expect(Renderer.render(AppState(copy: s, height: 24)).text.contains("▸ Mailgun (US)"))
        _ = s.update(.key(.up))
        #expect(s.update(.key(.enter)).contains(.saveDraft))
        #expect(s.text(.host) == "smtp.sendgrid.net" && s.text(.port) == "587" && s.security == .starttls && s.text(.user) == "apikey")
        let screen = Renderer.render(AppState(copy: s, height: 50)).text
        #expect(screen.contains("Provider preset loaded: SendGrid") && screen.contains("Sender Identity"))
        #expect(screen.contains("Loaded SendGrid: user `apikey`"))
        for _ in 0..<40 { _ = s.update(.key(.down)) }
        #expect(s.overlay == nil, "Enter closed the window")
        _ = s.update(.key(.function(8)))
        _ = s.update(.profilesLoaded([], problem: nil))
        for _ in 0..<40 { _ = s.update(.key(.down)) }
        guard case .profiles(let picker)? = s.overlay else { Issue.record("no F8 window"); return }
        #expect(picker.selected == Provider.catalogue.count - 1, "the selection stops at the last preset")
    }

    @Test func reopenAPastSend() {
        var s = AppState(width: 100, height: 30)
        #expect(s.update(.key(.function(9))) == [.loadHistory])
        let failure = SessionFailure(stage: .rcpt, kind: .recipientRejected, explanation: "The server refused x@y.", suggestions: ["Check the recipient addresses."])
        let report = SessionReport(failure: failure, finalReply: nil, acceptedRecipients: [], rejectedRecipients: [], greeting: nil, extensions: [],
                                   extensionsBeforeTLS: nil, tls: nil, authenticated: false, stageTimes: [], elapsed: .zero, messageBytes: 0,
                                   transcript: [TranscriptLine(elapsed: .milliseconds(3), speaker: .server, inTLS: false, stage: .rcpt, text: "550 5.1.1 no such user")])
        let entry = HistoryEntry(kind: .send, profile: nil, settings: ServerSettings(host: "old.example.com", security: .none),
                                 draft: MessageDraft(from: "a@example.com", to: "x@y", subject: "Old subject", textBody: "old body"),
                                 recipients: ["x@y"], report: report, time: 1_795_000_000)
        _ = s.update(.historyLoaded([entry]))
        #expect(Renderer.render(s).text.contains("send  old.example.com:25 none  \"Old subject\"  ✗ RCPT TO: recipient refused"))
        _ = s.update(.key(.enter))
        #expect(s.text(.host) == "old.example.com" && s.text(.subject) == "Old subject" && s.draft.textBody == "old body")
        let screen = Renderer.render(s).text
        #expect(screen.contains("<- 550 5.1.1 no such user"))
        #expect(screen.contains("Re-opened send"))
        #expect(screen.contains("Try: Check the recipient addresses."))

        // s in F9 writes the report to paste, next to where mailtui runs.
        _ = s.update(.key(.function(9)))
        _ = s.update(.historyLoaded([entry]))
        #expect(Renderer.render(s).text.contains("s Share report"), "the hint bar, from the history's key table")
        let effects = s.update(.key(.character("s")))
        guard case .writeExport(let path, let text)? = effects.first else { Issue.record("no report written: \(effects)"); return }
        #expect(path == "mailtui-report-\(entry.id).md")
        #expect(text.contains("## mailtui report: send failed at RCPT TO") && text.contains("550 5.1.1 no such user"))
        _ = s.update(.exportWritten(path: path, problem: nil))
        #expect(Renderer.render(s).text.contains("Wrote \(path): the report without the password"))
    }
}

/// An explicit PLAIN login without TLS to another machine: the status line says so after the send.
@Suite struct ClearTextLoginInTheUITests {
    @Test func theStatusLineWarns() {
        var s = AppState(width: 100, height: 30)
        s.fields[.host] = TextField("mail.example.com")
        s.security = .none
        s.authMechanism = .plain
        s.fields[.user] = TextField("me")
        s.fields[.password] = TextField("pw")
        s.fields[.from] = TextField("a@example.com")
        s.fields[.to] = TextField("b@example.com")
        _ = s.update(.key(.function(5)))
        let report = SessionReport(failure: nil, finalReply: ServerReply(code: 250, lines: ["OK"]), acceptedRecipients: ["b@example.com"], rejectedRecipients: [],
                                   greeting: nil, extensions: [], extensionsBeforeTLS: nil, tls: nil, authenticated: true, stageTimes: [], elapsed: .zero,
                                   messageBytes: 0, transcript: [])
        _ = s.update(.session(.finished(report)))
        #expect(Renderer.render(s).text.contains("Warning: --auth plain without TLS to mail.example.com"))
    }
}

/// Ctrl-G: the From address's domain checked, the report in the conversation pane.
@Suite struct CheckDomainInTheUITests {
    @Test func theFromDomainIsCheckedInTheBackground() {
        var s = AppState(width: 100, height: 40)
        s.fields[.host] = TextField("smtp.gmail.com")
        #expect(s.update(.key(.control("g"))).isEmpty, "no From, no check")
        #expect(s.fieldErrors[.from] != nil && s.focus == .from)
        s.fields[.from] = TextField("App <app@Example.ORG>")
        #expect(s.update(.key(.control("g"))) == [.checkDomain(domain: "Example.ORG", server: "smtp.gmail.com", provider: "gmail")])
        #expect(Renderer.render(s).text.contains("Checking Example.ORG: MX, SPF, DKIM, DMARC"))
        _ = s.update(.domainChecked(domain: "example.org", lines: ["Checking example.org", "", "SPF           PROBLEM", "  ✗ No SPF record"], problems: ["SPF"]))
        let screen = Renderer.render(s).text
        #expect(screen.contains("✗ No SPF record"))
        #expect(screen.contains("Domain check of example.org: problems in SPF"))
    }
}

/// The DKIM field: checked in update, kept in the draft, saved with a profile.
@Suite struct DKIMFieldInTheUITests {
    @Test func aBadSpecIsRefusedAndAGoodOneGoesWithTheSend() {
        var s = AppState(width: 100, height: 30)
        s.fields[.host] = TextField("mail.example.com")
        s.fields[.from] = TextField("a@example.com")
        s.fields[.to] = TextField("b@example.com")
        s.fields[.dkim] = TextField("only-one-word")
        #expect(s.update(.key(.function(5))).isEmpty)
        #expect(s.fieldErrors[.dkim]?.contains("SELECTOR KEYFILE") == true)
        s.fields[.dkim] = TextField("s1 /keys/dkim.pem d=example.com")
        guard case .send(let plan)? = s.update(.key(.function(5))).first else { Issue.record("no send"); return }
        #expect(plan.draft.dkim == "s1 /keys/dkim.pem d=example.com")
        #expect(Renderer.render(AppState(width: 120, height: 30)).text.contains("DKIM (unsigned) s1 key.pem"))
    }

    @Test func theSpecParses() throws {
        #expect(try DKIMSettings.parse("").get() == nil)
        #expect(try DKIMSettings.parse("  s1   ~/k.pem ").get() == DKIMSettings(selector: "s1", keyPath: "~/k.pem"))
        #expect(try DKIMSettings.parse("sel2024 k.pem d=mail.example.com").get()?.domain == "mail.example.com")
        for bad in ["s1", "s1 k.pem x=1", "bad_sel! k.pem", "s1 k.pem d=nodot", "a b c d"] {
            #expect((try? DKIMSettings.parse(bad).get()) == nil, "\(bad)")
        }
    }
}

@Suite struct AllowPartialInTheUITests {
    @Test func toggleReachesTheSendPlan() {
        var s = AppState(width: 80, height: 24)
        s.fields[.host] = TextField("mail.example.com")
        s.fields[.from] = TextField("a@example.com")
        s.fields[.to] = TextField("b@example.com")
        #expect(Renderer.render(s).text.contains("Deliver if some recipients are refused [ ]"))
        s.focus = .allowPartial
        _ = s.update(.key(.character(" ")))
        #expect(Renderer.render(s).text.contains("refused [x]"))
        guard case .send(let plan)? = s.update(.key(.function(5))).first else { Issue.record("no send"); return }
        #expect(plan.allowPartial)
    }
}
