import Dispatch
import MailCore
import MailServer
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The compose screen's run loop: reads keys and background events, feeds them to
/// `AppState.update`, carries out the effects (TerminalApp+Effects.swift), and draws
/// `Renderer.render(state)`. The terminal, the sender and the store are behind protocols
/// (TerminalBackend.swift), so that tests run this loop against a terminal in memory.
final class TerminalApp {
    private(set) var state: AppState
    let terminal: TerminalBackend
    let inbox = EventInbox()
    /// Where the form's draft goes; nil for `mailtui serve`'s screen, which has no form.
    let draftStore: DraftStore?
    /// Makes the sender of each send or probe.
    let makeSender: @Sendable () -> MailSender
    /// The profiles, the history and the caught messages' files.
    let store: ScreenStore
    /// Whether the loop takes SIGTERM, SIGHUP and SIGINT (not in tests, which share the process).
    private let handlesSignals: Bool
    var session: MailSender?
    /// The running auto-detection, for Esc.
    var autoProbe: AutoProbe.Group?
    /// The OAuth sign-in under way, for Esc.
    var signInCancel: SignInCancel?
    /// The local server a relay switch started off the UI thread, until `.adoptLocalServer` takes it.
    let serverHandoff = ServerHandoff()
    /// Every effect that touches a file (the draft, the history, the config, an export, a path's
    /// directory) runs here, in order, off the UI thread; each comes back as one event.
    let io = DispatchQueue(label: "mailtui.io")
    /// Where the password comes from when the field is empty.
    let passwords: PasswordLookup
    let clock = ContinuousClock()
    /// When the draft must be written (changes are saved at most a quarter second late).
    var draftDue: ContinuousClock.Instant?
    var running = true

    /// The local test server this screen runs, if it runs one; stopped on the way out.
    var localServer: LocalServer?
    /// The faults our own server had in force when the send or probe under way started, if it goes there.
    var faultsInForce: [String]?

    /// The DNS that DKIM verification of caught mail and the domain check ask (`--dns-server`).
    var dns = SystemResolver()
    /// The spamd the Checks tab of a caught message asks (config.toml's `spamd`); nil: none.
    var spamd: String?

    init(state: AppState, draftStore: DraftStore?, passwords: PasswordLookup, localServer: LocalServer? = nil,
         terminal: TerminalBackend = Terminal(), sender: @escaping @Sendable () -> MailSender = { SMTPSession() },
         store: ScreenStore = FileScreenStore(), handlesSignals: Bool = true) {
        self.state = state
        self.draftStore = draftStore
        self.passwords = passwords
        self.localServer = localServer
        self.terminal = terminal
        self.makeSender = sender
        self.store = store
        self.handlesSignals = handlesSignals
        localServer?.deliver(to: inbox)
    }

    /// Runs until the user quits; the draft is saved on the way out. Returns the exit status.
    @discardableResult
    func run() -> Int32 {
        if handlesSignals { TerminationSignals.install() }
        terminal.start(wantColors: state.colors)
        state.colors = terminal.colorsAvailable
        let size = terminal.size
        _ = state.update(.resize(width: size.width, height: size.height))
        if state.usesOAuthAccount, !state.oauth.name.isEmpty { perform([.loadOAuthAccount(state.oauth.name)]) }
        draw()
        while running {
            waitForInput()
            var events: [AppEvent] = []
            for input in terminal.readInput() {
                switch input {
                case .key(.control("c")) where state.isSending: events.append(.key(.escape))
                case .key(let key): events.append(.key(key))
                case .resize:
                    let size = terminal.size
                    events.append(.resize(width: size.width, height: size.height))
                }
            }
            if terminal.syncSize() {
                let size = terminal.size
                events.append(.resize(width: size.width, height: size.height))
            }
            events += inbox.drain()
            for event in events {
                perform(state.update(event))
                if !running { break }
            }
            if handlesSignals, let number = TerminationSignals.received() {
                running = false
                exitStatus = 128 + number
            }
            if terminalGone { running = false }
            var changed = !events.isEmpty
            if let due = draftDue, clock.now >= due { changed = saveDraft() || changed }
            // The loop also wakes twice a second to check the window size: draw only when
            // something happened.
            if changed { draw() }
        }
        finishRunningSend()
        io.sync {}
        saveDraftNow()
        terminal.stop()
        // Deleted messages stayed on disk while `u` could bring them back.
        if !state.deletedMessageIDs.isEmpty { _ = localServer?.store.delete(state.deletedMessageIDs) }
        localServer?.stop()
        return exitStatus
    }

    /// A send cancelled by quitting still ends, and is still recorded in the history.
    private func finishRunningSend() {
        autoProbe?.cancel()
        signInCancel?.cancel()
        guard state.inFlight != nil, let session else { return }
        session.cancel()
        let deadline = clock.now + .seconds(3)
        while state.inFlight != nil && clock.now < deadline {
            var fd = pollfd(fd: inbox.readEnd, events: Int16(POLLIN), revents: 0)
            _ = poll(&fd, 1, 100)
            for event in inbox.drain() {
                for effect in state.update(event) {
                    if case .recordHistory(let kind, let plan, let report) = effect { Self.record(kind: kind, plan: plan, report: report, faults: faultsInForce, in: store) }
                }
            }
        }
    }

    private func draw() { terminal.draw(Renderer.render(state)) }

    /// Sleeps until a key, a background event, a signal, or the draft's deadline.
    private func waitForInput() {
        var fds = [pollfd(fd: terminal.inputDescriptor, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: inbox.readEnd, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: TerminationSignals.pipeRead, events: Int16(POLLIN), revents: 0)]
        // Half a second at most, so that a missed resize is still noticed.
        var timeout: Int32 = 500
        if let due = draftDue {
            let left = due - clock.now
            timeout = min(timeout, max(0, Int32(left.milliseconds)))
        }
        _ = poll(&fds, nfds_t(fds.count), timeout)
        // The terminal went away (window closed, ssh dropped): like SIGHUP, save the draft and go.
        if fds[0].revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 { terminalGone = true }
    }

    /// Set when standard input hung up.
    private var terminalGone = false

    /// 0, or 128 + the signal that stopped the screen (130 for SIGINT), as a shell reports it.
    private(set) var exitStatus: Int32 = 0
}
