/// Before the domain is judged: does DNS answer at all? A resolver that is down, or one that says
/// NXDOMAIN for every name (a machine offline, a captive portal), would otherwise make a sound
/// domain look missing or broken.
extension DomainCheck {
    /// How long the second question (the root's servers) may wait, in seconds.
    static let witnessWait = 3

    /// A section saying why nothing could be checked, or nil when DNS answers.
    ///
    /// The domain's own MX is asked first. Only when that fails or says the domain does not
    /// exist is the root of DNS asked for its servers (`. NS`): every recursive resolver knows
    /// them without going out, so no answer or NXDOMAIN there means the resolver, not the domain,
    /// is at fault. A server that answers for the domain is not asked (an authoritative-only
    /// server given with --dns-server may refuse the root, and need not know it).
    func dnsUnanswered() -> Section? {
        let answer = dns.query(domain, .mx)
        let why: String
        switch answer {
        case .records, .noRecords:
            return nil
        case .noSuchDomain:
            switch dns.waitingAtMost(seconds: Self.witnessWait).query(".", .ns) {
            case .records, .noRecords:
                return nil
            case .noSuchDomain:
                why = "\(dns.displayName) answers NXDOMAIN (no such name) even for the root of DNS, so it says that of every name: this machine is probably offline, or behind a captive portal or a filter. Nothing was checked; connect, or ask another server (--dns-server 1.1.1.1)."
            case .failure(let failure):
                why = "\(dns.displayName) says \(domain) does not exist, but does not answer for the root of DNS (\(failure)), so that cannot be trusted. Nothing was checked; ask another server (--dns-server 1.1.1.1)."
            }
        case .failure(let failure):
            switch dns.waitingAtMost(seconds: Self.witnessWait).query(".", .ns) {
            case .records, .noRecords:
                // The resolver works: the domain's own DNS fails, which the MX check reports.
                return nil
            default:
                why = "\(dns.displayName) did not answer (\(failure)). Nothing was checked: this says nothing about \(domain). Check the network or the server, or ask another (--dns-server 1.1.1.1)."
            }
        }
        return Section(name: "DNS", records: ["(no usable answer from \(dns.displayName))"], findings: [Finding(verdict: .unchecked, text: why.prefix(1).uppercased() + why.dropFirst())])
    }
}
