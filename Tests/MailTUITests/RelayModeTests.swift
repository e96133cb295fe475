import Testing
@testable import MailTUI
@testable import MailCore

/// Relay mode in the compose screen, without a terminal: Ctrl-Y asks once, then switches the
/// local server; the status line says where it relays; Ctrl-Y again stops it.
@Suite struct RelayModeTests {
    init() { TerminalLocale.adopt() }

    func screen(_ state: AppState) -> String { Renderer.render(state).text }

    func form() -> AppState {
        var s = AppState(width: 100, height: 30)
        s.localServerAllowed = true
        s.localServer = "127.0.0.1:2525"
        s.apply(settings: ServerSettings(host: "smtp.gmail.com", port: 587, security: .starttls, username: "app@example.com"))
        s.focus = .from
        return s
    }

    @Test func theFirstSwitchAsksOnceAndThenRelays() throws {
        var s = form()
        #expect(s.update(.key(.control("y"))).isEmpty)
        #expect(screen(s).contains("Relayed mail really goes out to smtp.gmail.com:587 as app@example.com — relay? y/n"))
        #expect(s.hintKeys.contains { $0.keys == "y" && $0.words == "Relay" })
        let effects = s.update(.key(.character("y")))
        let plan = try #require(effects.compactMap { if case .startRelay(let plan) = $0 { plan } else { nil } }.first)
        #expect(plan.settings.host == "smtp.gmail.com" && plan.settings.username == "app@example.com")
        #expect(s.overlay == nil)
        #expect(s.update(.relaySwitched(address: "127.0.0.1:2525", relayingTo: "smtp.gmail.com:587 as app@example.com", problem: nil)) == [.adoptLocalServer])
        s.notice = nil
        let status = screen(s).split(separator: "\n").first { $0.contains("Relaying") }.map(String.init) ?? ""
        #expect(status.contains("Relaying for real: 127.0.0.1:2525 → smtp.gmail.com:587 as app@example.com (^Y stops)"), "\(status)")
        // Off, and on again: no second question.
        #expect(s.update(.key(.control("y"))) == [.stopRelay])
        _ = s.update(.relaySwitched(address: "127.0.0.1:2525", relayingTo: nil, problem: nil))
        #expect(s.relay.target == nil && s.notice?.contains("catches mail again") == true)
        let again = s.update(.key(.control("y")))
        #expect(s.overlay == nil && again.contains { if case .startRelay = $0 { true } else { false } })
    }

    @Test func noKeepsCatchingAndNothingStarts() {
        var s = form()
        _ = s.update(.key(.control("y")))
        #expect(s.update(.key(.character("n"))).isEmpty)
        #expect(s.overlay == nil && s.relay.target == nil && !s.relay.confirmed)
        _ = s.update(.key(.control("y")))
        #expect(s.overlay != nil, "asked again: the user never said yes")
    }

    @Test func theLocalServerCannotRelayToItself() {
        var s = form()
        s.apply(settings: ServerSettings(host: "127.0.0.1", port: 2525))
        s.localServer = "127.0.0.1:2525"
        #expect(s.update(.key(.control("y"))).isEmpty)
        #expect(s.overlay == nil && s.fieldErrors[.host] != nil)
    }

    @Test func aFailedSwitchSaysWhy() {
        var s = form()
        s.relay.confirmed = true
        _ = s.update(.key(.control("y")))
        _ = s.update(.relaySwitched(address: "", relayingTo: nil, problem: "Not relaying: the password could not be had"))
        #expect(s.relay.target == nil && !s.relay.switching && s.notice == "Not relaying: the password could not be had")
        #expect(s.localServer == "127.0.0.1:2525")
    }

    @Test func theKeyIsInTheHelp() {
        #expect(HelpText.lines.contains { $0.contains("relay what my app sends to the server in the form") })
    }
}
