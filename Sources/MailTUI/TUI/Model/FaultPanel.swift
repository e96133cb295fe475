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

    /// The panel's lines, for the window.
    func lines(server: String?, active: [String]) -> [String] {
        func mark(_ r: Row) -> String { r == row ? "▸ " : "  " }
        var lines = ["Faults of the local test server" + (server.map { " on \($0)" } ?? ""),
                     "In force: " + (active.isEmpty ? "none" : active.joined(separator: "; ")), ""]
        let presetName = preset.flatMap { Preset.all[safe: $0] }
        lines.append(mark(.preset) + "Preset   ‹ \(presetName?.name ?? "(none)") ›")
        if let presetName {
            lines.append("           imitates \(presetName.imitates): " + presetName.faults.map(\.description).joined(separator: "; "))
        } else {
            lines.append(mark(.stage) + "Stage    ‹ \(stage.faultWord) ›")
            lines.append(mark(.action) + "Action   ‹ \(action.rawValue) ›")
            switch action {
            case .reply: lines.append(mark(.value) + "Reply    " + value.text + (row == .value ? "▏" : ""))
            case .delay: lines.append(mark(.value) + "Seconds  " + value.text + (row == .value ? "▏" : ""))
            default: break
            }
        }
        lines.append(mark(.applies) + "Applies  ‹ \(once ? "to the next message only" : "to every message, until cleared") ›")
        lines.append("")
        if let message { lines += [message, ""] }
        lines.append("Enter set · Ctrl-X clear all · ↑↓ row · ←→ Space change · Esc close")
        return lines
    }

    /// The rows the panel shows now: a preset hides stage, action and value; only replies and
    /// delays have a value.
    var rows: [Row] {
        if preset != nil { return [.preset, .applies] }
        return Row.allCases.filter { $0 != .value || action == .reply || action == .delay }
    }
}

extension AppState {
    mutating func handle(_ key: Key, in panel: FaultPanel) -> [Effect] {
        var panel = panel
        panel.message = nil
        var effects: [Effect] = []
        let rows = panel.rows
        let position = rows.firstIndex(of: panel.row) ?? 0
        func cycle<T>(_ all: [T], _ current: Int, _ step: Int) -> Int { (current + step + all.count) % all.count }
        var step: Int?
        switch key {
        case .right: step = 1
        case .left: step = -1
        case .character(" ") where panel.row != .value: step = 1
        default: break
        }
        switch key {
        case .escape, .function(12):
            overlay = nil
            return []
        case .up, .backTab: panel.row = rows[(position + rows.count - 1) % rows.count]
        case .down, .tab: panel.row = rows[(position + 1) % rows.count]
        case .control("x"):
            effects = [.setFaults([], once: false)]
        case .enter:
            switch panel.faults() {
            case .success(let faults):
                effects = [.setFaults(faults, once: panel.once)]
            case .failure(let error):
                panel.message = error.reason
            }
        case _ where step != nil && panel.row != .value:
            let step = step ?? 1
            switch panel.row {
            case .preset:
                // (none), then each preset.
                let index = cycle(Array(0...Preset.all.count), (panel.preset ?? -1) + 1, step)
                panel.preset = index == 0 ? nil : index - 1
            case .stage:
                panel.stage = SMTPStage.allCases[cycle(SMTPStage.allCases, SMTPStage.allCases.firstIndex(of: panel.stage) ?? 0, step)]
            case .action:
                panel.action = FaultPanel.ActionKind.allCases[cycle(FaultPanel.ActionKind.allCases, FaultPanel.ActionKind.allCases.firstIndex(of: panel.action) ?? 0, step)]
                panel.value = TextField(FaultPanel.startingValue(for: panel.action))
                if panel.action == .tlsFail { panel.stage = .tls }
            case .applies:
                panel.once.toggle()
            case .value:
                break
            }
        default:
            if panel.row == .value { _ = panel.value.edit(key) }
        }
        overlay = .faults(panel)
        return effects
    }
}
