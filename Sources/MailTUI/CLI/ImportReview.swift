import MailCore

/// The compose screen's review of an imported Flask config: where each setting came from, then
/// every finding at its file and line.
enum ImportReview {
    /// The lines for the conversation pane, or nil when nothing was imported and nothing is wrong.
    static func lines(_ resolved: ResolvedServer, state: AppState) -> [String]? {
        let imported = resolved.imported
        guard imported || !resolved.warnings.isEmpty else { return nil }
        var lines: [String] = []
        if imported {
            lines.append("Settings imported as Flask-Mail reads them, and where each came from:")
            let s = state.settings
            let shown: [(SettingOrigin.Setting, String)] = [
                (.host, s.host), (.port, String(s.effectivePort)), (.security, s.security.displayName),
                (.user, s.username ?? "(none: no login)"), (.password, state.passwordHint == nil && resolved.password == nil && resolved.passwordSource == nil ? "(none)" : "(set, not shown)"),
                (.sender, state.text(.from).isEmpty ? "(none)" : state.text(.from)), (.timeout, s.timeouts.perStepText + " s"),
            ]
            for (setting, value) in shown {
                lines.append("  " + pad(setting.label, 10) + pad(value, 30) + (resolved.origins[setting] ?? ""))
            }
        }
        lines += state.appWillFailLines(asIntended: resolved.appWillFail != nil && state.appWillFail == nil)
        let findings = resolved.findings
        if !findings.isEmpty {
            lines.append("")
            lines.append("Review of the config (\(findings.filter { $0.severity == .problem }.count) problems, \(findings.filter { $0.severity == .warning }.count) warnings):")
            for finding in findings.sorted(by: { rank($0) < rank($1) }) {
                lines.append("  " + mark(finding.severity) + " " + finding.description)
            }
        }
        let others = resolved.warnings.filter { warning in !findings.contains { $0.description == warning } }
        if !others.isEmpty {
            lines.append("")
            lines += others.map { "  ! \($0)" }
        }
        return lines
    }

    private static func rank(_ finding: FlaskFinding) -> Int {
        switch finding.severity {
        case .problem: 0
        case .warning: 1
        case .note: 2
        }
    }

    static func mark(_ severity: FlaskFinding.Severity) -> String {
        switch severity {
        case .problem: "✗"
        case .warning: "!"
        case .note: "·"
        }
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}
