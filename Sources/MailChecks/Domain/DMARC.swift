/// A DMARC record (`v=DMARC1; p=reject; rua=mailto:...`, RFC 7489 section 6.3), parsed.
public struct DMARCRecord: Sendable, Equatable {
    public var tags: [String: String]
    /// Tags that are not DMARC's, or values it does not take, in words.
    public var problems: [String]

    /// none, quarantine or reject; a missing p= counts as none (RFC 9989).
    public var policy: String { tags["p"]?.lowercased() ?? "none" }
    /// For subdomains: sp=, else the domain's policy.
    public var subdomainPolicy: String {
        tags["sp"].map { $0.lowercased() }.flatMap { Self.policies.contains($0) ? $0 : nil } ?? policy
    }
    public var percent: Int { tags["pct"].flatMap { Int($0) }.map { min(100, max(0, $0)) } ?? 100 }
    /// DKIM alignment: relaxed (`r`, the default, also for a value that is not r or s) or strict (`s`).
    public var dkimAlignment: String { tags["adkim"]?.lowercased() == "s" ? "s" : "r" }
    public var spfAlignment: String { tags["aspf"]?.lowercased() == "s" ? "s" : "r" }

    static let policies: Set<String> = ["none", "quarantine", "reject"]
    public var aggregateReports: [String] { (tags["rua"] ?? "").split(separator: ",").map { $0.trimmingSpaces }.filter { !$0.isEmpty } }

    public static func isDMARC(_ text: String) -> Bool {
        // The tag name is case-insensitive (an ABNF literal), the value DMARC1 is not.
        let compact = text.filter { !$0.isWhitespace }
        guard let first = compact.first, first == "v" || first == "V" else { return false }
        let rest = compact.dropFirst()
        return rest.hasPrefix("=DMARC1;") || rest == "=DMARC1"
    }

    public static func parse(_ text: String) -> Result<DMARCRecord, DKIMRecordError> {
        let pairs: [(name: String, value: String)]
        switch TagList.parse(text) {
        case .success(let p): pairs = p
        case .failure(let error): return .failure(error)
        }
        var tags: [String: String] = [:]
        var problems: [String] = []
        // Tag names are case-insensitive here (ABNF literals), unlike DKIM signatures'.
        let order = pairs.map { $0.name.lowercased() }
        for (name, (_, value)) in zip(order, pairs) {
            if tags[name] != nil { problems.append("the tag \(name) appears twice") }
            tags[name] = value
        }
        guard order.first == "v", tags["v"] == "DMARC1" else { return .failure(DKIMRecordError(reason: "the record must start with v=DMARC1")) }
        if let p = tags["p"]?.lowercased() {
            if !policies.contains(p) { return .failure(DKIMRecordError(reason: "p=\(p) is not none, quarantine or reject")) }
            if order.count > 1, order[1] != "p" { problems.append("p= should come right after v=DMARC1") }
        } else {
            problems.append("no p= (the policy): RFC 7489 requires one, and RFC 9989 reads a missing p= as none")
        }
        if let sp = tags["sp"]?.lowercased(), !["none", "quarantine", "reject"].contains(sp) { problems.append("sp=\(sp) is not none, quarantine or reject") }
        if let pct = tags["pct"], !(Int(pct).map { (0...100).contains($0) } ?? false) { problems.append("pct=\(pct) is not 0 to 100") }
        for tag in ["adkim", "aspf"] {
            guard let mode = tags[tag], !["r", "s"].contains(mode.lowercased()) else { continue }
            problems.append("\(tag)=\(mode) is not r or s: receivers use the default, r")
        }
        for uri in (tags["rua"] ?? "").split(separator: ",") + (tags["ruf"] ?? "").split(separator: ",") where !uri.trimmingSpaces.lowercased().hasPrefix("mailto:") {
            problems.append("report address \(uri.trimmingSpaces) is not a mailto: URI")
        }
        let known: Set<String> = ["v", "p", "sp", "pct", "rua", "ruf", "adkim", "aspf", "fo", "rf", "ri", "np", "psd", "t"]
        for name in order where !known.contains(name) { problems.append("\(name)= is not a DMARC tag") }
        return .success(DMARCRecord(tags: tags, problems: problems))
    }

    /// The organisational domain, approximately: the last two labels, or three under a two-letter
    /// country code's second level (example.co.uk). No public suffix list is at hand.
    public static func organisationalDomain(_ domain: String) -> String {
        let labels = domain.lowercased().split(separator: ".")
        guard labels.count > 2, let top = labels.last else { return labels.joined(separator: ".") }
        let secondLevels: Set<String> = ["co", "com", "org", "net", "ac", "gov", "edu", "ne", "or"]
        let keep = top.count == 2 && secondLevels.contains(String(labels[labels.count - 2])) ? 3 : 2
        return labels.suffix(keep).joined(separator: ".")
    }
}
