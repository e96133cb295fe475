#if canImport(Glibc)
import Glibc
#endif

extension DomainCheck {
    /// The report for people: one block per check, its records, and each finding marked
    /// ✓ (ok), ! (warning), ? (not checked) or ✗ (problem). Records come from DNS, anyone's to
    /// write: every line is made safe for the terminal, a line break in a record shown as `\n`,
    /// so a record cannot forge a line of the report.
    public static func report(_ domain: String, _ sections: [Section], dnsServer: String?) -> [String] {
        reportLines(domain, sections, dnsServer: dnsServer).map { TerminalSanitizer.sanitize($0, maxLength: Int.max) }
    }

    private static func reportLines(_ domain: String, _ sections: [Section], dnsServer: String?) -> [String] {
        var lines = ["Checking \(domain)" + (dnsServer.map { " (DNS: \($0))" } ?? "")]
        for section in sections {
            lines.append("")
            let name = section.name.count >= 14 ? section.name + " " : section.name + String(repeating: " ", count: 14 - section.name.count)
            lines.append(name + section.verdict.rawValue.uppercased())
            for record in section.records { lines.append("  " + record) }
            for finding in section.findings {
                let mark = switch finding.verdict {
                case .ok: "✓"
                case .warning: "!"
                case .unchecked: "?"
                case .problem: "✗"
                }
                lines.append("  \(mark) \(finding.text)")
            }
        }
        let problems = sections.filter { $0.verdict == .problem }.map(\.name)
        lines.append("")
        let unchecked = sections.filter { $0.verdict == .unchecked }.map(\.name)
        if !problems.isEmpty { lines.append("Problems: \(problems.joined(separator: ", ")).") }
        if unchecked.count == sections.count {
            lines.append("Nothing could be checked: DNS gave no usable answer.")
        } else if !unchecked.isEmpty {
            lines.append("Not checked: \(unchecked.joined(separator: ", ")) (DNS gave no usable answer or the time ran out)" + (problems.isEmpty ? "; no problems in what was checked." : "."))
        }
        if problems.isEmpty && unchecked.isEmpty { lines.append("No problems found.") }
        return lines
    }
}
