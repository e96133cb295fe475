import Dispatch
import MailCore
#if canImport(Glibc)
import Glibc
#endif

/// The command line's way to run one SMTP session on this thread: Ctrl-C cancels it at once (the
/// session ends at its stage with a report) instead of killing the process mid-conversation.
enum InterruptibleSession {
    static func run(_ request: SessionRequest, onEvent: @escaping (SessionEvent) -> Void) -> SessionReport {
        let session = SMTPSession()
        signal(SIGINT, SIG_IGN)
        let interrupt = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        interrupt.setEventHandler { session.cancel() }
        interrupt.resume()
        defer { interrupt.cancel() }
        return session.run(request, onEvent: onEvent)
    }
}
