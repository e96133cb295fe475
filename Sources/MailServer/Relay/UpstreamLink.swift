import Dispatch
import Foundation
import MailCore
import Synchronization

/// What the upstream said once it was connected, secured and (when asked) logged in.
struct UpstreamOpened: Sendable {
    /// The login's 235, or EHLO's reply without a login.
    var reply: ServerReply?
    /// The upstream's SIZE limit, when it names one.
    var sizeLimit: Int?
    /// EHLO keywords, for the parameters that may be forwarded.
    var extensions: [String]
}

/// Why the upstream cannot be (or no longer is) spoken to, with `send`'s diagnosis.
struct UpstreamEnd: Sendable, Error {
    /// nil when the connection ended without failing (idle, or closed by the app's leaving).
    var failure: SessionFailure?
    /// In a few words, when the connection itself failed: `no reply within the time limit`.
    var words: String?
}

/// One upstream connection, on a thread of its own: the engine is blocking (libcurl), and must
/// never run on the server's event loop. Work for it is queued and done in order; each piece
/// answers through its own callback, on this thread.
///
/// It opens when created, and ends when closed, when the connection fails, or after
/// `idleLimit` without work (the next transaction then opens another).
final class UpstreamLink: ConversationDriver, Sendable {
    typealias Work = @Sendable (Conversation) -> Void
    typealias Refusal = @Sendable (UpstreamEnd) -> Void

    private enum Phase { case opening, open, ended(UpstreamEnd) }
    private struct State {
        var phase = Phase.opening
        var queue: [(work: Work, refused: Refusal)] = []
        var closing = false
        var busy = false
    }

    /// How long an open connection waits for the app's next command before it says QUIT.
    static let idleLimit: Duration = .seconds(120)

    private let state = Mutex(State())
    private let wake = DispatchSemaphore(value: 0)
    private let session = SMTPSession()
    private let opened: @Sendable (Result<UpstreamOpened, UpstreamEnd>) -> Void

    /// Starts the connection; `opened` hears once how it went, `line` each transcript line.
    init(_ upstream: RelayUpstream, login: ClientLogin?, sessionSeconds: Double,
         opened: @escaping @Sendable (Result<UpstreamOpened, UpstreamEnd>) -> Void,
         line: @escaping @Sendable (TranscriptLine) -> Void) {
        self.opened = opened
        let request = upstream.request(login: login, sessionSeconds: sessionSeconds, driver: self)
        Thread.detachNewThread { [self] in
            let report = session.run(request) { event in
                if case .line(let transcriptLine) = event { line(transcriptLine) }
            }
            finish(report)
        }
    }

    /// Whether work may still be queued (it has not ended or been closed).
    var isLive: Bool {
        state.withLock { state in
            if state.closing { return false }
            if case .ended = state.phase { return false }
            return true
        }
    }

    /// Queues work; `refused` is told instead when the link has ended or ends before it.
    func perform(_ work: @escaping Work, refused: @escaping Refusal) {
        let end = state.withLock { state -> UpstreamEnd? in
            if case .ended(let end) = state.phase { return end }
            state.queue.append((work, refused))
            return nil
        }
        if let end { refused(end) } else { wake.signal() }
    }

    /// Ends the connection: with QUIT when it is idle, at once when it waits for the upstream.
    func close() {
        let busy = state.withLock { state -> Bool in
            state.closing = true
            if case .opening = state.phase { return true }
            return state.busy
        }
        if busy { session.cancel() }
        wake.signal()
    }

    // MARK: On the link's thread

    func converse(_ conversation: Conversation) {
        opened(.success(UpstreamOpened(reply: conversation.lastReply, sizeLimit: conversation.sizeLimit, extensions: conversation.extensions)))
        state.withLock { $0.phase = .open }
        while true {
            let waited = wake.wait(timeout: .now() + .milliseconds(Int(Self.idleLimit.components.seconds) * 1000))
            let next = state.withLock { state -> Work? in
                if state.closing || state.queue.isEmpty { return nil }
                state.busy = true
                return state.queue.removeFirst().work
            }
            guard let next else {
                if waited == .timedOut { conversation.note("no command from the app for \(Self.idleLimit.components.seconds) s: closing this connection") }
                let closing = state.withLock { $0.closing }
                if closing || waited == .timedOut { return }
                continue
            }
            next(conversation)
            state.withLock { $0.busy = false }
            if conversation.broken != nil { return }
        }
    }

    private func finish(_ report: SessionReport) {
        let end = UpstreamEnd(failure: report.failure, words: report.failure == nil ? "the connection to the upstream ended" : nil)
        let (wasOpening, pending) = state.withLock { state -> (Bool, [Refusal]) in
            var wasOpening = false
            if case .opening = state.phase { wasOpening = true }
            state.phase = .ended(end)
            defer { state.queue.removeAll() }
            return (wasOpening, state.queue.map(\.refused))
        }
        if wasOpening { opened(.failure(end)) }
        for refused in pending { refused(end) }
    }
}
