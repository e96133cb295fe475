/// SpamAssassin's verdict on a message: its score, the threshold, and each rule that hit.
public struct SpamAssassinReport: Sendable, Equatable, Codable {
    public struct Rule: Sendable, Equatable, Codable {
        public var name: String
        public var points: Double
        public var description: String
    }

    public var score: Double
    public var threshold: Double
    public var rules: [Rule]
    /// Who scored it: `spamd 127.0.0.1:783` or `spamassassin --test-mode`.
    public var source: String

    public var isSpam: Bool { score >= threshold }

    /// Reads the "Content analysis details" part that spamd's REPORT and `spamassassin -t` both
    /// print: `(2.3 points, 5.0 required)`, then the table of rules. `spamassassin -t` appends it
    /// after the message, so the last such line is the report's (the message may quote one).
    static func parse(_ text: String, source: String) -> SpamAssassinReport? {
        // "\r\n" is one Character: split on it as well as on "\n" (a CRLF message gives CRLF output).
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
        guard let detailsIndex = lines.lastIndex(where: { $0.hasPrefix("Content analysis details:") }) else { return nil }
        let details = lines[detailsIndex]
        guard let open = details.firstIndex(of: "("), let close = details[open...].firstIndex(of: ")") else { return nil }
        let words = details[details.index(after: open)..<close].split(separator: " ")
        guard words.count >= 4, let score = Double(words[0]), let threshold = Double(words[2].filter { $0 != "," }) else { return nil }
        var rules: [Rule] = []
        var inTable = false
        for line in lines[(detailsIndex + 1)...] {
            if line.hasPrefix("----") { inTable = true; continue }
            guard inTable else { continue }
            if line.trimmingSpaces.isEmpty { break }
            let fields = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
            if fields.count >= 2, let points = Double(fields[0]), fields[1].allSatisfy({ $0.isUppercase || $0.isNumber || $0 == "_" }) {
                rules.append(Rule(name: String(fields[1]), points: points, description: fields.count > 2 ? String(fields[2]).trimmingSpaces : ""))
            } else if line.first == " " || line.first == "\t", !rules.isEmpty {
                // A description that wrapped onto the next line.
                rules[rules.count - 1].description += " " + line.trimmingSpaces
            } else {
                break
            }
        }
        return SpamAssassinReport(score: score, threshold: threshold, rules: rules, source: source)
    }
}
