/// "Will it land?": the sender's domain checked as receivers check it (MX, SPF, DKIM keys, DMARC,
/// the sending server's reverse DNS), each with a verdict, the record read, and what to change.
public struct DomainCheck: Sendable {
    public enum Verdict: String, Sendable, Equatable, Comparable, Codable {
        /// `unchecked`: DNS did not answer (or the time ran out), so nothing can be said either way.
        case ok, warning, unchecked, problem

        private var rank: Int {
            switch self {
            case .ok: 0
            case .warning: 1
            case .unchecked: 2
            case .problem: 3
            }
        }
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
        /// The whole check's time limit (nil: none); what it had no time for is reported unchecked.
        public var deadline: Duration?
        /// Where the MTA-STS policy is fetched instead of https://mta-sts.DOMAIN/.well-known/mta-sts.txt (tests).
        public var mtaSTSURL: String?
        /// A CA bundle trusted for the policy's HTTPS (tests); nil: the system's.
        public var caFile: String?
        public init(ips: [String] = [], provider: Provider? = nil, dkimSelectors: [String] = [], deadline: Duration? = nil,
                    mtaSTSURL: String? = nil, caFile: String? = nil) {
            self.ips = ips
            self.provider = provider
            self.dkimSelectors = dkimSelectors
            self.deadline = deadline
            self.mtaSTSURL = mtaSTSURL
            self.caFile = caFile
        }
    }

    /// The time limit of a whole check unless told otherwise.
    public static let defaultDeadline: Duration = .seconds(30)

    public let domain: String
    public private(set) var dns: any DNSResolving
    public let options: Options

    public init(domain: String, dns: any DNSResolving, options: Options = Options()) {
        self.domain = domain.lowercased().trimmingEnds(of: ".")
        self.dns = dns
        self.options = options
    }

    /// Every check, in the order a person reads them; first whether DNS answers at all, since a
    /// resolver that is down or offline would make every record look missing.
    public func run() -> [Section] {
        let budget = options.deadline.map { DNSBudget(limit: $0) }
        var check = self
        if let budget { check.dns = BudgetedResolver(dns, budget: budget) }
        if let unanswered = check.dnsUnanswered() { return [unanswered] }
        return check.sections(budget)
    }

    private func sections(_ budget: DNSBudget?) -> [Section] {
        /// A check during which the budget refused a query is reported as not checked: its
        /// findings would blame the domain for lookups that were never made.
        func checked(_ make: () -> [Section]) -> [Section] {
            let before = budget?.refused ?? 0
            let made = make()
            guard let budget, budget.refused > before else { return made }
            return made.map { Section(name: $0.name, records: $0.records, findings: [
                Finding(verdict: .unchecked, text: "Not checked: \(budget.spent ?? "the DNS budget was spent") before its lookups were done."),
            ]) }
        }
        let mxSections = checked { [mx()] }
        var outcomes: [SPFOutcome] = []
        let spfSections = checked {
            outcomes = spfOutcomes()
            return [spf(outcomes)]
        }
        let dkimSections = checked { dkim() }
        // What DMARC would see: SPF passing for a server given, keys that would verify.
        let spfChecked = spfSections.allSatisfy { $0.verdict != .unchecked }
        let spfPasses = outcomes.isEmpty || !spfChecked ? nil : outcomes.contains { $0.result == .pass }
        let goodSelectors = dkimSections.filter { $0.name.hasPrefix("DKIM ") && $0.verdict != .problem && $0.verdict != .unchecked }.map { String($0.name.dropFirst(5)) }
        let dmarcSections = checked { [dmarc(spfPasses: spfPasses, dkimSelectors: goodSelectors)] }
        let serverSections = checked { options.ips.map(serverAddress) }
        let transportSections = checked {
            let dmarc = (try? DMARCRecord.lookup(domain, dns: dns).get()).flatMap { $0 }
            return [mtaSTS(), tlsRPT(), bimi(dmarcPolicy: dmarc.map { ($0.policy, $0.percent) })]
        }
        return mxSections + spfSections + dkimSections + dmarcSections + serverSections + transportSections
    }
}
