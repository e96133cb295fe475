import MailCore

/// Where the compose screen's password comes from when a send or probe starts. Resolved on the
/// send's background thread, never on the UI thread: a password command may take its time (up to
/// its limit), and the screen keeps drawing and taking keys meanwhile.
struct PasswordLookup: Sendable {
    /// What is typed in the Password field.
    var typed: String?
    /// The profile the form was loaded from: its stored password or source comes next.
    var profileName: String?
    /// A password known at start (MAIL_PASSWORD, an imported .env, a prompt answered at start).
    var known: String?
    /// A command given at start (`--password-cmd`), run when the password is needed.
    var command: PasswordSource?

    /// The password; nil when none is to be had; a reason when a source failed.
    func resolve() -> Result<String?, PasswordError> {
        if let typed, !typed.isEmpty { return .success(typed) }
        if let profileName, let profile = try? Configuration.load().profile(named: profileName) {
            if let stored = profile.storedPassword { return .success(stored.value) }
            switch profile.passwordSource {
            case .environment?, .command?:
                do { return .success(try profile.passwordSource?.resolve().value) } catch { return .failure(error) }
            case let interactive?:
                // A prompt or standard input: nothing can be asked over the compose screen, so the
                // field, or what was known at start.
                if let known { return .success(known) }
                return .failure(PasswordError(source: interactive.description,
                                              reason: "profile \(profileName) asks for the password; type it into the Password field"))
            case nil:
                break
            }
        }
        if let known { return .success(known) }
        if let command {
            do { return .success(try command.resolve().value) } catch { return .failure(error) }
        }
        return .success(nil)
    }
}
