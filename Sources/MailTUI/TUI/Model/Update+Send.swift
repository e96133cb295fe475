import MailCore

/// Sending and probing: the form checked once, the plan made, and the session's events taken in.
extension AppState {
    /// Marks the fields at fault and says the first; the conversation shown stays.
    mutating func refuse(_ problems: [FieldID: String]) {
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

    mutating func startSend() -> [Effect] { start(probing: false) }

    mutating func startProbe() -> [Effect] { start(probing: true) }

    /// Checks the form here, in update; only a form without problems starts a session, and only
    /// then is the conversation cleared.
    private mutating func start(probing: Bool) -> [Effect] {
        let fields: (DeliveryNotifications?, DKIMSettings?)
        switch checkedForm(sending: !probing) {
        case .success(let read): fields = read
        case .failure(let refusal): refuse(refusal.problems); return []
        }
        if usesOAuthAccount {
            guard !oauth.name.isEmpty else {
                refuse([.password: "type the OAuth account's name (mailtui oauth list shows them)"])
                return []
            }
            // Not signed in: the sign-in comes first, and the send goes on when it completes.
            if oauth.status == .notSignedIn { return startSignIn(thenSend: !probing) }
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
        // An OAuth account's token is fetched (and refreshed) by the runtime just before connecting.
        let password = usesOAuthAccount ? nil : !typed.isEmpty ? typed : (anyPasswordWorks ? Self.localServerPassword : nil)
        var plan = SendPlan(settings: settings, draft: draft, password: password, allowPartial: probing ? false : allowPartial,
                            quitAfter: probing ? nil : quitAfter, profileName: profileName)
        plan.count = probing || quitAfter != nil ? 1 : Int(text(.count)).map { min(max(1, $0), 100_000) } ?? 1
        (plan.notifications, plan.dkim) = fields
        loadOutcomes = []
        inFlight = plan
        if probing { return [.probe(plan)] }
        return [.send(plan)] + (attachments.isEmpty ? [] : [.checkAttachments(attachments.map(\.spec))])
    }

    mutating func receive(_ event: SessionEvent) -> [Effect] {
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
            // The send may have refreshed the token: the Account line says so.
            if let account = inFlight?.settings.oauthAccount { return record + [.loadOAuthAccount(account)] }
            return record
        }
        return []
    }

    /// Marks the form changed so the draft is saved.
    mutating func changed() -> [Effect] {
        [.saveDraft]
    }
}
