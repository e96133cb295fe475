import MailCore

/// The form and the compose screen's local test server: whether the form points at it, which
/// decides the password (any works there) and what the draft remembers for the next start.
extension AppState {
    /// The password sent to the local test server when none is typed: it accepts any login.
    static let localServerPassword = "test"

    /// True when the form's server is the local test server this screen runs or found.
    var targetsLocalServer: Bool {
        guard serving == nil, let localServer else { return false }
        return text(.host).trimmingSpaces == "127.0.0.1" && localServer == "127.0.0.1:\(settings.effectivePort)"
    }

    /// True when the form's login goes to a local server that takes any password.
    var anyPasswordWorks: Bool { targetsLocalServer && localServerTakesAnyLogin && settings.wantsLogin }

    /// What an empty Password field says: where the password will come from.
    var passwordPlaceholder: String? {
        anyPasswordWorks ? "(any password works here)" : passwordHint
    }

    /// Points the form at the local test server (a restored draft that pointed at it: today it may
    /// listen on another port, or be a `mailtui serve` with its own CA).
    mutating func pointAtLocalServer(address: String, port: Int, caPath: String) {
        fields[.host] = TextField("127.0.0.1")
        fields[.port] = TextField(String(port))
        portEdited = port != security.defaultPort
        fields[.caFile] = TextField(caPath)
        localServer = address
    }

    /// The draft as it is saved: the form, whether it points at the local test server, and where
    /// that server relays to.
    func savedDraft(at time: Int) -> Draft {
        Draft(settings: settings, message: draft, savedAt: time, localServer: targetsLocalServer ? true : nil, relayedTo: relay.target)
    }
}
