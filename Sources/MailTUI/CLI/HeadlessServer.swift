import ArgumentParser
import MailCore
import MailServer
#if canImport(Glibc)
import Glibc
#endif

/// `serve` and `relay` with no screen: the server runs until SIGINT or SIGTERM, its events going
/// to `show`, and a failure to start is said in one line with the exit status.
enum HeadlessServer {
    /// `ports` names what it listens on, for the error; `announce` may publish the server (it
    /// returns the files to withdraw when it stops).
    static func run(_ configuration: ServerConfiguration, faults: [Fault], ports: String,
                    show: @escaping @Sendable (ServerEvent) -> Void, stopped: () -> Void,
                    announce: (CaptureServer) -> [String] = { _ in [] }) throws {
        // SIGINT and SIGTERM are taken by sigwait below: block them before the server's threads
        // start, so that they inherit the mask and the main thread alone receives them.
        var stopSignals = sigset_t()
        sigemptyset(&stopSignals)
        sigaddset(&stopSignals, SIGINT)
        sigaddset(&stopSignals, SIGTERM)
        pthread_sigmask(SIG_BLOCK, &stopSignals, nil)

        let server: CaptureServer
        do {
            server = try CaptureServer(configuration, faults: faults, onEvent: show)
        } catch let refusal as MessageStoreError {
            Console.err("error: the inbox is not used: \(refusal.reason)")
            throw ExitCode(ExitStatus.internalError.rawValue)
        } catch {
            Console.err("error: cannot listen on port \(ports): \(error)")
            throw ExitCode(ExitStatus.internalError.rawValue)
        }
        let announced = announce(server)
        var received: Int32 = 0
        sigwait(&stopSignals, &received)
        ServeRuntimeFile.withdraw(announced)
        server.stop()
        stopped()
    }
}
