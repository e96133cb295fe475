import MailCore
import MailServer

/// F12 (or `f` in the inbox): the faults of the local test server, set while it runs, with the
/// stages, actions and provider presets of `serve --fault` and `--preset`.
struct FaultPanel: Equatable, Sendable {
    enum Row: Int, CaseIterable, Sendable { case preset, stage, action, value, applies }

    enum ActionKind: String, CaseIterable, Sendable {
        case reply, delay, close, hang, tlsFail = "tls-fail"
        case throttle, greylist, bandwidth, closeAfter = "close-after"

        /// The stage it belongs at, when it has only one (chosen with it).
        var stage: SMTPStage? {
            switch self {
            case .tlsFail: .tls
            case .throttle: .mail
            case .greylist: .rcpt
            case .bandwidth, .closeAfter: .data
            default: nil
            }
        }

        /// What the value row is called, for the actions that have one.
        var valueLabel: String? {
            switch self {
            case .reply: "Reply    "
            case .delay, .greylist: "Seconds  "
            case .throttle: "Rate     "
            case .bandwidth: "Speed    "
            case .closeAfter: "Octets   "
            case .close, .hang, .tlsFail: nil
            }
        }
    }

    var row: Row = .stage
    /// A preset (index into `Preset.all`) instead of the stage, action and value rows.
    var preset: Int?
    var stage: SMTPStage = .rcpt
    var action: ActionKind = .reply
    /// The reply (`550 5.1.1 No such user`), the delay's seconds, the rate, the speed or the
    /// octets; a trailing `~30%` makes it strike with that chance.
    var value = TextField("550 5.1.1 No such user")
    /// The next message only, or every one until cleared.
    var once = true
    var message: String?

    /// The faults the panel describes, or why they cannot be.
    func faults() -> Result<[Fault], FaultError> {
        if let preset, let chosen = Preset.all[safe: preset] { return .success(chosen.faults) }
        let actionText = switch action {
        case .reply: value.text
        case .close, .hang, .tlsFail: action.rawValue
        default: action.rawValue + " " + value.text
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
        case .throttle: "10/min"
        case .greylist: "60"
        case .bandwidth: "20kB/s"
        case .closeAfter: "4096"
        case .close, .hang, .tlsFail: ""
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
            if let label = action.valueLabel {
                lines.append(mark(.value) + label + (row == .value ? value.markedAtCursor : value.text))
            }
        }
        lines.append(mark(.applies) + "Applies  ‹ \(once ? "to the next message only" : "to every message, until cleared") ›")
        // The keys are in the hint bar, from `FaultPanelKeys`.
        if let message { lines += ["", message] }
        return lines.map { WindowLine($0, selected: $0.hasPrefix("▸ ")) }
    }

    /// The rows the panel shows now: a preset hides stage, action and value; close, hang and
    /// tls-fail have no value.
    var rows: [Row] {
        if preset != nil { return [.preset, .applies] }
        return Row.allCases.filter { $0 != .value || action.valueLabel != nil }
    }
}
