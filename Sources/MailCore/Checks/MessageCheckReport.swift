extension MessageCheck {
    /// The report for people: one block per area, each finding marked ✓ (ok), · (info),
    /// ! (warning), ? (not checked) or ✗ (problem), and what to change under it. Everything here
    /// may quote the message (anyone's to write): each line is made safe for the terminal.
    public static func report(_ name: String, _ findings: [Finding]) -> [String] {
        var lines = ["Checking \(name)"]
        for area in Area.allCases {
            let inArea = findings.filter { $0.area == area }
            guard !inArea.isEmpty else { continue }
            lines.append("")
            let verdict = inArea.map(\.verdict).max() ?? .ok
            lines.append(area.title + "  " + (verdict == .info ? "OK" : verdict.rawValue.uppercased()))
            for finding in inArea {
                let mark = switch finding.verdict {
                case .ok: "✓"
                case .info: "·"
                case .warning: "!"
                case .unchecked: "?"
                case .problem: "✗"
                }
                lines.append("  \(mark) \(finding.text)")
                if let fix = finding.fix { lines.append("    → \(fix)") }
            }
        }
        lines.append("")
        let problems = Area.allCases.filter { area in findings.contains { $0.area == area && $0.verdict == .problem } }
        if problems.isEmpty {
            lines.append("No problems found" + (findings.contains { $0.verdict == .warning } ? " (see the warnings)." : "."))
        } else {
            let count = findings.filter { $0.verdict == .problem }.count
            lines.append("\(count) problem\(count == 1 ? "" : "s"): \(problems.map(\.title).joined(separator: ", ")).")
        }
        return lines.map { TerminalSanitizer.sanitize($0, maxLength: 4000) }
    }
}
