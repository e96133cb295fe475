import Dispatch
import MailCore
import MailServer
#if canImport(Glibc)
import Glibc
#endif

/// The effect runner: each `Effect` of `update` carried out, off the UI thread where it may take
/// time, its outcome coming back as one event through the inbox. The loop does nothing else.
extension TerminalApp {
    func perform(_ effects: [Effect]) {
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
                let spamd = self.spamd
                let store = self.store
                // Off the io queue: a large message takes a while, and drafts must not wait. The
                // message is shown first; DKIM asks DNS afterwards, under one deadline.
                DispatchQueue.global(qos: .userInitiated).async {
                    let bytes = store.messageBytes(at: record.path)
                    var content = bytes.map { CapturedMessage(bytes: $0, envelopeFrom: record.from) }
                    let signed = content?.fields.contains { $0.name.lowercased() == "dkim-signature" } ?? false
                    if !signed { content?.apply(.unsigned) }
                    inbox.post(.capturedRead(id: record.id, content: content,
                                             problem: bytes == nil ? "The message \(record.id) is no longer in the inbox." : nil))
                    guard let bytes else { return }
                    if signed { DKIMCheck.start(bytes, dns: dns) { verdict in inbox.post(.dkimChecked(id: record.id, verdict: verdict)) } }
                    // check-message's checks, on a queue of their own and at a low priority: a
                    // large HTML part takes a while, and the screen must not wait for it.
                    DispatchQueue(label: "mailtui.message-checks", qos: .utility).async {
                        inbox.post(.messageChecked(id: record.id, checks: CaughtMessageChecks.run(bytes, envelopeFrom: record.from, dns: dns, spamd: spamd)))
                    }
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
                let store = self.store
                io.async { Self.record(kind: kind, plan: plan, report: report, faults: faults, in: store) }
            case .loadOAuthAccount, .listOAuthAccounts, .signIn, .cancelSignIn: performOAuth(effect)
            case .startRelay, .stopRelay, .adoptLocalServer: performRelay(effect)
            case .repaint: terminal.invalidate()
            case .quit: running = false
            case .loadProfiles:
                let inbox = self.inbox
                let store = self.store
                io.async {
                    let (profiles, problem) = store.loadProfiles()
                    inbox.post(.profilesLoaded(profiles, problem: problem))
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
                let store = self.store
                io.async { inbox.post(.historyLoaded(store.historyEntries())) }
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
    static func record(kind: HistoryEntry.Kind, plan: SendPlan, report: SessionReport, faults: [String]?, in store: ScreenStore) {
        let recipients = report.acceptedRecipients + report.rejectedRecipients.map(\.address)
        store.appendHistory(SendService.historyEntry(kind, profile: plan.profileName, settings: plan.settings, draft: plan.draft,
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
        let session = makeSender()
        self.session = session
        let inbox = self.inbox
        var passwords = self.passwords
        passwords.typed = plan.password
        passwords.profileName = plan.profileName
        let lookup = passwords
        DispatchQueue.global(qos: .userInitiated).async {
            var plan = plan
            var password = lookup.resolve()
            if plan.settings.oauthAccount != nil {
                switch Self.token(for: &plan.settings) {
                case .success(let token): password = .success(token)
                case .failure(let refusal): inbox.post(.oauth(.tokenRefused(refusal.reason))); return
                }
            }
            let request: SessionRequest
            switch SendPreparation.request(plan, kind: kind, password: password) {
            case .success(let prepared): request = prepared
            case .failure(let refusal): inbox.post(.sendRefused(refusal.problems)); return
            }
            session.send(request) { event in inbox.post(.session(event)) }
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
    func saveDraft() -> Bool {
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
    func saveDraftNow() {
        let draft = state.savedDraft(at: Int(time(nil)))
        try? draftStore?.save(draft)
    }
}
