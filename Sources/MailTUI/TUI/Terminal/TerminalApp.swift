import Dispatch
import MailCore
import MailServer
#if canImport(Glibc)
import Glibc
#endif

/// The compose screen's run loop: reads keys and background events, feeds them to
/// `AppState.update`, carries out the effects, and draws `Renderer.render(state)`.
final class TerminalApp {
    private var state: AppState
    private let terminal = Terminal()
    private let inbox = EventInbox()
    /// Where the form's draft goes; nil for `mailtui serve`'s screen, which has no form.
    private let draftStore: DraftStore?
    private var session: SMTPSession?
    /// The running auto-detection, for Esc.
    private var autoProbe: AutoProbe.Group?
    /// Every effect that touches a file (the draft, the history, the config, an export, a path's
    /// directory) runs here, in order, off the UI thread; each comes back as one event.
    private let io = DispatchQueue(label: "mailtui.io")
    /// Where the password comes from when the field is empty.
    private let passwords: PasswordLookup
    private let clock = ContinuousClock()
    /// When the draft must be written (changes are saved at most a quarter second late).
    private var draftDue: ContinuousClock.Instant?
    private var running = true

    /// The local test server this screen runs, if it runs one; stopped on the way out.
    private var localServer: LocalServer?
    /// The faults our own server had in force when the send or probe under way started, if it goes there.
    private var faultsInForce: [String]?

    /// The DNS that DKIM verification of caught mail and the domain check ask (`--dns-server`).
    var dns = SystemResolver()

    init(state: AppState, draftStore: DraftStore?, passwords: PasswordLookup, localServer: LocalServer? = nil) {
        self.state = state
        self.draftStore = draftStore
        self.passwords = passwords
        self.localServer = localServer
        localServer?.deliver(to: inbox)
    }

    /// Runs until the user quits; the draft is saved on the way out. Returns the exit status.
    @discardableResult
    func run() -> Int32 {
        TerminationSignals.install()
        terminal.start(wantColors: state.colors)
        state.colors = terminal.colorsAvailable
        let size = terminal.size
        _ = state.update(.resize(width: size.width, height: size.height))
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
            if let number = TerminationSignals.received() {
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
        guard state.inFlight != nil, let session else { return }
        session.cancel()
        let deadline = clock.now + .seconds(3)
        while state.inFlight != nil && clock.now < deadline {
            var fd = pollfd(fd: inbox.readEnd, events: Int16(POLLIN), revents: 0)
            _ = poll(&fd, 1, 100)
            for event in inbox.drain() {
                for effect in state.update(event) {
                    if case .recordHistory(let kind, let plan, let report) = effect { Self.record(kind: kind, plan: plan, report: report, faults: faultsInForce) }
                }
            }
        }
    }

    private func draw() { terminal.draw(Renderer.render(state)) }

    /// Sleeps until a key, a background event, a signal, or the draft's deadline.
    private func waitForInput() {
        var fds = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
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

    // MARK: Effects

    private func perform(_ effects: [Effect]) {
        for effect in effects {
            switch effect {
            case .send(let plan): startSend(plan)
            case .probe(let plan): startProbe(plan)
            case .autoProbe(let settings): startAutoProbe(settings)
            case .checkDomain(let domain, let server, let provider):
                let inbox = self.inbox
                let dns = self.dns
                DispatchQueue.global().async {
                    // SPF and reverse DNS are checked for the addresses of the server in the form.
                    let ips = HostAddresses.lookUp(server).filter { !IPAddress.isLoopback($0) }
                    let sections = DomainCheck(domain: domain, dns: dns,
                                               options: .init(ips: ips, provider: provider.flatMap(Provider.named), deadline: DomainCheck.defaultDeadline)).run()
                    inbox.post(.domainChecked(domain: domain, lines: DomainCheck.report(domain, sections, dnsServer: nil),
                                              problems: sections.filter { $0.verdict == .problem }.map(\.name)))
                }
            case .cancelSend:
                session?.cancel()
                autoProbe?.cancel()
            case .openEditor(let tab, let text): openEditor(tab, text)
            case .saveDraft: if draftDue == nil { draftDue = clock.now + .milliseconds(250) }
            case .inspectAttachment(let spec):
                let inbox = self.inbox
                io.async { inbox.post(.attachmentInspected(Self.inspect(spec))) }
            case .completePath(let input):
                let inbox = self.inbox
                io.async {
                    let result = PathCompletion.complete(input)
                    inbox.post(.completed(input: input, completion: result.completion, candidates: result.candidates))
                }
            case .reloadInbox:
                // Our own server tells the screen of every arrival; a separate serve does not.
                guard let localServer, localServer.server == nil else { break }
                let inbox = self.inbox
                io.async { inbox.post(.inboxReloaded(localServer.earlier)) }
            case .readCaptured(let record):
                let inbox = self.inbox
                let dns = self.dns
                // Off the io queue: a large message takes a while, and drafts must not wait. The
                // message is shown first; DKIM asks DNS afterwards, under one deadline.
                DispatchQueue.global(qos: .userInitiated).async {
                    let bytes = FileContents.read(record.path)
                    var content = bytes.map { CapturedMessage(bytes: $0, envelopeFrom: record.from) }
                    let signed = content?.fields.contains { $0.name.lowercased() == "dkim-signature" } ?? false
                    if !signed { content?.apply(.unsigned) }
                    inbox.post(.capturedRead(id: record.id, content: content,
                                             problem: bytes == nil ? "The message \(record.id) is no longer in the inbox." : nil))
                    guard let bytes, signed else { return }
                    DKIMCheck.start(bytes, dns: dns) { verdict in inbox.post(.dkimChecked(id: record.id, verdict: verdict)) }
                }
            case .saveAttachment(let record, let part, let path):
                let inbox = self.inbox
                DispatchQueue.global(qos: .userInitiated).async {
                    inbox.post(CapturedFiles.save(record, part: part, to: path))
                }
            case .useLocalServer:
                if localServer == nil {
                    let (started, note) = LocalServer.start()
                    guard let started else {
                        inbox.post(.localServerReady(address: "", port: 0, caPath: "", earlier: [], problem: "The local test server could not start: \(note ?? "unknown reason")"))
                        break
                    }
                    started.deliver(to: inbox)
                    localServer = started
                }
                if let localServer {
                    inbox.post(.localServerReady(address: localServer.address, port: localServer.port, caPath: localServer.caPath,
                                                 earlier: localServer.earlier, problem: nil, anyLogin: localServer.anyLogin))
                }
            case .setFaults(let faults, let once):
                guard let book = localServer?.server?.faults else {
                    inbox.post(.faultsChanged(active: [], problem: "The local server here is a separate `mailtui serve`: give it --fault or --preset", changed: false))
                    break
                }
                book.replace(with: faults, once: once)
                inbox.post(.faultsChanged(active: book.active, problem: nil, changed: true))
            case .refreshFaults:
                if let book = localServer?.server?.faults { inbox.post(.faultsChanged(active: book.active, problem: nil, changed: false)) }
            case .sendAgain(let record):
                let inbox = self.inbox
                DispatchQueue.global(qos: .userInitiated).async {
                    inbox.post(CapturedFiles.draft(from: record))
                }
            case .checkAttachments(let specs):
                let inbox = self.inbox
                io.async { inbox.post(.attachmentsChecked(specs.map(Self.inspect))) }
            case .replaceKeptDraft(let path, let draft):
                io.async {
                    guard var draft else { unlink(path); return }
                    draft.savedAt = Int(time(nil))
                    try? DraftStore(path: path).save(draft)
                }
            case .recordHistory(let kind, let plan, let report):
                let faults = faultsInForce
                io.async { Self.record(kind: kind, plan: plan, report: report, faults: faults) }
            case .repaint: terminal.invalidate()
            case .quit: running = false
            case .loadProfiles:
                let inbox = self.inbox
                io.async {
                    do throws(ConfigError) {
                        let config = try Configuration.load()
                        inbox.post(.profilesLoaded(config.profiles, problem: config.warnings.first))
                    } catch {
                        inbox.post(.profilesLoaded([], problem: error.description))
                    }
                }
            case .saveProfile(let profile):
                let inbox = self.inbox
                io.async {
                    // Saved in profiles.toml: the user's config.toml is never rewritten.
                    let file = ConfigFile.savedProfiles
                    do throws(ConfigError) {
                        var config = try file.load()
                        config.upsert(profile)
                        if config.defaultProfile == nil { config.defaultProfile = profile.name }
                        try file.save(config)
                        let shadowed = (try? ConfigFile().load().profile(named: profile.name)) != nil
                        inbox.post(.profileSaved(profile, problem: nil, note: shadowed ? "config.toml has a profile of that name, and that one is used." : nil))
                    } catch {
                        inbox.post(.profileSaved(profile, problem: error.description))
                    }
                }
            case .preview(let draft):
                let inbox = self.inbox
                io.async { inbox.post(Preview.event(for: draft)) }
            case .writeExport(let path, let text):
                let inbox = self.inbox
                io.async {
                    // Said as a whole path: "Wrote mailtui-report-….md" left the reader to guess the folder.
                    let target = CapturedFiles.absolute(path)
                    do throws(FileWriteError) {
                        try FileContents.writeAtomically(Array(text.utf8), to: target, mode: 0o644)
                        inbox.post(.exportWritten(path: target, problem: nil))
                    } catch {
                        inbox.post(.exportWritten(path: target, problem: error.reason))
                    }
                }
            case .loadHistory:
                let inbox = self.inbox
                io.async { inbox.post(.historyLoaded(History.store.entries())) }
            }
        }
    }

    static func inspect(_ spec: AttachmentSpec) -> AttachmentItem {
        switch Attachment.check(spec) {
        case .success(let file):
            return AttachmentItem(spec: spec, size: file.size, mimeType: file.mimeType, problem: nil)
        case .failure(let problem):
            return AttachmentItem(spec: spec, size: nil, mimeType: MIMETypes.type(forFileName: spec.path), problem: problem.reason)
        }
    }

    /// Adds a finished send or probe to the history (on the I/O queue, or at exit).
    private static func record(kind: HistoryEntry.Kind, plan: SendPlan, report: SessionReport, faults: [String]?) {
        let recipients = report.acceptedRecipients + report.rejectedRecipients.map(\.address)
        try? History.store.append(SendService.historyEntry(kind, profile: plan.profileName, settings: plan.settings, draft: plan.draft,
                                                           recipients: recipients, report: report, faults: faults))
    }

    private func startSend(_ plan: SendPlan) { start(plan, kind: .send) }

    private func startProbe(_ plan: SendPlan) { start(plan, kind: .probe) }

    /// Starts a send or a probe. Everything that may take time (the password command, the checks
    /// of the attachments) happens on the session's thread; the UI hears back through the inbox.
    private func start(_ plan: SendPlan, kind: HistoryEntry.Kind) {
        // Faults of our own server, taken now: a fault that strikes once is gone when the send ends.
        faultsInForce = nil
        if let localServer, let book = localServer.server?.faults, plan.settings.effectivePort == localServer.port,
           ["127.0.0.1", "::1", "localhost"].contains(plan.settings.host.lowercased()), !book.active.isEmpty {
            faultsInForce = book.active
        }
        let session = SMTPSession()
        self.session = session
        let inbox = self.inbox
        var passwords = self.passwords
        passwords.typed = plan.password
        passwords.profileName = plan.profileName
        let lookup = passwords
        DispatchQueue.global(qos: .userInitiated).async {
            let request: SessionRequest
            switch SendPreparation.request(plan, kind: kind, password: lookup.resolve()) {
            case .success(let prepared): request = prepared
            case .failure(let refusal): inbox.post(.sendRefused(refusal.problems)); return
            }
            session.run(request) { event in inbox.post(.session(event)) }
        }
    }

    private func startAutoProbe(_ settings: ServerSettings) {
        var base = settings
        let candidates = AutoProbe.candidates(typedPort: settings.port, security: settings.security)
        base.port = nil
        let settings = base
        let inbox = self.inbox
        let group = AutoProbe.Group()
        autoProbe = group
        DispatchQueue.global().async {
            let detection = AutoProbe.detect(settings, candidates: candidates, group: group)
            inbox.post(.autoProbed(lines: ["Auto-detect for \(settings.host):"] + detection.lines, verdict: detection.verdict))
        }
    }

    private func openEditor(_ tab: BodyTab, _ text: String) {
        terminal.suspend()
        let edited = ExternalEditor.edit(text, suffix: tab == .html ? ".html" : ".txt")
        terminal.resume()
        inbox.post(.editorFinished(tab, edited))
    }

    /// Writes the draft on the I/O queue; the outcome comes back as `.draftSaved`.
    private func saveDraft() -> Bool {
        draftDue = nil
        guard let store = draftStore else { return false }
        let draft = state.savedDraft(at: Int(time(nil)))
        let inbox = self.inbox
        let hadProblem = state.draftProblem != nil
        io.async {
            do throws(FileWriteError) {
                try store.save(draft)
                if hadProblem { inbox.post(.draftSaved(problem: nil)) }
            } catch {
                inbox.post(.draftSaved(problem: error.reason))
            }
        }
        return false
    }

    /// The last save, at exit, when nothing else runs.
    private func saveDraftNow() {
        let draft = state.savedDraft(at: Int(time(nil)))
        try? draftStore?.save(draft)
    }
}
