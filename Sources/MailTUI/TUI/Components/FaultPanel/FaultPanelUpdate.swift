import MailCore
import MailServer

extension FaultPanel {
    /// What a key in the panel asks of the screen around it.
    enum Outcome: Equatable, Sendable {
        case stay([Effect])
        case close
        case quit
    }

    /// The panel's own update: rows, choices and the value edit here; setting faults is an effect.
    mutating func update(_ key: Key) -> Outcome {
        message = nil
        let rows = self.rows
        let position = rows.firstIndex(of: row) ?? 0
        // The value row is a text: a letter, a space or an arrow edits it.
        if row == .value, edit(key) { return .stay([]) }
        switch FaultPanelKeys.table.action(for: key) {
        case .close?: return .close
        case .quit?: return .quit
        case .previousRow?: row = rows[(position + rows.count - 1) % rows.count]
        case .nextRow?: row = rows[(position + 1) % rows.count]
        case .clearAll?: return .stay([.setFaults([], once: false)])
        case .set?:
            switch faults() {
            case .success(let faults): return .stay([.setFaults(faults, once: once)])
            case .failure(let error): message = error.reason
            }
        case .previousChoice?: change(by: -1)
        case .nextChoice?: change(by: 1)
        case nil: break
        }
        return .stay([])
    }

    /// The value row takes typing and the line editor's keys, but not the panel's own.
    private mutating func edit(_ key: Key) -> Bool {
        if case .character = key { return value.edit(key) }
        guard TextField.keys.action(for: key) != nil else { return false }
        return value.edit(key)
    }

    private mutating func change(by step: Int) {
        func cycle(_ count: Int, _ current: Int) -> Int { (current + step + count) % count }
        switch row {
        case .preset:
            // (none), then each preset.
            let index = cycle(Preset.all.count + 1, (preset ?? -1) + 1)
            preset = index == 0 ? nil : index - 1
        case .stage:
            let all = SMTPStage.allCases
            stage = all[cycle(all.count, all.firstIndex(of: stage) ?? 0)]
        case .action:
            let all = ActionKind.allCases
            action = all[cycle(all.count, all.firstIndex(of: action) ?? 0)]
            value = TextField(FaultPanel.startingValue(for: action))
            if let only = action.stage { stage = only }
        case .applies:
            once.toggle()
        case .value:
            break
        }
    }
}
