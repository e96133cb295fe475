/// "Will it land?": the sender's domain checked as receivers check it (MX, SPF, DKIM keys, DMARC,
/// the sending server's reverse DNS), each with a verdict, the record read, and what to change.
public struct DomainCheck: Sendable {
    public enum Verdict: String, Sendable, Equatable, Comparable, Codable {
        case ok, warning, problem

        private var rank: Int { self == .ok ? 0 : self == .warning ? 1 : 2 }
        public static func < (a: Verdict, b: Verdict) -> Bool { a.rank < b.rank }
    }

    /// One thing found, with what to do about it.
    public struct Finding: Sendable, Equatable, Codable {
        public var verdict: Verdict
        public var text: String
    }

    /// One check: MX, SPF, DKIM for a selector, DMARC, or a server address.
    public struct Section: Sendable, Equatable, Codable {
        public var name: String
        /// The records read (as text), or what the lookup gave.
        public var records: [String]
        public var findings: [Finding]
        public var verdict: Verdict { findings.map(\.verdict).max() ?? .ok }

        public init(name: String, records: [String], findings: [Finding]) {
            self.name = name
            self.records = records
            self.findings = findings
        }
    }

    public struct Options: Sendable {
        /// Addresses of the servers that send (SPF is evaluated for each; PTR checked).
        public var ips: [String] = []
        public var provider: Provider?
        public var dkimSelectors: [String] = []
        public init(ips: [String] = [], provider: Provider? = nil, dkimSelectors: [String] = []) {
            self.ips = ips
            self.provider = provider
            self.dkimSelectors = dkimSelectors
        }
    }

    public let domain: String
    public let dns: any DNSResolving
    public let options: Options

    public init(domain: String, dns: any DNSResolving, options: Options = Options()) {
        self.domain = domain.lowercased().trimmingEnds(of: ".")
        self.dns = dns
        self.options = options
    }

    /// Every check, in the order a person reads them.
    public func run() -> [Section] {
        let outcomes = spfOutcomes()
        let spfSection = spf(outcomes)
        let dkimSections = dkim()
        // What DMARC would see: SPF passing for a server given, keys that would verify.
        let spfPasses = outcomes.isEmpty ? nil : outcomes.contains { $0.result == .pass }
        let goodSelectors = dkimSections.filter { $0.name.hasPrefix("DKIM ") && $0.verdict != .problem }.map { String($0.name.dropFirst(5)) }
        return [mx(), spfSection] + dkimSections + [dmarc(spfPasses: spfPasses, dkimSelectors: goodSelectors)] + options.ips.map(serverAddress)
    }
}
