/// The MX check: the records, their addresses, none, a null MX.
extension DomainCheck {
    static let mxNamesLooked = 10

    func mx() -> Section {
        let (records, answer) = dns.mx(domain)
        var section = Section(name: "MX", records: records.map { "\($0.preference) \($0.exchange.isEmpty ? "." : $0.exchange)" }, findings: [])
        switch answer {
        case .failure(let why):
            section.findings.append(Finding(verdict: .problem, text: "The MX lookup failed: \(why). Check the DNS server (--dns-server) and try again."))
            return section
        case .noSuchDomain:
            section.records = ["(no such domain)"]
            section.findings.append(Finding(verdict: .problem, text: "\(domain) does not exist in DNS: no one can reply to it, and receivers refuse mail from a domain that does not exist."))
            return section
        default: break
        }
        if records.isEmpty {
            section.records = ["(none)"]
            section.findings.append(Finding(verdict: .warning, text: "No MX records: mail to \(domain) goes to its A record, if any. Replies and bounces may be lost; publish an MX for the mailboxes that receive."))
            return section
        }
        if records.count == 1, records[0].exchange.isEmpty {
            section.findings.append(Finding(verdict: .warning, text: "A null MX (0 .): \(domain) says it receives no mail (RFC 7505), so replies and bounces to this sender fail. Fine for a send-only domain; otherwise publish a real MX."))
            return section
        }
        // As SPF's mx does (RFC 7208 4.6.4), at most 10 names are looked up: a domain cannot make
        // the check ask thousands of questions.
        if records.count > Self.mxNamesLooked {
            section.findings.append(Finding(verdict: .warning, text: "\(records.count) MX records: only the first \(Self.mxNamesLooked) were looked up. Senders try a few at most; keep the ones that receive."))
        }
        for record in records.prefix(Self.mxNamesLooked) {
            let (addresses, _, failure) = dns.addresses(record.exchange)
            if let failure {
                section.findings.append(Finding(verdict: .warning, text: "\(record.exchange): the address lookup failed (\(failure))."))
            } else if addresses.isEmpty {
                section.findings.append(Finding(verdict: .problem, text: "\(record.exchange) has no address (no A or AAAA): mail to that MX cannot be delivered. Fix the name or give it an address."))
            } else {
                section.records = section.records.map { $0 == "\(record.preference) \(record.exchange)" ? "\($0) (\(addresses.joined(separator: ", ")))" : $0 }
            }
        }
        if section.findings.isEmpty { section.findings.append(Finding(verdict: .ok, text: "\(records.count) MX record\(records.count == 1 ? "" : "s"), each with an address.")) }
        return section
    }
}
