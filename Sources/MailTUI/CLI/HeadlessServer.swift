import ArgumentParser
import MailCore
import MailServer
#if canImport(Glibc)
import Glibc
#endif

/// `serve` and `relay` with no screen: stop signals blocked before any thread starts, the server
/// started (a failure said in one line, with the exit status), then a wait for SIGINT or SIGTERM.
enum HeadlessServer {
    /// SIGINT and SIGTERM are taken by `waitForStop`: block them before the server's threads (and
    /// the API's) start, so that they inherit the mask and the main thread alone receives them.
    static func blockStopSignals() -> sigset_t {
        var stopSignals = sigset_t()
        sigemptyset(&stopSignals)
        sigaddset(&stopSignals, SIGINT)
        sigaddset(&stopSignals, SIGTERM)
        pthread_sigmask(SIG_BLOCK, &stopSignals, nil)
        return stopSignals
    }

    /// The server, its events going to `show`; `ports` names what it listens on, for the error.
    static func start(_ configuration: ServerConfiguration, faults: [Fault], ports: String,
                      show: @escaping @Sendable (ServerEvent) -> Void) throws -> CaptureServer {
        do {
            return try CaptureServer(configuration, faults: faults, onEvent: show)
        } catch let refusal as MessageStoreError {
            Console.err("error: the inbox is not used: \(refusal.reason)")
            throw ExitCode(ExitStatus.internalError.rawValue)
        } catch {
            Console.err("error: cannot listen on port \(ports): \(error)")
            throw ExitCode(ExitStatus.internalError.rawValue)
        }
    }

    static func waitForStop(_ stopSignals: sigset_t) {
        var signals = stopSignals
        var received: Int32 = 0
        sigwait(&signals, &received)
    }
}
