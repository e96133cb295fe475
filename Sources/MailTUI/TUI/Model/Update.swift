import MailCore

extension AppState {
    /// The heart of the UI: applies one event and says what the runtime must do. No I/O here, so
    /// every behaviour can be tested by feeding events and looking at the state and the screen.
    mutating func update(_ event: AppEvent) -> [Effect] {
        let effects = apply(event)
        // `mailtui serve`'s screen is the inbox: closing a window over it comes back to it.
        if serving != nil && overlay == nil { overlay = .inbox(selected: 0) }
        return effects
    }

    private mutating func apply(_ event: AppEvent) -> [Effect] {
        switch event {
        case .key(let key):
            return handle(key)
        case .resize(let w, let h):
            width = w
            height = h
            return []
        case .session(let sessionEvent):
            return receive(sessionEvent)
        case .sendRefused(let problems):
            phase = previousPhase ?? .idle
            inFlight = nil
            refuse(problems)
            return []
        case .editorFinished(let tab, let result):
            switch result {
            case .success(let text):
                bodies[tab] = TextArea(text)
                return changed()
            case .failure(let failure):
                notice = "The body is unchanged: \(failure.reason)."
                return []
            }
        case .attachmentInspected(let item):
            attachments.append(item)
            selectedAttachment = attachments.count - 1
            notice = item.problem.map { "Cannot attach \(item.spec.path): \($0)" } ?? "Attached \(item.name) (\(ByteCount.human(item.size ?? 0)), \(item.mimeType))"
            if item.problem != nil { fieldErrors[.attachments] = item.problem }
            return changed()
        case .attachmentsChecked(let items):
            guard items.map(\.spec) == attachments.map(\.spec) else { return [] }
            attachments = items
            fieldErrors[.attachments] = items.first { $0.problem != nil }.map { "\($0.name): \($0.problem ?? "")" }
            return []
        case .completed(let input, let completion, let candidates):
            if case .message(var view) = overlay, view.savePath?.text == input {
                view.savePath = TextField(completion)
                view.message = candidates.count > 1 ? candidates.prefix(8).joined(separator: "  ") : nil
                overlay = .message(view)
                return []
            }
            guard text(.attachments) == input else { return [] }
            fields[.attachments] = TextField(completion)
            notice = candidates.count > 1 ? candidates.prefix(12).joined(separator: "  ") + (candidates.count > 12 ? "  …" : "") : (candidates.isEmpty ? "No file matches." : nil)
            return []
        case .profilesLoaded(let profiles, let problem):
            guard case .profiles(var picker) = overlay else { return [] }
            picker.profiles = profiles
            picker.selected = max(0, profiles.firstIndex { $0.name == profileName } ?? 0)
            picker.message = problem
            overlay = .profiles(picker)
            return []
        case .profileSaved(let profile, let problem, let note):
            guard case .profiles(var picker) = overlay else { notice = problem ?? "Saved profile \(profile.name)"; return [] }
            picker.naming = nil
            picker.message = problem.map { "Not saved: \($0)" }
                ?? "Saved profile \(profile.name) in profiles.toml. " + (note.map { $0 + " " } ?? "") + (Self.passwordNote(profile, typed: !text(.password).isEmpty) ?? "")
            if problem == nil {
                if let index = picker.profiles.firstIndex(where: { $0.name == profile.name }) { picker.profiles[index] = profile } else { picker.profiles.append(profile) }
                profileName = profile.name
            }
            overlay = .profiles(picker)
            return []
        case .historyLoaded(let entries):
            guard case .history(var picker) = overlay else { return [] }
            picker.entries = entries
            overlay = .history(picker)
            return []
        case .domainChecked(let domain, let lines, let problems):
            phase = .showing(lines: lines)
            transcriptTop = 0
            notice = "Domain check of \(domain): " + (problems.isEmpty ? "no problems" : "problems in \(problems.joined(separator: ", "))") + " (conversation pane)"
            return []
        case .autoProbed(let lines, let verdict):
            phase = .probed(lines: lines, failure: nil)
            if case .works(let best, _) = verdict {
                self.security = best.security
                fields[.port] = TextField(String(best.port))
                portEdited = best.port != best.security.defaultPort
                appWillFail = nil
                notice = "Auto-detect chose port \(best.port) with \(best.security.displayName)"
                return changed()
            }
            notice = "Auto-detect: " + verdict.words(host: text(.host))
            return []
        case .server(.message(let message)):
            captured.insert(message, at: 0)
            if captured.count > 1000 { captured.removeLast() }
            // At the top the list follows what arrives; further down the same message stays selected.
            if case .inbox(let selected) = overlay, selected > 0 { overlay = .inbox(selected: min(selected + 1, captured.count - 1)) }
            if !isSending { notice = "The local server caught a message from <\(message.from)>" + (serving == nil ? " (F2 shows it)" : "") }
            return []
        case .server(.fault(let report)):
            if !isSending { notice = "The local server's fault struck at \(report.stage.faultWord): \(report.action)" }
            return [.refreshFaults]
        case .server:
            return []
        case .localServerReady(let address, let port, let caPath, let earlier, let problem, let anyLogin):
            guard problem == nil else { notice = problem; return [] }
            apply(settings: ServerSettings(host: "127.0.0.1", port: port, security: .starttls, caFile: caPath, username: "test"))
            // Any login works there (`targetsLocalServer`): a password typed for another server goes.
            fields[.password] = TextField()
            profileName = nil
            localServer = address
            localServerTakesAnyLogin = anyLogin
            if captured.isEmpty { captured = earlier }
            fieldErrors = [:]
            notice = "Local test server on \(address): mail sent here stays on this machine (F2 shows it)"
            return changed()
        case .faultsChanged(let active, let problem, let changed):
            activeFaults = active
            if case .faults(var panel) = overlay, changed || problem != nil {
                panel.message = problem ?? (active.isEmpty ? "No faults: the local server answers normally." : "In force now. F5 sends to the local server to see it strike.")
                overlay = .faults(panel)
            } else if let problem {
                notice = problem
            }
            return []
        case .inboxReloaded(let records):
            let deleted = Set(deletedMessageIDs)
            captured = records.filter { !deleted.contains($0.id) }
            if case .inbox(let selected) = overlay { overlay = .inbox(selected: min(selected, max(0, captured.count - 1))) }
            return []
        case .capturedRead(let id, let content, let problem):
            read(id, content: content, problem: problem)
            return []
        case .dkimChecked(let id, let verdict):
            dkimChecked(id, verdict)
            return []
        case .attachmentSaved(let path, let problem, let note):
            let words = problem.map { "Not saved: \($0)" } ?? "Saved \(path)" + (note.map { " (\($0))" } ?? "")
            guard case .message(var view) = overlay else { notice = words; return [] }
            view.message = words
            overlay = .message(view)
            return []
        case .resendReady(let draft, let problem):
            guard let draft else {
                if case .message(var view) = overlay { view.message = problem; overlay = .message(view) } else { notice = problem }
                return []
            }
            apply(draft: draft)
            overlay = nil
            fieldErrors = [:]
            focus = .host
            notice = "The caught message is the draft now: set a real server (Host, or F8 for a profile) and press F5 to send it again"
            return changed() + (draft.attachments.isEmpty ? [] : [.checkAttachments(draft.attachments)])
        case .previewReady(let lines, let problems):
            guard problems.isEmpty else {
                fieldErrors = problems
                notice = "No preview: " + (FieldID.allCases.lazy.compactMap { id in problems[id].map { "\(id.label): \($0)" } }.first ?? "")
                return []
            }
            phase = .showing(lines: lines)
            transcript = []
            transcriptTop = 0
            notice = "Preview: the exact bytes that F5 would send (PgUp/PgDn scroll)"
            return []
        case .exportWritten(let path, let problem):
            if path.split(separator: "/").last?.hasPrefix(ShareReport.fileNamePrefix) == true {
                notice = problem.map { "Report not saved: \($0)" } ?? "Wrote \(path): the report without the password, ready to paste into an issue"
                return []
            }
            notice = problem.map { "Export not saved: \($0)" } ?? "Saved the \(lastExport?.format.rawValue ?? "") export to \(path)"
            if case .profiles(var picker) = overlay {
                picker.message = notice
                overlay = .profiles(picker)
            }
            return []
        case .draftSaved(let problem):
            draftProblem = problem
            if let problem { notice = "Draft not saved: \(problem)" }
            return []
        }
    }

    // MARK: Keys

    private mutating func handle(_ key: Key) -> [Effect] {
        if let overlay { return handle(key, in: overlay) }
        notice = nil
        // Tab completes a path being typed in Attach instead of moving on.
        if key == .tab && focus == .attachments && !text(.attachments).isEmpty { return [.completePath(text(.attachments))] }
        if let command = KeyMap.command(for: key) { return perform(command) }
        if key == .control("c") {
            notice = isSending ? nil : "F10 or Ctrl-Q quits; Esc cancels a running send"
            return isSending ? perform(.cancel) : []
        }
        switch focus {
        case .security: return cycleSecurity(key)
        case .quitAfter: return cycleQuitAfter(key)
        case .auth: return cycleAuth(key)
        case .verify: return toggleVerify(key)
        case .allowPartial:
            guard selectorStep(key) != nil else { return navigate(key) }
            allowPartial.toggle()
            return []
        case .body: return editBody(key)
        case .transcript: return scrollTranscript(key)
        default: return editText(key)
        }
    }

    /// How many lines a scrolling window holds.
    func overlayLineCount(_ overlay: Overlay) -> Int {
        switch overlay {
        case .help: HelpText.lines.count
        case .fullText(let lines, _): lines.count
        default: 0
        }
    }

    /// Carries out a command from the key map.
    mutating func perform(_ command: Command) -> [Effect] {
        if isSending, [.send, .probe, .autoDetect, .preview, .editor, .profiles, .history, .keptDrafts].contains(command) {
            notice = "A send is running: Esc cancels it"
            return []
        }
        switch command {
        case .send: return startSend()
        case .probe: return startProbe()
        case .checkDomain:
            guard let address = try? Mailbox.parse(text(.from)).address, let domain = address.split(separator: "@").last.map(String.init),
                  DomainName.isValid(domain) else {
                fieldErrors[.from] = "give a From address to check its domain"
                focus = .from
                return []
            }
            phase = .showing(lines: ["Checking \(domain): MX, SPF, DKIM, DMARC, reverse DNS…"])
            transcriptTop = 0
            let provider = Provider.recognise(host: text(.host))?.id
            return [.checkDomain(domain: domain, server: text(.host), provider: provider)]
        case .autoDetect:
            if let problem = settings.problems().first(where: { $0.setting == .server }) {
                fieldErrors[.host] = problem.reason
                focus = .host
                return []
            }
            transcript = []
            transcriptTop = nil
            phase = .autoProbing
            return [.autoProbe(settings)]
        case .cancel:
            if isSending, phase != .cancelling { phase = .cancelling; return [.cancelSend] }
            return []
        case .preview:
            return [.preview(draft)]
        case .bodyTab:
            bodyTab = BodyTab(rawValue: (bodyTab.rawValue + 1) % BodyTab.allCases.count)!
            return []
        case .editor:
            return [.openEditor(bodyTab, bodies[bodyTab]?.text ?? "")]
        case .nextField: moveFocus(1); return []
        case .previousField: moveFocus(-1); return []
        case .scrollUp: scrollTranscript(page: -1); return []
        case .scrollDown: scrollTranscript(page: 1); return []
        case .inbox:
            guard localServer != nil || !captured.isEmpty else {
                notice = "No local server runs in this screen (it starts on a first start; `mailtui serve` runs one on its own)"
                return []
            }
            overlay = .inbox(selected: 0)
            return [.reloadInbox]
        case .faults:
            guard localServer != nil else {
                notice = "No local server runs in this screen: faults are for it (`mailtui serve --fault` for one on its own)"
                return []
            }
            overlay = .faults(FaultPanel())
            return [.refreshFaults]
        case .profiles:
            overlay = .profiles(ProfilePicker())
            return [.loadProfiles]
        case .history:
            overlay = .history(HistoryPicker())
            return [.loadHistory]
        case .keptDrafts:
            openKeptDrafts()
            return []
        case .fullText:
            overlay = .fullText(fullTextLines, top: 0)
            return []
        case .repaint: return [.repaint]
        case .help:
            overlay = .help(top: 0)
            return []
        case .quit:
            if isSending { overlay = .confirmQuit("A send is running. Quit and cancel it?"); return [] }
            if let draftProblem { overlay = .confirmQuit("The draft could not be saved (\(draftProblem)); quit and lose your changes?"); return [] }
            return [.quit]
        }
    }

    private mutating func handle(_ key: Key, in overlay: Overlay) -> [Effect] {
        switch overlay {
        case .help(let top), .fullText(_, let top):
            // Long windows scroll with ↑ ↓ PgUp PgDn; any other key closes them.
            let rows = max(1, height - 6)
            let step: Int? = switch key {
            case .up: -1
            case .down: 1
            case .pageUp: -rows
            case .pageDown: rows
            default: nil
            }
            guard let step else { self.overlay = nil; return [] }
            let count = overlayLineCount(overlay)
            let newTop = min(max(0, top + step), max(0, count - rows))
            if case .fullText(let lines, _) = overlay { self.overlay = .fullText(lines, top: newTop) } else { self.overlay = .help(top: newTop) }
            return []
        case .profiles(let picker):
            return handle(key, in: picker)
        case .history(let picker):
            return handle(key, in: picker)
        case .faults(let panel):
            return handle(key, in: panel)
        case .message(let view):
            if KeyMap.command(for: key) == .quit, view.search == nil, view.savePath == nil {
                self.overlay = nil
                return perform(.quit)
            }
            return handle(key, in: view)
        case .inbox(let selected):
            return handle(key, inbox: selected)
        case .keptDrafts(let selected):
            return handle(key, keptDraft: selected)
        case .confirmQuit:
            switch key {
            case .character("y"), .character("Y"):
                self.overlay = nil
                return isSending ? [.cancelSend, .quit] : [.quit]
            case .character("n"), .character("N"), .escape:
                self.overlay = nil
            default:
                break
            }
            return []
        }
    }

    mutating func moveFocus(_ step: Int) {
        let all = FieldID.allCases
        let index = all.firstIndex(of: focus)!
        focus = all[(index + step + all.count) % all.count]
    }

    // MARK: Fields

    private mutating func editText(_ key: Key) -> [Effect] {
        guard var field = fields[focus] else { return [] }
        let before = field
        switch key {
        case .character(let c):
            if focus == .port || focus == .count { guard c.isNumber, c.isASCII else { return [] } }
            if focus == .timeout { guard c.isASCII, c.isNumber || c == "." else { return [] } }
            // A port that follows the security choice is shown dim, as a placeholder: typing replaces it.
            if showsDerivedDefault(focus) { field = TextField() }
            field.insert(String(c))
        case .backspace where showsDerivedDefault(focus), .delete where showsDerivedDefault(focus):
            field = TextField()
        case .backspace: field.backspace()
        case .delete, .control("d"):
            if focus == .attachments && field.isEmpty { return removeAttachment() }
            field.delete()
        case .left, .control("b"): field.left()
        case .right, .control("f"): field.right()
        case .home, .control("a"): field.home()
        case .end, .control("e"): field.end()
        case .control("u"): field.killToStart()
        case .control("k"): field.killToEnd()
        case .control("w"): field.deleteWordBack()
        case .control("n") where focus == .attachments:
            if !attachments.isEmpty { selectedAttachment = (selectedAttachment + 1) % attachments.count }
            return []
        case .enter:
            if focus == .attachments && !field.isEmpty {
                let spec = AttachmentSpec(path: field.text.trimmingSpaces)
                fields[.attachments] = TextField()
                return [.inspectAttachment(spec)]
            }
            moveFocus(1)
            return []
        case .up: moveFocus(-1); return []
        case .down: moveFocus(1); return []
        default: return []
        }
        guard field != before else { return [] }
        fields[focus] = field
        if focus == .port { portEdited = !field.isEmpty }
        fieldErrors[focus] = nil
        return focus == .attachments ? [] : changed()
    }

    /// Whether the field holds a value the form derived (shown dim), not one the user typed.
    func showsDerivedDefault(_ id: FieldID) -> Bool { id == .port && !portEdited }

    private mutating func removeAttachment() -> [Effect] {
        guard !attachments.isEmpty else { return [] }
        let removed = attachments.remove(at: min(selectedAttachment, attachments.count - 1))
        selectedAttachment = max(0, min(selectedAttachment, attachments.count - 1))
        notice = "Removed \(removed.name)"
        fieldErrors[.attachments] = attachments.compactMap(\.problem).first
        return changed()
    }

    /// A choice field's new index for a key: ← → and Space step, a letter picks the choice that
    /// starts with it; anything else changes nothing.
    private mutating func choose<T: Equatable>(_ key: Key, in all: [T], current: T, name: (T) -> String) -> T? {
        if let step = selectorStep(key), let index = all.firstIndex(of: current) {
            return all[(index + step + all.count) % all.count]
        }
        guard case .character(let c) = key, c.isLetter else { return nil }
        if let match = all.first(where: { name($0).lowercased().hasPrefix(c.lowercased()) }) { return match }
        notice = "\(focus.label): " + all.map(name).joined(separator: ", ") + " (← → Space, or the first letter)"
        return nil
    }

    private mutating func cycleSecurity(_ key: Key) -> [Effect] {
        guard let chosen = choose(key, in: SecurityMode.allCases, current: security, name: \.displayName) else { return navigate(key) }
        security = chosen
        if !portEdited { fields[.port] = TextField(String(security.defaultPort)) }
        securityChosenByUser()
        return changed()
    }

    private mutating func cycleQuitAfter(_ key: Key) -> [Effect] {
        let all: [SMTPStage?] = [nil] + SessionRequest.quitAfterStages
        guard let chosen = choose(key, in: all, current: quitAfter, name: { $0?.displayName ?? "deliver" }) else { return navigate(key) }
        quitAfter = chosen
        return []
    }

    private mutating func cycleAuth(_ key: Key) -> [Effect] {
        guard let chosen = choose(key, in: AuthMechanism.allCases, current: authMechanism, name: \.rawValue) else { return navigate(key) }
        authMechanism = chosen
        return changed()
    }

    private mutating func toggleVerify(_ key: Key) -> [Effect] {
        guard selectorStep(key) != nil else { return navigate(key) }
        verifyCertificate.toggle()
        return changed()
    }

    private func selectorStep(_ key: Key) -> Int? {
        switch key {
        case .left: -1
        case .right, .character(" "): 1
        default: nil
        }
    }

    private mutating func navigate(_ key: Key) -> [Effect] {
        switch key {
        case .up: moveFocus(-1)
        case .down, .enter: moveFocus(1)
        default: break
        }
        return []
    }

    private mutating func editBody(_ key: Key) -> [Effect] {
        guard var area = bodies[bodyTab] else { return [] }
        // Taken out while it is edited: a copy left in the dictionary would make every key press
        // copy the whole text.
        bodies[bodyTab] = nil
        defer { bodies[bodyTab] = area }
        let revision = area.revision
        let height = Layout(width: width, height: height).body.height
        switch key {
        case .character(let c): area.insert(String(c))
        case .enter: area.newline()
        case .backspace: area.backspace()
        case .delete, .control("d"): area.delete()
        case .left: area.left()
        case .right: area.right()
        case .up: area.up()
        case .down: area.down()
        case .home, .control("a"): area.home()
        case .end, .control("e"): area.end()
        case .control("k"): area.killToEnd()
        case .control("u"): area.killToStart()
        default: return []
        }
        area.keepCursorVisible(height: height)
        guard area.revision != revision else { return [] }
        fieldErrors[.body] = nil
        return changed()
    }

    // MARK: Transcript

    /// The number of transcript rows on screen.
    var transcriptRows: Int { max(1, Layout(width: width, height: height).transcript.height) }

    private var lastTop: Int { max(0, transcriptLineCount - transcriptRows) }

    /// Transcript lines plus the result block under them.
    var transcriptLineCount: Int { transcript.count + resultLines.count }

    private mutating func scrollTranscript(_ key: Key) -> [Effect] {
        switch key {
        case .up: scrollTranscript(by: -1)
        case .down: scrollTranscript(by: 1)
        case .pageUp: scrollTranscript(page: -1)
        case .pageDown: scrollTranscript(page: 1)
        case .home: transcriptTop = 0
        case .end: transcriptTop = nil
        case .enter: moveFocus(1)
        default: break
        }
        return []
    }

    mutating func scrollTranscript(page direction: Int) { scrollTranscript(by: direction * max(1, transcriptRows - 1)) }

    mutating func scrollTranscript(by delta: Int) {
        let top = min(max(0, (transcriptTop ?? lastTop) + delta), lastTop)
        // Scrolling back to the end follows new lines again.
        transcriptTop = top >= lastTop ? nil : top
    }

    // MARK: Sending

    /// Marks the fields at fault and says the first; the conversation shown stays.
    private mutating func refuse(_ problems: [FieldID: String]) {
        fieldErrors = problems
        if let (first, problem) = FieldID.allCases.lazy.compactMap({ id in problems[id].map { (id, $0) } }).first {
            focus = first
            notice = "Not sent: \(first.label): \(problem)"
        }
    }

    /// Checks the form, once, without reading a file or the network: the problems by field, or,
    /// when there are none, the DSN and DKIM fields as read, which the send then uses.
    func checkedForm(sending: Bool) -> Result<(DeliveryNotifications?, DKIMSettings?), SendPreparation.Refusal> {
        guard sending else {
            let problems = settings.problems(checkingFiles: false).map { SendProblem(.setting($0.setting), $0.reason) }
            return problems.isEmpty ? .success((nil, nil)) : .failure(SendPreparation.Refusal(problems))
        }
        var problems = SendService.check(settings: settings, draft: draft)
        if !text(.count).isEmpty, Int(text(.count)).map({ !(1...100_000).contains($0) }) ?? true {
            problems.append(SendProblem(.count, "how many messages to send: 1 to 100000 (more with `mailtui send --count`)"))
        }
        var read: (DeliveryNotifications?, DKIMSettings?) = (nil, nil)
        switch SendService.notifications(fromField: text(.dsn)) {
        case .success(let notifications): read.0 = notifications
        case .failure(let problem): problems.append(problem)
        }
        switch SendService.dkim(fromField: text(.dkim)) {
        case .success(let dkim): read.1 = dkim
        case .failure(let problem): problems.append(problem)
        }
        return problems.isEmpty ? .success(read) : .failure(SendPreparation.Refusal(problems))
    }

    private mutating func startSend() -> [Effect] { start(probing: false) }

    private mutating func startProbe() -> [Effect] { start(probing: true) }

    /// Checks the form here, in update; only a form without problems starts a session, and only
    /// then is the conversation cleared.
    private mutating func start(probing: Bool) -> [Effect] {
        let fields: (DeliveryNotifications?, DKIMSettings?)
        switch checkedForm(sending: !probing) {
        case .success(let read): fields = read
        case .failure(let refusal): refuse(refusal.problems); return []
        }
        fieldErrors = [:]
        transcript = []
        transcriptTop = nil
        if !probing, let failure = sendFailsAsTheApp {
            phase = .failed(failure, elapsed: nil)
            return []
        }
        previousPhase = phase
        phase = .sending(stage: .connect, sent: nil, total: nil)
        probeSettings = probing ? settings : nil
        let typed = text(.password)
        // The local test server takes any login: never a real password, never "no password".
        let password = !typed.isEmpty ? typed : (anyPasswordWorks ? Self.localServerPassword : nil)
        var plan = SendPlan(settings: settings, draft: draft, password: password, allowPartial: probing ? false : allowPartial,
                            quitAfter: probing ? nil : quitAfter, profileName: profileName)
        plan.count = probing || quitAfter != nil ? 1 : Int(text(.count)).map { min(max(1, $0), 100_000) } ?? 1
        (plan.notifications, plan.dkim) = fields
        loadOutcomes = []
        inFlight = plan
        if probing { return [.probe(plan)] }
        return [.send(plan)] + (attachments.isEmpty ? [] : [.checkAttachments(attachments.map(\.spec))])
    }

    private mutating func receive(_ event: SessionEvent) -> [Effect] {
        switch event {
        case .line(let line):
            transcript.append(line)
            // The screen draws only the lines it shows, so a long conversation costs memory, not
            // frames: 100,000 lines are kept.
            if transcript.count > 100_000 {
                transcript.removeFirst(10_000)
                if let top = transcriptTop { transcriptTop = max(0, top - 10_000) }
            }
        case .stage(let stage):
            if case .sending(_, let sent, let total) = phase { phase = .sending(stage: stage, sent: sent, total: total) }
        case .progress(let sent, let total):
            if case .sending(let stage, _, _) = phase { phase = .sending(stage: stage, sent: sent, total: total) }
        case .loadOutcome(let outcome):
            loadOutcomes.append(outcome)
        case .tls:
            break
        case .finished(let report):
            notice = nil
            defer { inFlight = nil; previousPhase = nil }
            let record = inFlight.map { [Effect.recordHistory(kind: probeSettings == nil ? .send : .probe, plan: $0, report: report)] } ?? []
            if let count = inFlight?.count, count > 1 {
                // A load run: its summary, and the connection's failure if it had one.
                let summary = LoadSummary(outcomes: loadOutcomes, elapsed: report.elapsed, count: count)
                let failure = report.failure.map { ["The connection failed at \($0.stage.displayName): \($0.reply.map(\.description) ?? $0.explanation)"] } ?? []
                phase = .showing(lines: ["Load run: \(loadOutcomes.count) of \(count) messages on one connection"] + summary.lines + failure)
            } else if let probeSettings {
                phase = .probed(lines: ProbeSummary.lines(report, settings: probeSettings, onScreen: true), failure: report.failure)
            } else if let failure = report.failure {
                phase = .failed(failure, elapsed: report.elapsed)
            } else {
                let reply = inFlight?.quitAfter.map { "Stopped after \($0.displayName) as asked: nothing was delivered" }
                    ?? "Sent: \(report.finalReply?.description ?? "done")"
                phase = .sent(reply: reply, elapsed: report.elapsed,
                              refused: report.rejectedRecipients.map { "\($0.address) (\($0.reply))" })
            }
            // The user chose a login that sends the password itself, without TLS, to another machine.
            if let warning = inFlight?.settings.clearTextLoginWarning, report.authenticated { notice = "Warning: " + warning }
            return record
        }
        return []
    }

    /// Marks the form changed so the draft is saved.
    mutating func changed() -> [Effect] {
        [.saveDraft]
    }
}
