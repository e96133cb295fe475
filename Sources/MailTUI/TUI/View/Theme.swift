import MailCore

/// The styles of every element, in colour or (with NO_COLOR or a monochrome terminal) with
/// attributes only.
struct Theme {
    let colors: Bool

    func c(_ color: Color, bold: Bool = false, dim: Bool = false) -> Style {
        colors ? Style(foreground: color, bold: bold, dim: dim) : Style(bold: bold, dim: dim)
    }

    var rule: Style { colors ? Style(foreground: .blue) : Style(dim: true) }
    var ruleTitle: Style { c(.blue, bold: true) }
    var label: Style { colors ? Style(foreground: .cyan) : .plain }
    var focusedLabel: Style { c(.yellow, bold: true) }
    var value: Style { .plain }
    var focusedValue: Style { Style(reverse: true) }
    var activeTab: Style { Style(bold: true, underline: true) }
    var error: Style { c(.red, bold: true) }
    var warning: Style { c(.yellow, bold: true) }
    var success: Style { c(.green, bold: true) }
    var time: Style { Style(dim: true) }
    var marker: Style { c(.white, bold: true) }
    var tls: Style { c(.magenta, bold: true) }
    var statusBar: Style { colors ? Style(foreground: .black, background: .cyan) : Style(reverse: true) }
    var hintKey: Style { Style(bold: true, reverse: true) }
    var hintText: Style { .plain }
    var overlay: Style { colors ? Style(foreground: .white, background: .blue) : Style(reverse: true) }

    func placeholder(_ base: Style) -> Style {
        var style = base
        style.dim = true
        return style
    }

    func style(for line: TranscriptLine) -> Style {
        switch line.speaker {
        case .client: return c(.cyan)
        case .server: return line.text.first == "4" || line.text.first == "5" ? c(.yellow, bold: true) : c(.green)
        case .note: return Style(dim: true)
        case .error: return error
        }
    }
}

/// What a line of the result block is.
enum ResultKind { case success, error, plain }

extension AppState {
    /// The result of the last send, shown under the conversation: the server's final reply, or the
    /// failure with the stage, the server's words and what to try.
    var resultLines: [(String, ResultKind)] {
        let width = max(20, Layout(width: width, height: height).transcript.width - 2)
        return unwrappedResultLines.flatMap { line, kind in
            TextWrap.wrap(line, width: width).map { ($0, kind) }
        }
    }

    private var unwrappedResultLines: [(String, ResultKind)] {
        switch phase {
        case .sent(let reply, let elapsed, let refused):
            var lines = [("", ResultKind.plain), ("✓ Sent in \(elapsed.milliseconds) ms: \(reply)", .success)]
            if !refused.isEmpty { lines.append(("  refused: " + refused.joined(separator: "; "), .error)) }
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
        var lines = [("✗ Failed at \(failure.stage.displayName)\(after): \(failure.explanation)", ResultKind.error)]
        if let reply = failure.reply { lines.append(("  Server said: \(reply)", .plain)) }
        for suggestion in failure.suggestions { lines.append(("  Try: \(suggestion)", .plain)) }
        return lines
    }


    /// The status line: the phase, the focused field's problem, or a notice.
    func statusText(_ theme: Theme) -> (String, Style) {
        if let notice, !isSending { return (notice, theme.statusBar) }
        if let problem = fieldErrors[focus] { return ("\(focus.label): \(problem)", errorOnBar(theme)) }
        switch phase {
        case .idle:
            let server = text(.host).isEmpty ? "no server yet" : "\(text(.host)):\(text(.port)) \(security.displayName)"
            return ("Ready: \(server)" + (profileName.map { "  (profile \($0))" } ?? "") + (draftProblem == nil ? "" : "  (draft not saved)"), theme.statusBar)
        case .showing:
            return ("Ready: \(text(.host)):\(text(.port)) \(security.displayName)" + (profileName.map { "  (profile \($0))" } ?? ""), theme.statusBar)
        case .autoProbing:
            return ("Auto-detecting: trying 587, 465, 25 and 2525 at once…", theme.statusBar)
        case .probed(_, let failure):
            if let failure { return ("Probe failed at \(failure.stage.displayName): \(failure.reply.map(\.description) ?? failure.explanation)", errorOnBar(theme)) }
            return ("Probe done: see the conversation pane (PgUp scrolls)", theme.statusBar)
        case .sending(let stage, let sent, let total):
            var text = (probeSettings == nil ? "Sending" : "Probing") + ": \(stage.displayName)…"
            if let sent, let total, total > 0 { text += " \(ByteCount.human(sent)) of \(ByteCount.human(total)) (\(sent * 100 / total)%)" }
            return (text + "   Esc cancels", theme.statusBar)
        case .cancelling:
            return ("Cancelling…", theme.statusBar)
        case .sent(let reply, _, _):
            return ("Sent: \(reply)", theme.statusBar)
        case .failed(let failure, _):
            return ("Failed at \(failure.stage.displayName): \(failure.reply.map(\.description) ?? failure.explanation)", errorOnBar(theme))
        }
    }

    private func errorOnBar(_ theme: Theme) -> Style {
        theme.colors ? Style(foreground: .white, background: .red, bold: true) : Style(bold: true, reverse: true)
    }

    /// The keys that matter now, for the hint bar.
    var hintKeys: [(String, String)] {
        switch overlay {
        case .profiles(let picker)?:
            if picker.naming != nil || picker.exportPath != nil { return [("Enter", "Save"), ("Esc", "Back")] }
            return [("↑↓", "Select"), ("Enter", "Load"), ("s", "Save form as"), ("e", "Export")] + (lastExport != nil ? [("w", "Save export")] : []) + [("Esc", "Close")]
        case .history?: return [("↑↓", "Select"), ("Enter", "Re-open in the form"), ("Esc", "Close")]
        case .confirmQuit?: return [("y", "Quit"), ("n", "Stay")]
        case .help?: return [("any key", "close")]
        case nil: break
        }
        var keys: [(String, String)] = []
        if isSending { keys.append(("Esc", "Cancel")) } else { keys += [("F5", "Send"), ("F6", "Probe")] }
        switch focus {
        case .security, .auth, .quitAfter: keys.append(("←→", "Change"))
        case .host, .port: keys.append(("F7", "Auto-detect"))
        case .verify, .allowPartial: keys.append(("Space", "Toggle"))
        case .attachments: keys += [("Enter", "Add"), ("Tab", "Complete"), ("Del", "Remove"), ("^N", "Select")]
        case .body: keys += [("F3", "Text/HTML/Headers"), ("F4", "$EDITOR")]
        case .transcript: keys += [("↑↓ PgUp/PgDn", "Scroll"), ("End", "Follow")]
        default: keys.append(("^U ^K ^W", "Edit"))
        }
        keys += [("Tab", "Next"), ("F8", "Profiles"), ("F9", "History"), ("PgUp/PgDn", "Conversation"), ("F1", "Help"), ("F10", "Quit")]
        return keys
    }
}

/// The F1 screen: every key.
enum HelpText {
    static let lines = [
        "mailtui keys",
        "",
        "F5 / Ctrl-S     send                     Esc        cancel a running send",
        "F6 / Ctrl-P     probe the server         F7         auto-detect port and security",
        "Tab / Shift-Tab next / previous field    ↑ ↓        previous / next field",
        "F3 / Ctrl-T     body: Text, HTML, Headers F4        edit the body in $EDITOR",
        "PgUp / PgDn     scroll the conversation  Ctrl-L     repaint",
        "F8              profiles: load, save, export   F9   history: re-open a send",
        "F1              this help                F10/Ctrl-Q quit (the draft is kept)",
        "",
        "In text fields: ← → Home End, Backspace Delete, Ctrl-A Ctrl-E,",
        "  Ctrl-U (to start) Ctrl-K (to end) Ctrl-W (word). Addresses: comma-separated.",
        "Security / Auth: ← → or Space to change. The port follows the security",
        "  choice (25 / 587 / 465) until you type one.",
        "Attach: type a path, Tab completes, Enter adds, Delete removes, Ctrl-N selects.",
        "Stop after: run the session up to a stage (e.g. RCPT TO) and deliver nothing.",
        "Conversation: -> sent, <- received, ~> <~ inside TLS. Passwords never shown.",
        "",
        "The form (not the password) is saved as a draft as you type.",
    ]
}

/// Word wrapping by display width; continuation lines are indented by two columns.
enum TextWrap {
    static func wrap(_ text: String, width: Int) -> [String] {
        guard DisplayWidth.of(text) > width, width > 10 else { return [text] }
        let leading = String(text.prefix(while: { $0 == " " }))
        let indent = leading + "  "
        var lines: [String] = []
        var current = leading
        // Runs of spaces inside the text (aligned columns) are kept: empty pieces are extra spaces.
        for word in text.dropFirst(leading.count).split(separator: " ", omittingEmptySubsequences: false) {
            let atLineStart = current == leading || current == indent
            if atLineStart && word.isEmpty && current == indent { continue }
            let addition = (atLineStart ? "" : " ") + word
            if !atLineStart && !word.isEmpty && DisplayWidth.of(current) + DisplayWidth.of(addition) > width {
                lines.append(current)
                current = indent + word
            } else {
                current += addition
            }
        }
        lines.append(current)
        return lines
    }
}
