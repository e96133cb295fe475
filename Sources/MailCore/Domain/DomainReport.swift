#if canImport(Glibc)
import Glibc
#endif

extension DomainCheck {
    /// The report for people: one block per check, its records, and each finding marked
    /// ✓ (ok), ! (warning) or ✗ (problem).
    public static func report(_ domain: String, _ sections: [Section], dnsServer: String?) -> [String] {
        var lines = ["Checking \(domain)" + (dnsServer.map { " (DNS: \($0))" } ?? "")]
        for section in sections {
            lines.append("")
            let name = section.name.count >= 14 ? section.name + " " : section.name + String(repeating: " ", count: 14 - section.name.count)
            lines.append(name + section.verdict.rawValue.uppercased())
            for record in section.records { lines.append("  " + record) }
            for finding in section.findings {
                let mark = finding.verdict == .ok ? "✓" : finding.verdict == .warning ? "!" : "✗"
                lines.append("  \(mark) \(finding.text)")
            }
        }
        let problems = sections.filter { $0.verdict == .problem }.map(\.name)
        lines.append("")
        lines.append(problems.isEmpty ? "No problems found." : "Problems: \(problems.joined(separator: ", ")).")
        return lines
    }
}
