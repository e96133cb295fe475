import Testing
@testable import MailTUI
@testable import MailCore
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
        #expect(effects == [.recordHistory(kind: "send", plan: plan, report: Self.report)])
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
        _ = s.update(.historyLoaded([HistoryEntry(kind: "send", profile: nil, settings: ServerSettings(host: "h"), draft: draft, recipients: [], report: Self.report)]))
        let effects = s.update(.key(.enter))
        #expect(effects.contains(.checkAttachments([AttachmentSpec(path: "/tmp/report.pdf")])))
    }

    @Test func escCancelsAutoDetect() {
        var s = ready()
        #expect(s.update(.key(.function(7))) == [.autoProbe(s.settings)])
        #expect(s.update(.key(.escape)) == [.cancelSend])
        _ = s.update(.autoProbed(lines: ["Auto-detect cancelled."], port: nil, security: nil))
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
        #expect(s.update(.key(.enter)) == [.openCaptured(s.captured[0])])
        _ = s.update(.key(.function(2)))
        #expect(s.update(.key(.character("d"))) == [.deleteCaptured(["2"])])
        _ = s.update(.capturedDeleted(["2"]))
        #expect(s.captured.map(\.id) == ["1"])
        #expect(s.update(.key(.character("D"))).isEmpty, "the first D only asks")
        #expect(Renderer.render(s).text.contains("Press D again to delete all 1 messages"))
        #expect(s.update(.key(.character("D"))) == [.deleteAllCaptured])
    }
}
