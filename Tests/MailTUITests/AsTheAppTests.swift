import Testing
@testable import MailTUI
@testable import MailCore

/// An imported config the app cannot send with (MAIL_USE_TLS and MAIL_USE_SSL both on): the
/// compose screen says so, and F5 fails as the app does until the user chooses the Security or
/// asked for the config as meant.
@Suite struct AsTheAppTests {
    /// The form as TUICommand leaves it after importing such a config: implicit TLS, as Flask-Mail reads it.
    func imported(port: Int, asIntended: Bool) -> AppState {
        var s = AppState(width: 120, height: 40, colors: false)
        let settings = ServerSettings(host: "smtp.example.com", port: port, security: .tls)
        s.apply(settings: settings)
        s.apply(draft: MessageDraft(from: "app@example.com", to: "b@example.com", subject: "s", textBody: "x"))
        var intended = settings
        intended.security = port == 587 ? .starttls : .tls
        s.importedBothTLSModes(intended: intended, asIntended: asIntended)
        return s
    }

    func screen(_ state: AppState) -> String { Renderer.render(state).text }

    func sentSecurity(_ effects: [Effect]) -> SecurityMode? {
        effects.lazy.compactMap { effect -> SecurityMode? in
            if case .send(let plan) = effect { return plan.settings.security }
            return nil
        }.first
    }

    @Test func f5FailsAsTheAppUntilTheUserChoosesTheSecurity() {
        var s = imported(port: 465, asIntended: false)
        #expect(screen(s).contains("The app will fail at STARTTLS after implicit TLS"), "the status line says it at once:\n\(screen(s))")
        #expect(s.appWillFailLines(asIntended: false).contains { $0.contains("MAIL_USE_TLS=False with MAIL_USE_SSL=True on port 465") })

        let effects = s.update(.key(.function(5)))
        #expect(sentSecurity(effects) == nil, "nothing is sent: \(effects)")
        guard case .failed(let failure, let elapsed) = s.phase else { Issue.record("not failed: \(s.phase)"); return }
        #expect(failure.stage == .tls && elapsed == nil)
        let failed = screen(s)
        #expect(failed.contains("Failed at TLS: STARTTLS not offered"), "\(failed)")
        #expect(failed.contains("✗ Failed at TLS: the app cannot send with this config"), "\(failed)")
        #expect(s.fullTextLines.joined(separator: "\n").contains("STARTTLS extension not supported by server"))
        #expect(s.fullTextLines.contains { $0.contains("MAIL_USE_TLS=False with MAIL_USE_SSL=True on port 465") })

        // Choosing TLS in the Security field (even the one it shows) is the user's choice: F5 sends with it.
        s.focus = .security
        _ = s.update(.key(.character("t")))
        #expect(s.security == .tls && s.appWillFail == nil)
        #expect(screen(s).contains("F5 now sends with TLS, as you chose"), "\(screen(s))")
        #expect(sentSecurity(s.update(.key(.function(5)))) == .tls)
    }

    @Test func asIntendedSendsTheWayThatWorks() {
        var s = imported(port: 587, asIntended: true)
        #expect(s.security == .starttls && s.text(.port) == "587" && s.appWillFail == nil)
        #expect(screen(s).contains("--as-intended: F5 sends with STARTTLS on port 587"), "\(screen(s))")
        #expect(s.appWillFailLines(asIntended: true).contains { $0.contains("--as-intended") })
        #expect(sentSecurity(s.update(.key(.function(5)))) == .starttls)
    }

    @Test func stoppingBeforeTLSOrOtherSettingsAreNotTheAppsFailure() {
        var early = imported(port: 465, asIntended: false)
        early.quitAfter = .ehlo
        #expect(sentSecurity(early.update(.key(.function(5)))) == .tls, "the app gets past EHLO too")

        var other = imported(port: 465, asIntended: false)
        _ = other.update(.localServerReady(address: "127.0.0.1:2525", port: 2525, caPath: "/tmp/ca.pem", earlier: [], problem: nil))
        #expect(other.appWillFail == nil)
        #expect(!screen(other).contains("as the app"))
    }
}
