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
            let shown = mailboxes.shows(message)
            if case .inbox(let selected) = overlay, selected > 0, shown { overlay = .inbox(selected: min(selected + 1, mailboxes.shownCount - 1)) }
            if !isSending { notice = caughtNotice(message, shown: shown) }
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
            notice = relay.target.map { "Local server on \(address): it relays for real to \($0) (F2 shows each with its outcome; Ctrl-Y stops)" }
                ?? "Local test server on \(address): mail sent here stays on this machine (F2 shows it)"
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
            if case .inbox(let selected) = overlay { overlay = .inbox(selected: min(selected, max(0, mailboxes.shownCount - 1))) }
            return []
        case .capturedRead(let id, let content, let problem):
            read(id, content: content, problem: problem)
            return []
        case .dkimChecked(let id, let verdict):
            dkimChecked(id, verdict)
            return []
        case .messageChecked(let id, let checks):
            messageChecked(id, checks)
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
        case .relaySwitched(let address, let target, let problem):
            return relaySwitched(address: address, relayingTo: target, problem: problem)
        case .oauth(let oauthEvent):
            return receive(oauthEvent)
        case .draftSaved(let problem):
            draftProblem = problem
            if let problem { notice = "Draft not saved: \(problem)" }
            return []
        }
    }

    // MARK: Keys

    /// Routes a key: to the window open over the form, else to the screen's commands (`KeyMap`),
    /// else to the focused field (`updateForm`).
    private mutating func handle(_ key: Key) -> [Effect] {
        if let overlay { return handle(key, in: overlay) }
        notice = nil
        // Tab completes a path being typed in Attach instead of moving on.
        if focus == .attachments, FormKeys.attach.action(for: key) == .complete, !text(.attachments).isEmpty {
            return [.completePath(text(.attachments))]
        }
        if let command = KeyMap.command(for: key) { return perform(command) }
        if key == .control("c") {
            notice = isSending ? nil : "F10 or Ctrl-Q quits; Esc cancels a running send"
            return isSending ? perform(.cancel) : []
        }
        return updateForm(key)
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
        case .relay: return toggleRelay()
        case .help:
            overlay = .help(top: 0)
            return []
        case .quit:
            if isSending { overlay = .confirmQuit("A send is running. Quit and cancel it?"); return [] }
            if let draftProblem { overlay = .confirmQuit("The draft could not be saved (\(draftProblem)); quit and lose your changes?"); return [] }
            return [.quit]
        }
    }

    /// Routes a key to the window open over the form: each is a component with its own key table
    /// and update (Components/).
    private mutating func handle(_ key: Key, in overlay: Overlay) -> [Effect] {
        switch overlay {
        case .help, .fullText: return updateScrollWindow(key, overlay)
        case .confirmQuit: return updateConfirmQuit(key)
        case .profiles(let picker): return updateProfiles(key, picker)
        case .history(let picker): return updateHistory(key, picker)
        case .keptDrafts(let selected): return updateKeptDrafts(key, selected: selected)
        case .signIn(let window): return updateSignInWindow(key, window)
        case .confirmRelay: return updateConfirmRelay(key)
        case .inbox(let selected): return updateInbox(key, selected: selected)
        case .message(let view): return updateMessageView(key, view)
        case .faults(var panel):
            switch panel.update(key) {
            case .stay(let effects):
                self.overlay = .faults(panel)
                return effects
            case .close:
                self.overlay = nil
                return []
            case .quit:
                self.overlay = nil
                return perform(.quit)
            }
        }
    }
}
