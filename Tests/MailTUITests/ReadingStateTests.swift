import Testing
@testable import MailTUI
@testable import MailCore
import MailServer

/// What the inbox keeps so that frames stay cheap and each message is read once: the decoded
/// Subjects, the read messages, and their DKIM verdicts as they come.
@Suite struct ReadingStateTests {
    @Test func theListKeepsSubjectsDecodedWhenTheyArrive() {
        let message = HostileInboxTests.message("1", subject: "=?utf-8?B?R3LDvMOfZQ==?=")
        var s = HostileInboxTests.inbox([message])
        #expect(s.inboxSubjects.byID == ["1": "Grüße"])
        // What the frame shows is what was decoded on arrival, not decoded again.
        s.inboxSubjects.byID["1"] = "kept on arrival"
        #expect(Renderer.render(s).text.contains("\"kept on arrival\""))
        _ = s.update(.key(.enter))
        #expect(Renderer.render(s).text.contains("\"kept on arrival\""), "the message view's title too")
        s.captured.removeAll { $0.id == "1" }
        #expect(s.inboxSubjects.byID.isEmpty, "a deleted message's Subject goes with it")
        s.captured = [HostileInboxTests.message("2", subject: String(repeating: "=?a?b?c", count: 10_000))]
        let shown = s.inboxSubjects.byID["2"] ?? ""
        #expect(shown.utf8.count <= InboxSubjects.decodedBytes + 3 && shown.hasSuffix("…"), "a long Subject is cut, and says so")
    }

    @Test func theDKIMVerdictArrivesAfterTheMessageAndIsKept() {
        let record = HostileInboxTests.message("7", subject: "Hello")
        var s = HostileInboxTests.inbox([record])
        _ = s.update(.key(.enter))
        _ = s.update(.capturedRead(id: "7", content: CapturedMessage(bytes: HostileInboxTests.raw, envelopeFrom: record.from), problem: nil))
        #expect(Renderer.render(s).text.contains("DKIM: checking…"))
        _ = s.update(.dkimChecked(id: "7", verdict: .pass(domain: "app.example", selector: "s1", algorithm: "rsa-sha256")))
        _ = s.update(.key(.character("3")))
        var screen = Renderer.render(s).text
        #expect(screen.contains("DKIM: pass (d=app.example, s=s1, rsa-sha256)") && !screen.contains("DKIM: checking"), "\(screen)")
        _ = s.update(.key(.escape))
        #expect(s.update(.key(.enter)) == [])
        _ = s.update(.key(.character("3")))
        screen = Renderer.render(s).text
        #expect(screen.contains("DKIM: pass (d=app.example") && !screen.contains("DKIM: checking"), "kept with the message: \(screen)")
        // A failure is one of the checks.
        _ = s.update(.key(.escape))
        let other = HostileInboxTests.message("8", subject: "Other")
        _ = s.update(.server(.message(other)))
        _ = s.update(.key(.enter))
        #expect(s.overlay.map { if case .message(let view) = $0 { view.record.id == "8" } else { false } } == true)
        _ = s.update(.capturedRead(id: "8", content: CapturedMessage(bytes: HostileInboxTests.raw, envelopeFrom: other.from), problem: nil))
        _ = s.update(.dkimChecked(id: "8", verdict: .temporaryError("the DNS server gave no DKIM key within 10 s")))
        _ = s.update(.key(.character("3")))
        #expect(Renderer.render(s).text.contains("DKIM: could not be checked now: the DNS server gave no DKIM key within 10 s"))
    }

    @Test func aFewReadMessagesAreKept() {
        var kept = ReadMessages()
        let content = CapturedMessage(bytes: HostileInboxTests.raw, envelopeFrom: nil)
        for index in 0..<(ReadMessages.kept + 3) {
            let starts = kept.startReading("\(index)")
            #expect(starts)
            kept.finished("\(index)", content)
        }
        #expect(kept.contents.count == ReadMessages.kept)
        #expect(kept[id: "0"] == nil && kept[id: "\(ReadMessages.kept + 2)"] != nil, "the least recently used goes")
        let forgotten = kept.startReading("0")
        #expect(forgotten, "a message forgotten is read again")
        let again = kept.startReading("0")
        #expect(!again, "and not twice at once")
        kept.finished("0", nil)
        let retried = kept.startReading("0")
        #expect(retried, "a read that failed can be tried again")
    }
}
