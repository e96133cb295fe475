/// The DMARC check: the domain's or the organisational domain's record, and whether mail can pass.
extension DomainCheck {
    func dmarc(spfPasses: Bool? = nil, dkimSelectors: [String] = []) -> Section {
        var (texts, answer, _) = dns.texts("_dmarc.\(domain)")
        var at = "_dmarc.\(domain)"
        let organisational = DMARCRecord.organisationalDomain(domain)
        if texts.filter(DMARCRecord.isDMARC).isEmpty, organisational != domain {
            (texts, answer, _) = dns.texts("_dmarc.\(organisational)")
            at = "_dmarc.\(organisational)"
        }
        let records = texts.filter(DMARCRecord.isDMARC)
        var section = Section(name: "DMARC", records: records.map { "\(at): \"\($0)\"" }, findings: [])
        if case .failure(let why) = answer {
            section.findings.append(Finding(verdict: .problem, text: "The lookup of \(at) failed: \(why)."))
            return section
        }
        guard !records.isEmpty else {
            section.records = ["(none at _dmarc.\(domain)" + (organisational != domain ? " or _dmarc.\(organisational)" : "") + ")"]
            section.findings.append(Finding(verdict: .problem, text: "No DMARC record: since 2024 Gmail and Yahoo require one from bulk senders. Start with \"v=DMARC1; p=none; rua=mailto:dmarc@\(domain)\" at _dmarc.\(domain), read the reports, then move to quarantine or reject."))
            return section
        }
        if records.count > 1 {
            section.findings.append(Finding(verdict: .problem, text: "\(records.count) DMARC records: receivers then apply none of them. Keep one."))
            return section
        }
        switch DMARCRecord.parse(records[0]) {
        case .failure(let error):
            section.findings.append(Finding(verdict: .problem, text: "Not a valid DMARC record: \(error)."))
        case .success(let record):
            for problem in record.problems { section.findings.append(Finding(verdict: .warning, text: problem + ".")) }
            switch record.policy {
            case "none":
                section.findings.append(Finding(verdict: .warning, text: "p=none: receivers only report; mail that fails SPF and DKIM is still delivered, and anyone can send as \(domain). Move to quarantine, then reject, once the reports are clean."))
            case "quarantine":
                section.findings.append(Finding(verdict: .ok, text: "p=quarantine: mail that fails goes to spam."))
            default:
                section.findings.append(Finding(verdict: .ok, text: "p=reject: mail that fails is refused."))
            }
            if record.percent < 100 {
                section.findings.append(Finding(verdict: .warning, text: "pct=\(record.percent): receivers that still honour pct apply the policy to \(record.percent)% of failing mail only; RFC 9989 dropped pct, so others apply it to all."))
            }
            if record.aggregateReports.isEmpty { section.findings.append(Finding(verdict: .warning, text: "No rua=: no aggregate reports, so you cannot see who sends as \(domain). Add rua=mailto:... .")) }
            let strict = [record.spfAlignment == "s" ? "SPF" : nil, record.dkimAlignment == "s" ? "DKIM" : nil].compactMap { $0 }
            section.findings.append(Finding(verdict: .ok, text: "Alignment: SPF \(record.spfAlignment == "s" ? "strict" : "relaxed"), DKIM \(record.dkimAlignment == "s" ? "strict" : "relaxed"). "
                + "A From address at \(domain) aligns with SPF when the envelope sender is at \(strict.contains("SPF") ? domain : "\(organisational) or a subdomain") and SPF passes, and with DKIM when the signature's d= is \(strict.contains("DKIM") ? domain : "\(organisational) or a subdomain") and verifies."))
            // With what was found above: would DMARC pass for mail from this domain?
            let viaSPF = spfPasses == true
            let viaDKIM = !dkimSelectors.isEmpty
            if spfPasses != nil || viaDKIM {
                var ways: [String] = []
                if viaSPF { ways.append("SPF (the server given passes, with the envelope sender at \(domain))") }
                if viaDKIM { ways.append("DKIM (signed with d=\(domain) and s=\(dkimSelectors.joined(separator: " or s=")))") }
                if ways.isEmpty {
                    section.findings.append(Finding(verdict: .problem, text: "With what is published, mail from \(domain) through the server given fails DMARC: SPF does not pass for it and no DKIM key checked here verifies. Fix SPF or sign with DKIM."))
                } else {
                    section.findings.append(Finding(verdict: .ok, text: "Mail from \(domain) can pass DMARC through " + ways.joined(separator: " and ") + "."))
                }
            }
        }
        return section
    }
}
