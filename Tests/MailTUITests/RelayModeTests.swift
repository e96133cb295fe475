import Foundation
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
        #expect(s.update(.relaySwitched(address: "127.0.0.1:2525", relayingTo: "smtp.gmail.com:587 as app@example.com", problem: nil)) == [.adoptLocalServer, .saveDraft])
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

    /// The form's screen with the local server relaying to smtp.gmail.com.
    func relaying() -> AppState {
        var s = form()
        s.relay.confirmed = true
        _ = s.update(.key(.control("y")))
        _ = s.update(.relaySwitched(address: "127.0.0.1:2525", relayingTo: "smtp.gmail.com:587 as app@example.com", problem: nil))
        return s
    }

    @Test func relayModeStaysOnThroughTheScreensOfARun() {
        var s = relaying()
        // The inbox and back, another server loaded into the form, F8's local-server entry: the
        // server still relays where it was switched to, and the screen says so.
        _ = s.update(.key(.function(2)))
        #expect(s.overlay == .inbox(selected: 0))
        _ = s.update(.key(.escape))
        #expect(s.overlay == nil)
        s.apply(settings: ServerSettings(host: "smtp.other.test", port: 587, security: .starttls, username: "b@other.test"))
        _ = s.update(.localServerReady(address: "127.0.0.1:2525", port: 2525, caPath: "/ca.pem", earlier: [], problem: nil))
        #expect(s.relay.target == "smtp.gmail.com:587 as app@example.com")
        #expect(s.notice == "Local server on 127.0.0.1:2525: it relays for real to smtp.gmail.com:587 as app@example.com (F2 shows each with its outcome; Ctrl-Y stops)",
                "never `mail sent here stays on this machine` while it relays")
        s.notice = nil
        let status = screen(s).split(separator: "\n").first { $0.contains("Relaying") }.map(String.init) ?? ""
        #expect(status.contains("Relaying for real: 127.0.0.1:2525 → smtp.gmail.com:587 as app@example.com (^Y stops)"), "\(status)")
    }

    /// Relayed mail really goes out: a restart remembers relay mode, and asks before relaying again.
    @Test func aRestartAsksBeforeRelayingAgain() throws {
        let saved = relaying().savedDraft(at: 1)
        #expect(saved.relayedTo == "smtp.gmail.com:587 as app@example.com")
        let restored = try JSONDecoder().decode(Draft.self, from: JSONEncoder().encode(saved))
        var next = AppState(width: 120, height: 30)
        next.localServerAllowed = true
        next.apply(settings: restored.settings)
        next.offerRelayAgain(lastTarget: try #require(restored.relayedTo))
        #expect(screen(next).contains("Relay mode was on. Relay again, for real, to smtp.gmail.com:587 as app@example.com? y/n"))
        #expect(next.notice == "This screen relayed to smtp.gmail.com:587 as app@example.com when it closed; nothing is relayed until you say so")
        #expect(next.relay.target == nil && !next.relay.confirmed, "nothing relays until the user says so")

        var no = next
        #expect(no.update(.key(.character("n"))).isEmpty)
        #expect(no.overlay == nil && no.savedDraft(at: 2).relayedTo == nil, "no: it catches, and the next start does not ask")

        let yes = next.update(.key(.character("y")))
        #expect(yes.contains { if case .startRelay(let plan) = $0 { plan.settings.host == "smtp.gmail.com" } else { false } })
        #expect(next.relay.switching)
    }

    @Test func theKeyIsInTheHelp() {
        #expect(HelpText.lines.contains { $0.contains("relay what my app sends to the server in the form") })
    }
}
