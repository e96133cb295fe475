import Testing
@testable import MailTUI
@testable import MailCore
import MailServer

/// The inbox and the message view facing hostile mail: no frame waits for a decoder, a message is
/// read once however often it is opened, and it is shown before its DKIM verdict is known.
@Suite struct HostileInboxTests {
    static func message(_ id: String, subject: String) -> StoredMessage {
        InboxInTheUITests.message(id, subject: subject)
    }

    static func inbox(_ messages: [StoredMessage]) -> AppState {
        var s = AppState(width: 120, height: 40, colors: false)
        s.localServer = "127.0.0.1:2525"
        for message in messages { _ = s.update(.server(.message(message))) }
        _ = s.update(.key(.function(2)))
        return s
    }

    /// A 32 KB Subject of "=?a?b?c" (BDAT has no line limit) made every frame decode it again,
    /// quadratically: the screen froze.
    @Test func framesDoNotDecodeHostileSubjects() {
        let hostile = String(repeating: "=?a?b?c", count: 32_000 / 7)
        let s = Self.inbox([Self.message("1", subject: hostile), Self.message("2", subject: "=?utf-8?B?R3LDvMOfZQ==?= " + hostile)])
        let clock = ContinuousClock()
        for frame in 0..<3 {
            let started = clock.now
            let screen = Renderer.render(s).text
            let elapsed = clock.now - started
            #expect(elapsed < .seconds(2), "frame \(frame) took \(elapsed)")
            #expect(screen.contains("\"Grüße") && screen.contains("=?a?b?c=?a?b?c"), "\(screen)")
            guard elapsed < .seconds(2) else { return }
        }
    }

    static let raw = Array("""
    From: App <noreply@app.example>\r
    To: b@example.com\r
    Subject: Hello\r
    \r
    The body.\r

    """.utf8)

    /// Opening a message reads it (MIME, HTML, checks) off the UI thread; opening it again, or
    /// while that read runs, must not read it again.
    @Test func aMessageIsReadOnceHoweverOftenItIsOpened() {
        let record = Self.message("7", subject: "Hello")
        var s = Self.inbox([record])
        #expect(s.update(.key(.enter)) == [.readCaptured(record)])
        _ = s.update(.key(.escape))
        #expect(s.update(.key(.enter)) == [], "a read is under way: no second one")
        #expect(Renderer.render(s).text.contains("Reading the message…"))
        _ = s.update(.key(.escape))
        _ = s.update(.capturedRead(id: "7", content: CapturedMessage(bytes: Self.raw, envelopeFrom: record.from), problem: nil))
        #expect(s.update(.key(.enter)) == [], "read already: shown from what was read")
        let screen = Renderer.render(s).text
        #expect(screen.contains("The body.") && !screen.contains("Reading the message…"), "\(screen)")
    }

    /// DKIM asks DNS, which may be slow or silent: the message is shown while that runs.
    @Test func theMessageIsShownWhileDKIMIsChecked() {
        let record = Self.message("7", subject: "Hello")
        var s = Self.inbox([record])
        _ = s.update(.key(.enter))
        _ = s.update(.capturedRead(id: "7", content: CapturedMessage(bytes: Self.raw, envelopeFrom: record.from), problem: nil))
        var screen = Renderer.render(s).text
        #expect(screen.contains("The body."), "\(screen)")
        #expect(screen.contains("DKIM: checking…"), "\(screen)")
        _ = s.update(.key(.character("3")))
        screen = Renderer.render(s).text
        #expect(screen.contains("DKIM: checking… (the key is being fetched from DNS)") && screen.contains("Subject: Hello"), "\(screen)")
    }
}
