import MailCore

/// What a line of the result block is.
enum ResultKind { case success, error, plain }

/// The words under the form: the result block under the conversation, the status line and the
/// hint bar, all derived from the state.
extension AppState {
    /// The result of the last send, shown under the conversation: the server's final reply, or the
    /// failure with the stage, the server's words and what to try.
    var resultLines: [(String, ResultKind)] {
        let width = max(20, Layout(width: width, height: height).transcript.width - 2)
        return unwrappedResultLines.flatMap { line, kind in
            TextWrap.wrap(line, width: width).map { ($0, kind) }
        }
    }

    var unwrappedResultLines: [(String, ResultKind)] {
        switch phase {
        case .sent(let reply, let elapsed, let refused):
            var lines = [("", ResultKind.plain), ("✓ \(reply) (\(elapsed.milliseconds) ms)", .success)]
            if !refused.isEmpty { lines.append(("  Refused: " + refused.joined(separator: "; "), .error)) }
            return lines
        case .failed(let failure, let elapsed):
            return [("", ResultKind.plain)] + Self.failureLines(failure, elapsed: elapsed)
        case .showing(let text):
            return [("", .plain)] + text.map { ($0, .plain) }
        case .probed(let summary, let failure):
            var lines: [(String, ResultKind)] = [("", .plain)]
            if let failure { lines += Self.failureLines(failure, elapsed: nil) }
            return lines + summary.map { ($0, failure == nil && $0 == summary.first ? .success : .plain) }
        default:
            return []
        }
    }

    static func failureLines(_ failure: SessionFailure, elapsed: Duration?) -> [(String, ResultKind)] {
        let after = elapsed.map { " after \($0.milliseconds) ms" } ?? ""
        var lines = [("✗ Failed at \(failure.stage.displayName)\(after): \(FormWords.inForm(failure.explanation))", ResultKind.error)]
        if let reply = failure.reply { lines.append(("  Server said: \(reply)", .plain)) }
        for suggestion in failure.suggestions { lines.append(("  Try: \(FormWords.inForm(suggestion))", .plain)) }
        return lines
    }

    /// Everything the status line and the result block say, unwrapped, for the Ctrl-O window.
    var fullTextLines: [String] {
        ["Status: " + statusText(Theme(colors: false)).0, ""] + unwrappedResultLines.map(\.0)
    }

    /// The status line: the phase, the focused field's problem, or a notice.
    func statusText(_ theme: Theme) -> (String, Style) {
        if let notice, !isSending { return (notice, theme.statusBar) }
        if let problem = fieldErrors[focus] { return ("\(focus.label): \(problem)", errorOnBar(theme)) }
        if case .idle = phase, let (first, problem) = FieldID.allCases.lazy.compactMap({ id in fieldErrors[id].map { (id, $0) } }).first {
            return ("\(first.label): \(problem)", errorOnBar(theme))
        }
        switch phase {
        case .idle, .showing:
            let server = text(.host).isEmpty ? "no server yet" : "\(text(.host)):\(text(.port)) \(security.displayName)"
            let asTheApp = appWillFail == nil ? "" : "  (as the app: F5 fails at STARTTLS after implicit TLS)"
            // Relayed mail really goes out: said first, where the eye lands.
            let relaying = relay.target.map { "Relaying for real: \(localServer ?? "") → \($0) (^Y stops)  " } ?? ""
            return (relaying + "Ready: \(server)" + asTheApp + (profileName.map { "  (profile \($0))" } ?? "") + (draftProblem == nil ? "" : "  (draft not saved)"), theme.statusBar)
        case .autoProbing:
            let typed = Int(text(.port)).flatMap { [25, 465, 587, 2525].contains($0) ? nil : $0 }
            return ("Auto-detecting: looking up the host, then trying 587, 465, 25, 2525" + (typed.map { " and \($0)" } ?? "") + " at once… (Esc cancels)", theme.statusBar)
        case .probed(_, let failure):
            // The server's reply is quoted once, in the result block ("Server said"): the bar names the kind.
            if let failure { return ("Probe failed at \(failure.stage.displayName): \(failure.kind.words)", errorOnBar(theme)) }
            return ("Probe done: see the conversation pane (PgUp scrolls)", theme.statusBar)
        case .sending(let stage, let sent, let total):
            if let count = inFlight?.count, count > 1 {
                let failed = loadOutcomes.filter { !$0.delivered }.count
                return ("Load run: \(loadOutcomes.count - failed) sent, \(failed) failed of \(count)   Esc cancels", theme.statusBar)
            }
            var text = (probeSettings == nil ? "Sending" : "Probing") + ": \(stage.displayName)…"
            if let sent, let total, total > 0 { text += " \(ByteCount.human(sent)) of \(ByteCount.human(total)) (\(sent * 100 / total)%)" }
            return (text + "   Esc cancels", theme.statusBar)
        case .cancelling:
            return ("Cancelling…", theme.statusBar)
        case .sent(let reply, _, _):
            return (reply, theme.statusBar)
        case .failed(let failure, _):
            return ("Failed at \(failure.stage.displayName): \(failure.kind.words)", errorOnBar(theme))
        }
    }

    private func errorOnBar(_ theme: Theme) -> Style {
        theme.colors ? Style(foreground: .white, background: .red, bold: true) : Style(bold: true, reverse: true)
    }

    /// The keys that work now, for the hint bar, each key once: the open window's table, else the
    /// screen's and the focused field's. F1, F10 and the way back (Esc) are always drawn.
    var hintKeys: [Hint] {
        switch overlay {
        case .profiles(let picker)?:
            if picker.naming != nil || picker.exportPath != nil { return PickerKeys.entry.hints() }
            return PickerKeys.profiles.hints { $0 != .saveExport || lastExport != nil }
        case .history?: return PickerKeys.history.hints()
        case .inbox?: return inboxHints
        case .faults?: return FaultPanelKeys.table.hints()
        case .message(let view)?: return messageViewHints(view)
        case .confirmQuit?: return WindowKeys.confirmQuit.hints()
        case .keptDrafts?: return PickerKeys.keptDrafts.hints()
        case .help?, .fullText?: return WindowKeys.scrolling.hints() + [WindowKeys.closeHint]
        case .confirmRelay?: return RelayKeys.confirm.hints()
        case .signIn(let window)?: return OAuthKeys.window.hints { ($0 == .close) == (window.failure != nil) }
        case nil: break
        }
        func hint(_ command: Command) -> Hint {
            let binding = KeyMap.binding(command)
            return (binding.keyText, binding.hint)
        }
        let tail: [Hint] = [("PgUp/PgDn", hint(.scrollUp).words), hint(.help), hint(.quit)]
        if isSending { return [hint(.cancel), hint(.fullText)] + tail }
        var keys = [hint(.send), hint(.probe)]
        switch focus {
        case .security, .auth, .quitAfter: keys += FormKeys.choice.hints()
        case .host, .port: keys.append(hint(.autoDetect))
        case .verify, .allowPartial: keys += FormKeys.toggle.hints()
        case .attachments:
            if text(.attachments).isEmpty {
                keys += [hint(.nextField)] + FormKeys.attach.hints { $0 == .select && !attachments.isEmpty }
            } else {
                keys += FormKeys.attach.hints { $0 == .add || $0 == .complete }
            }
            return keys + [hint(.profiles), hint(.history)] + tail
        case .body: keys += [hint(.bodyTab), hint(.editor)]
        case .transcript: keys += ConversationKeys.table.hints()
        case .password where usesOAuthAccount: keys += OAuthKeys.account.hints() + TextField.keys.hints()
        default: keys += TextField.keys.hints()
        }
        return keys + [hint(.nextField)] + (localServer != nil ? [hint(.inbox)] : []) + [hint(.profiles), hint(.history), hint(.preview)] + tail
    }
}

/// Advice in the form's own words: the diagnosis names command-line options, which the compose
/// screen shows as the fields that hold them.
enum FormWords {
    static let replacements: [(String, String)] = [
        ("--security starttls", "Security STARTTLS"), ("--security tls", "Security TLS"), ("--security none", "Security none"),
        ("--port ", "Port "), ("--ca-file PATH", "CA file"), ("--ca-file", "CA file"), ("--insecure", "Verify cert off"),
        ("--helo", "EHLO"), ("--timeout", "Timeout"), ("--auth auto", "Auth auto"), ("--auth", "Auth"), ("--user", "User"),
        ("--password-env", "the Password field"), ("--server", "Host"), ("--allow-partial", "Deliver if some recipients are refused"),
        ("--quit-after", "Stop after"),
    ]

    static func inForm(_ text: String) -> String {
        var out = text
        for (flag, field) in replacements { out = out.replacing(flag, with: field) }
        return out
    }
}
