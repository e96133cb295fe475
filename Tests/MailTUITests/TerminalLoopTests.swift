import Foundation
import Synchronization
import Testing
@testable import MailTUI
@testable import MailCore

/// TerminalApp's loop, run whole against a terminal in memory (`MemoryTerminal`), a sender that
/// sends nothing and a store in memory: keys in, effects carried out, events back, frames drawn.
@Suite struct TerminalLoopTests {
    static func ready() -> AppState {
        var s = AppState(width: 100, height: 30, colors: false)
        s.fields[.host] = TextField("smtp.example.com")
        s.fields[.from] = TextField("a@example.com")
        s.fields[.to] = TextField("b@example.com")
        s.fields[.subject] = TextField("Hello")
        return s
    }

    static func app(_ state: AppState, _ terminal: MemoryTerminal, sender: RecordingSender? = nil, store: MemoryStore = MemoryStore()) -> TerminalApp {
        let sender = sender ?? RecordingSender(report: GoldenScreenTests.report(nil))
        return TerminalApp(state: state, draftStore: nil, passwords: PasswordLookup(), terminal: terminal, sender: { sender }, store: store,
                           handlesSignals: false)
    }

    @Test func typedKeysReachTheFormAndF10EndsTheLoop() {
        let terminal = MemoryTerminal(steps: [
            .init(waitFor: "Ready", keys: "mx.example.org".map { .character($0) }),
            .init(waitFor: "mx.example.org", keys: [.function(10)]),
        ])
        let app = Self.app(AppState(width: 100, height: 30, colors: false), terminal)
        #expect(app.run() == 0)
        #expect(terminal.failures.isEmpty, "\(terminal.failures)")
        #expect(app.state.text(.host) == "mx.example.org")
        #expect(terminal.screen.contains("Host mx.example.org"), "\(terminal.screen)")
        #expect(terminal.frames.first?.width == 100 && terminal.frames.first?.height == 30, "drawn at the backend's size")
    }

    @Test func aSendGoesThroughTheSenderAndItsEndIsShownAndRecorded() throws {
        let sender = RecordingSender(report: GoldenScreenTests.report(nil))
        let store = MemoryStore()
        let terminal = MemoryTerminal(steps: [
            .init(waitFor: "Ready", keys: [.function(5)]),
            .init(waitFor: "✓ Sent: 250 2.0.0 Ok: queued as 4F2A1", keys: [.function(10)]),
        ])
        let app = Self.app(Self.ready(), terminal, sender: sender, store: store)
        #expect(app.run() == 0)
        #expect(terminal.failures.isEmpty, "\(terminal.failures)")
        let request = try #require(sender.requests.withLock { $0.first })
        #expect(request.settings.host == "smtp.example.com")
        #expect(terminal.screen.contains("AUTH PLAIN [credentials hidden]"), "the conversation came through the inbox:\n\(terminal.screen)")
        // The history is written on the I/O queue, which the loop waits for on the way out.
        let recorded = store.history.withLock { $0 }
        #expect(recorded.count == 1 && recorded.first?.kind == .send, "\(recorded)")
    }

    @Test func f8ReadsTheProfilesFromTheStoreAndEnterLoadsOne() {
        let store = MemoryStore(profiles: [Profile(name: "work", settings: ServerSettings(host: "smtp.work.example", port: 465, security: .tls))])
        let terminal = MemoryTerminal(steps: [
            .init(waitFor: "Ready", keys: [.function(8)]),
            .init(waitFor: "work  smtp.work.example:465", keys: [.enter]),
            .init(waitFor: "Loaded profile work", keys: [.function(10)]),
        ])
        let app = Self.app(AppState(width: 100, height: 30, colors: false), terminal, store: store)
        #expect(app.run() == 0)
        #expect(terminal.failures.isEmpty, "\(terminal.failures)")
        #expect(app.state.text(.host) == "smtp.work.example" && app.state.security == .tls)
    }

    @Test func quittingDuringASendAsksFirst() {
        // A sender that never finishes: the send runs until the screen quits.
        final class Hanging: MailSender {
            let cancelled = Mutex(false)
            func send(_ request: SessionRequest, onEvent: @escaping @Sendable (SessionEvent) -> Void) {
                onEvent(.stage(.ehlo))
                while !cancelled.withLock({ $0 }) { usleep(1000) }
                onEvent(.finished(GoldenScreenTests.report(SessionFailure(stage: .ehlo, kind: .cancelled, reply: nil, explanation: "Cancelled.", suggestions: []))))
            }
            func cancel() { cancelled.withLock { $0 = true } }
        }
        let hanging = Hanging()
        let terminal = MemoryTerminal(steps: [
            .init(waitFor: "Ready", keys: [.function(5)]),
            .init(waitFor: "Sending: EHLO", keys: [.function(10)]),
            .init(waitFor: "Quit mailtui?", keys: [.character("y")]),
        ])
        let app = TerminalApp(state: Self.ready(), draftStore: nil, passwords: PasswordLookup(), terminal: terminal, sender: { hanging },
                              store: MemoryStore(), handlesSignals: false)
        #expect(app.run() == 0)
        #expect(terminal.failures.isEmpty, "\(terminal.failures)")
        #expect(hanging.cancelled.withLock { $0 }, "quitting cancels the send")
    }
}
