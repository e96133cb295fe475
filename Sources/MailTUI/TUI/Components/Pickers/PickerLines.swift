import MailCore

/// What the pickers' windows show (their keys are in the hint bar, from `PickerKeys`).
extension ProfilePicker {
    /// F8's lines, and the first one to show so that the selected row is in view.
    func lines(_ state: AppState) -> ([WindowLine], top: Int) {
        var top = 0
        var list = [WindowLine("Profiles (config.toml, profiles.toml)"), WindowLine("")]
        func row(_ text: String, _ index: Int) -> WindowLine { WindowLine((index == selected ? "▸ " : "  ") + text, selected: index == selected) }
        if profiles.isEmpty { list.append(WindowLine("No profiles yet: press s to save the form as one.")) }
        for (index, p) in profiles.enumerated() {
            list.append(row("\(p.name)  \(p.settings.host):\(p.settings.effectivePort) \(p.settings.security.displayName)" + (p.settings.username.map { " as \($0)" } ?? ""), index))
        }
        if state.localServerAllowed {
            list.append(row("Local test server  " + (state.localServer.map { "\($0) STARTTLS, in this screen" } ?? "starts on 127.0.0.1:2525, mail stays on this machine"),
                            profiles.count))
        }
        list += [WindowLine(""), WindowLine("Provider presets (Enter sets host, port and security)")]
        let firstProvider = profiles.count + (state.localServerAllowed ? 1 : 0)
        for (index, provider) in Provider.catalogue.enumerated() {
            if firstProvider + index == selected { top = max(0, list.count - (state.height - 10)) }
            list.append(row(provider.name + "  \(provider.host):\(provider.port) \(provider.security.displayName)", firstProvider + index))
        }
        var foot: [String] = []
        if let naming { foot.append("Save the form as: \(naming.markedAtCursor)") }
        if let exportPath { foot.append("Save the \(state.lastExport?.format.rawValue ?? "") export to: \(exportPath.markedAtCursor)") }
        if let message { foot.append(message) }
        if !foot.isEmpty { list += [WindowLine("")] + foot.map { WindowLine($0) } }
        return (list, top)
    }
}

extension HistoryPicker {
    /// F9's lines: the entries around the selected one.
    var lines: [WindowLine] {
        var list = [WindowLine("History (newest first)"), WindowLine("")]
        if entries.isEmpty { list.append(WindowLine("No sends or probes yet.")) }
        let window = max(0, selected - 12)
        for (index, entry) in entries.enumerated().dropFirst(window).prefix(14) {
            list.append(WindowLine((index == selected ? "▸ " : "  ") + HistoryRow.text(entry), selected: index == selected))
        }
        return list
    }
}
