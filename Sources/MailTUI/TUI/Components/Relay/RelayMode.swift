import MailCore

/// Relay mode (issue #24 in the compose screen): the local test server relays what an app sends
/// to the server in the form, live, instead of catching it. Relayed mail really goes out, so the
/// screen asks once before the first switch.
struct RelayMode: Equatable, Sendable {
    /// Where the local server relays to, and as whom ("smtp.gmail.com:587 as app@example.com"),
    /// while it does.
    var target: String?
    /// Set while the server is being switched.
    var switching = false
    /// The user said yes once: switching on again does not ask.
    var confirmed = false
}

/// The question before the first switch.
enum RelayKeys {
    enum ConfirmAction: Hashable, Sendable { case yes, no }

    static let confirm = KeyTable<ConfirmAction>("Relay for real? (asked once, before the first switch)", [
        KeyBinding(.yes, [.character("y"), .character("Y")], keyText: "y", hint: "Relay", help: "relay: the local server sends what the app gives it on to the server in the form"),
        KeyBinding(.no, [.character("n"), .character("N"), .escape], keyText: "n", hint: "Don't", help: "keep catching mail"),
    ])
}

extension AppState {
    /// `host:port as USER` of the form's server, as the question and the status line say it.
    var relayTargetWords: String {
        let s = settings
        let whom = s.wantsLogin ? (s.username ?? "") : "whoever the app logs in as"
        return "\(s.host):\(s.effectivePort) as \(whom)"
    }

    /// Ctrl-Y: relay to the form's server, or stop relaying.
    mutating func toggleRelay() -> [Effect] {
        if relay.switching { return [] }
        if relay.target != nil {
            relay.switching = true
            notice = "Stopping the relay…"
            return [.stopRelay]
        }
        guard localServerAllowed || localServer != nil else {
            notice = "No local server may run in this screen (--no-local-server, local_server = false): `mailtui relay` relays on its own"
            return []
        }
        let host = text(.host).trimmingSpaces
        guard !host.isEmpty, !targetsLocalServer else {
            fieldErrors[.host] = "give the real server to relay to (the local server cannot relay to itself)"
            focus = .host
            return []
        }
        if case .failure(let refusal) = checkedForm(sending: false) { refuse(refusal.problems); return [] }
        if relay.confirmed { return startRelay() }
        overlay = .confirmRelay("Relayed mail really goes out to \(relayTargetWords) — relay? y/n")
        return []
    }

    mutating func updateConfirmRelay(_ key: Key) -> [Effect] {
        switch RelayKeys.confirm.action(for: key) {
        case .yes?:
            overlay = nil
            relay.confirmed = true
            // The form is checked again: at a restart the question comes before any key.
            return toggleRelay()
        case .no?:
            overlay = nil
            notice = "Not relaying: the local server keeps catching mail"
            return []
        case nil:
            return []
        }
    }

    private mutating func startRelay() -> [Effect] {
        relay.switching = true
        notice = "Switching the local server to relay to \(relayTargetWords)…"
        let typed = text(.password)
        let plan = SendPlan(settings: settings, draft: MessageDraft(), password: usesOAuthAccount || typed.isEmpty ? nil : typed,
                            allowPartial: true, profileName: profileName)
        return [.startRelay(plan)]
    }

    /// A start after a screen that relayed (its draft says where): relayed mail really goes out,
    /// so nothing is relayed until the user says so again. The question comes first, naming
    /// where it relayed and where it would now.
    mutating func offerRelayAgain(lastTarget: String) {
        guard localServerAllowed else { return }
        relay.confirmed = false
        notice = "This screen relayed to \(lastTarget) when it closed; nothing is relayed until you say so"
        overlay = .confirmRelay("Relay mode was on. Relay again, for real, to \(relayTargetWords)? y/n")
    }

    /// The runtime switched the local server (to relaying, or back to catching), or could not.
    mutating func relaySwitched(address: String, relayingTo target: String?, problem: String?) -> [Effect] {
        relay.switching = false
        relay.target = target
        if !address.isEmpty { localServer = address }
        if let problem {
            notice = problem
        } else if let target {
            notice = "Relaying: what an app sends to \(address) goes on to \(target) for real (F2 shows each with its outcome; Ctrl-Y stops)"
        } else {
            notice = "Relay off: the local server on \(address) catches mail again"
        }
        // The draft says whether it relays, for the next start to ask.
        return [.adoptLocalServer, .saveDraft]
    }
}
