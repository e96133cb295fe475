import Foundation
import Synchronization
@testable import MailTUI
import MailCore
#if canImport(Glibc)
import Glibc
#endif

/// A terminal in memory, as ratatui's TestBackend: it keeps every frame the loop draws and types a
/// script of keys, each step once the screen shows what it waits for. When a wait passes its
/// deadline it records why and quits the screen (F10, then y), so a test never hangs.
final class MemoryTerminal: TerminalBackend {
    struct Step {
        var waitFor: String?
        var keys: [Key]
    }

    let size: (width: Int, height: Int)
    private(set) var colorsAvailable = false
    private(set) var frames: [ScreenBuffer] = []
    private(set) var failures: [String] = []
    private var steps: [Step]
    private let deadline: ContinuousClock.Instant
    private let wake: PipeEnds

    init(width: Int = 100, height: Int = 30, steps: [Step], seconds: Int = 30) {
        size = (width, height)
        self.steps = steps
        deadline = ContinuousClock.now + .seconds(seconds)
        wake = PipeEnds(nonBlocking: true)!
        poke()
    }

    deinit {
        close(wake.read)
        close(wake.write)
    }

    var inputDescriptor: Int32 { wake.read }
    var screen: String { frames.last?.text ?? "" }

    func start(wantColors: Bool) { colorsAvailable = wantColors }
    func stop() {}
    func syncSize() -> Bool { false }
    func suspend() {}
    func resume() {}
    func invalidate() {}

    func draw(_ screen: ScreenBuffer) {
        frames.append(screen)
        // A new frame may be what the next step waits for.
        poke()
    }

    func readInput() -> [TerminalInput] {
        var sink = [UInt8](repeating: 0, count: 64)
        while read(wake.read, &sink, sink.count) > 0 {}
        guard let step = steps.first else { return [] }
        if let wanted = step.waitFor, !screen.contains(wanted) {
            guard ContinuousClock.now > deadline else { return [] }
            failures.append("no \"\(wanted)\" on the screen before the deadline:\n\(screen)")
            steps = []
            return [.key(.function(10)), .key(.character("y"))]
        }
        steps.removeFirst()
        poke()
        return step.keys.map(TerminalInput.key)
    }

    private func poke() {
        var byte: UInt8 = 1
        _ = write(wake.write, &byte, 1)
    }
}

/// A sender that sends nothing: it keeps the request and answers with a fixed conversation.
final class RecordingSender: MailSender {
    let requests = Mutex<[SessionRequest]>([])
    let cancelled = Mutex(false)
    let report: SessionReport

    init(report: SessionReport) { self.report = report }

    func send(_ request: SessionRequest, onEvent: @escaping @Sendable (SessionEvent) -> Void) {
        requests.withLock { $0.append(request) }
        onEvent(.stage(.connect))
        for line in report.transcript { onEvent(.line(line)) }
        onEvent(.finished(report))
    }

    func cancel() { cancelled.withLock { $0 = true } }
}

/// Profiles and history in memory.
final class MemoryStore: ScreenStore {
    let profiles: [Profile]
    let history = Mutex<[HistoryEntry]>([])
    let messages: [String: [UInt8]]

    init(profiles: [Profile] = [], messages: [String: [UInt8]] = [:]) {
        self.profiles = profiles
        self.messages = messages
    }

    func loadProfiles() -> (profiles: [Profile], problem: String?) { (profiles, nil) }
    func historyEntries() -> [HistoryEntry] { history.withLock { $0 } }
    func appendHistory(_ entry: HistoryEntry) { history.withLock { $0.append(entry) } }
    func messageBytes(at path: String) -> [UInt8]? { messages[path] }
}
