import MailCore
import MailServer

/// F12 (or `f` in the inbox): the faults of the local test server, set while it runs, with the
/// stages, actions and provider presets of `serve --fault` and `--preset`.
struct FaultPanel: Equatable, Sendable {
    enum Row: Int, CaseIterable, Sendable { case preset, stage, action, value, applies }

    enum ActionKind: String, CaseIterable, Sendable {
        case reply, delay, close, hang, tlsFail = "tls-fail"
    }

    var row: Row = .stage
    /// A preset (index into `Preset.all`) instead of the stage, action and value rows.
    var preset: Int?
    var stage: SMTPStage = .rcpt
    var action: ActionKind = .reply
    /// The reply (`550 5.1.1 No such user`) or the delay's seconds.
    var value = TextField("550 5.1.1 No such user")
    /// The next message only, or every one until cleared.
    var once = true
    var message: String?

    /// The faults the panel describes, or why they cannot be.
    func faults() -> Result<[Fault], FaultError> {
        if let preset, let chosen = Preset.all[safe: preset] { return .success(chosen.faults) }
        let actionText = switch action {
        case .reply: value.text
        case .delay: "delay " + value.text
        default: action.rawValue
        }
        do throws(FaultError) {
            return .success([try Fault(parsing: "\(stage.faultWord)=\(actionText)")])
        } catch {
            return .failure(error)
        }
    }

    /// What the value row holds for an action, typed by the user or a sensible start.
    static func startingValue(for action: ActionKind) -> String {
        switch action {
        case .reply: "550 5.1.1 No such user"
        case .delay: "5"
        default: ""
        }
    }

    /// The panel's lines, for the window; the row with the focus is the selected one.
    func lines(server: String?, active: [String]) -> [WindowLine] {
        func mark(_ r: Row) -> String { r == row ? "▸ " : "  " }
        var lines: [String] = ["Faults of the local test server" + (server.map { " on \($0)" } ?? ""),
                     "In force: " + (active.isEmpty ? "none" : active.joined(separator: "; ")), ""]
        let presetName = preset.flatMap { Preset.all[safe: $0] }
        lines.append(mark(.preset) + "Preset   ‹ \(presetName?.name ?? "(none)") ›")
        if let presetName {
            lines.append("           imitates \(presetName.imitates): " + presetName.faults.map(\.description).joined(separator: "; "))
        } else {
            lines.append(mark(.stage) + "Stage    ‹ \(stage.faultWord) ›")
            lines.append(mark(.action) + "Action   ‹ \(action.rawValue) ›")
            switch action {
            case .reply: lines.append(mark(.value) + "Reply    " + (row == .value ? value.markedAtCursor : value.text))
            case .delay: lines.append(mark(.value) + "Seconds  " + (row == .value ? value.markedAtCursor : value.text))
            default: break
            }
        }
        lines.append(mark(.applies) + "Applies  ‹ \(once ? "to the next message only" : "to every message, until cleared") ›")
        // The keys are in the hint bar, from `FaultPanelKeys`.
        if let message { lines += ["", message] }
        return lines.map { WindowLine($0, selected: $0.hasPrefix("▸ ")) }
    }

    /// The rows the panel shows now: a preset hides stage, action and value; only replies and
    /// delays have a value.
    var rows: [Row] {
        if preset != nil { return [.preset, .applies] }
        return Row.allCases.filter { $0 != .value || action == .reply || action == .delay }
    }
}
