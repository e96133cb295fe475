import Dispatch
import Synchronization

/// A TLS handshake on a second connection, started once in the background while the session
/// waits for a greeting; `found` turns true when it succeeds.
final class ImplicitTLSLook: Sendable {
    /// How long to wait for a greeting before looking.
    static let after: Duration = .seconds(2)
    private let state = Mutex<(started: Bool, found: Bool)>((false, false))

    var found: Bool { state.withLock { $0.found } }

    func start(_ settings: ServerSettings) {
        let first = state.withLock { state -> Bool in
            defer { state.started = true }
            return !state.started
        }
        guard first else { return }
        DispatchQueue.global(qos: .userInitiated).async {
            let speaksTLS = SecondLook.certificate(settings, security: .tls) != nil
            self.state.withLock { $0.found = speaksTLS }
        }
    }
}
