import Dispatch
import MailCore
import MailServer
import Synchronization

/// Relay mode's effects: the local server restarted on its port with a `RelayGate` to the form's
/// server (as `mailtui relay` builds it), or plain again. The login is resolved and the server
/// started off the UI thread; the new server comes back through `serverHandoff`.
extension TerminalApp {
    func performRelay(_ effect: Effect) {
        let inbox = self.inbox
        let handoff = serverHandoff
        let old = localServer
        let port = old?.server != nil ? old?.port ?? LocalServer.preferredPort : LocalServer.preferredPort
        switch effect {
        case .startRelay(let plan):
            var passwords = self.passwords
            passwords.typed = plan.password
            passwords.profileName = plan.profileName
            let lookup = passwords
            DispatchQueue.global(qos: .userInitiated).async {
                var settings = plan.settings
                let secret: Secret?
                switch Self.relaySecret(&settings, lookup: lookup) {
                case .success(let found): secret = found
                case .failure(let refusal):
                    inbox.post(.relaySwitched(address: "", relayingTo: nil, problem: "Not relaying: \(refusal.reason)"))
                    return
                }
                let upstream = RelayUpstream(settings: settings, secret: secret)
                old?.stop()
                let (started, note) = LocalServer.start(port: port, gate: RelayGate(upstream))
                guard let started else {
                    let (plain, _) = LocalServer.start(port: port)
                    handoff.slot.withLock { $0 = plain }
                    inbox.post(.relaySwitched(address: plain?.address ?? "", relayingTo: nil, problem: "Not relaying: \(note ?? "the server could not start")"))
                    return
                }
                handoff.slot.withLock { $0 = started }
                let whom = upstream.passThrough ? "whoever the app logs in as" : settings.username ?? ""
                inbox.post(.relaySwitched(address: started.address, relayingTo: "\(upstream.server) as \(whom)", problem: nil))
            }
        case .stopRelay:
            DispatchQueue.global(qos: .userInitiated).async {
                old?.stop()
                let (plain, note) = LocalServer.start(port: port)
                handoff.slot.withLock { $0 = plain }
                inbox.post(.relaySwitched(address: plain?.address ?? "", relayingTo: nil,
                                          problem: plain == nil ? "The local test server could not start again: \(note ?? "unknown reason")" : nil))
            }
        case .adoptLocalServer:
            guard let switched = serverHandoff.slot.withLock({ server in defer { server = nil }; return server }) else { break }
            switched.deliver(to: inbox)
            localServer = switched
        default:
            break
        }
    }

    /// mailtui's own upstream login for the relay: the OAuth account's token (refreshed), or the
    /// password the send would use. No user in the form: pass-through (the app's AUTH is replayed).
    static func relaySecret(_ settings: inout ServerSettings, lookup: PasswordLookup) -> Result<Secret?, LoginRefusal> {
        if settings.oauthAccount != nil {
            return token(for: &settings).map { Secret.bearerToken($0) }
        }
        guard settings.wantsLogin else { return .success(nil) }
        switch lookup.resolve() {
        case .success(let password?): return .success(Secret(password))
        case .success(nil): return .failure(LoginRefusal("the form has a User but no password for \(settings.host): type it into Password (or clear User to replay the app's own login)"))
        case .failure(let error): return .failure(LoginRefusal("the password could not be had: \(error)"))
        }
    }
}

/// A local server started on a background thread, waiting for the UI thread to take it.
final class ServerHandoff: Sendable {
    let slot = Mutex<LocalServer?>(nil)
}
