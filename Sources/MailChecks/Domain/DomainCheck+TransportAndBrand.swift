/// The domain's transport security and brand records: MTA-STS (RFC 8461: the `_mta-sts` TXT
/// record and the policy over HTTPS, checked against the MX records), TLS-RPT (RFC 8460:
/// `_smtp._tls`) and BIMI (`default._bimi`, which needs DMARC at quarantine or reject).
extension DomainCheck {
    func mtaSTS() -> Section {
        let name = "_mta-sts.\(domain)"
        let (texts, answer, _) = dns.texts(name)
        let records = texts.filter { $0.hasPrefix("v=STSv1") }
        var section = Section(name: "MTA-STS", records: records.map { "\(name): \"\($0)\"" }, findings: [])
        if case .failure(let why) = answer {
            section.findings.append(Finding(verdict: .unchecked, text: "The lookup of \(name) failed: \(why)."))
            return section
        }
        guard !records.isEmpty else {
            section.records = ["(none at \(name))"]
            section.findings.append(Finding(verdict: .warning, text: "No MTA-STS record: senders may deliver to \(domain) without TLS or over a forged certificate. Publish a policy at https://mta-sts.\(domain)/.well-known/mta-sts.txt and \"v=STSv1; id=20260101\" at \(name)."))
            return section
        }
        if records.count > 1 {
            section.findings.append(Finding(verdict: .problem, text: "\(records.count) MTA-STS records: senders then ignore MTA-STS (RFC 8461 3.1). Keep one."))
            return section
        }
        let tags = records[0].split(separator: ";").map { $0.trimmingSpaces }
        if let id = tags.first(where: { $0.hasPrefix("id=") })?.dropFirst(3), !id.isEmpty, id.count <= 32, id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) {
            section.findings.append(Finding(verdict: .ok, text: "The record's id is \(id): change it whenever the policy changes."))
        } else {
            section.findings.append(Finding(verdict: .problem, text: "The record has no valid id= (1 to 32 letters or digits): senders cannot tell when the policy changes."))
        }
        let url = options.mtaSTSURL ?? "https://mta-sts.\(domain)/.well-known/mta-sts.txt"
        section.records.append("policy: \(url)")
        switch HTTPSFetch.get(url, caFile: options.caFile) {
        case .failure(.tooLarge(let limit)):
            section.findings.append(Finding(verdict: .problem, text: "The policy at \(url) is over \(ByteCount.human(limit)): senders give up on it."))
        case .failure(.transfer(_, let words)):
            section.findings.append(Finding(verdict: .problem, text: "The policy could not be fetched from \(url) (\(words)): senders then do not apply MTA-STS. Serve it over HTTPS with a certificate valid for mta-sts.\(domain)."))
        case .success(let response) where response.status != 200:
            section.findings.append(Finding(verdict: .problem, text: "\(url) answered HTTP \(response.status), not 200 with the policy (redirects are not followed, RFC 8461 3.3)."))
        case .success(let response):
            if let type = response.contentType, !type.lowercased().hasPrefix("text/plain") {
                section.findings.append(Finding(verdict: .warning, text: "The policy is served as \(type); RFC 8461 wants text/plain."))
            }
            let policy = MTASTSPolicy(parsing: String(decoding: response.body, as: UTF8.self))
            for line in String(decoding: response.body, as: UTF8.self).split(whereSeparator: \.isNewline).prefix(20) { section.records.append("  " + line) }
            for problem in policy.problems { section.findings.append(Finding(verdict: .problem, text: "The policy: \(problem).")) }
            switch policy.mode {
            case "enforce": section.findings.append(Finding(verdict: .ok, text: "mode: enforce: senders deliver only over TLS to an MX the policy names."))
            case "testing": section.findings.append(Finding(verdict: .warning, text: "mode: testing: senders report failures (TLS-RPT) but deliver anyway. Move to enforce once the reports are clean."))
            case "none": section.findings.append(Finding(verdict: .warning, text: "mode: none: the policy is withdrawn."))
            default: break
            }
            if let maxAge = policy.maxAge, maxAge < 86400, policy.mode == "enforce" {
                section.findings.append(Finding(verdict: .warning, text: "max_age \(maxAge): under a day, senders forget the policy quickly; use a week or more (604800)."))
            }
            let exchanges = dns.mx(domain).records.map(\.exchange).filter { !$0.isEmpty }
            let unmatched = exchanges.filter { host in !policy.mx.contains { MTASTSPolicy.matches(host, pattern: $0) } }
            if !policy.mx.isEmpty, !exchanges.isEmpty {
                if unmatched.isEmpty {
                    section.findings.append(Finding(verdict: .ok, text: "Every MX (\(exchanges.joined(separator: ", "))) matches an mx: line of the policy."))
                } else {
                    section.findings.append(Finding(verdict: .problem, text: "MX \(unmatched.joined(separator: ", ")) matches no mx: line of the policy (\(policy.mx.joined(separator: ", "))): in enforce mode senders refuse to deliver there. Add it to the policy."))
                }
            }
        }
        return section
    }

    func tlsRPT() -> Section {
        let name = "_smtp._tls.\(domain)"
        let (texts, answer, _) = dns.texts(name)
        let records = texts.filter { $0.hasPrefix("v=TLSRPTv1") }
        var section = Section(name: "TLS-RPT", records: records.map { "\(name): \"\($0)\"" }, findings: [])
        if case .failure(let why) = answer {
            section.findings.append(Finding(verdict: .unchecked, text: "The lookup of \(name) failed: \(why)."))
            return section
        }
        guard records.count == 1 else {
            section.records = records.isEmpty ? ["(none at \(name))"] : section.records
            section.findings.append(records.isEmpty
                ? Finding(verdict: .warning, text: "No TLS-RPT record: you will not hear when senders fail to deliver to \(domain) over TLS. Publish \"v=TLSRPTv1; rua=mailto:tls-reports@\(domain)\" at \(name).")
                : Finding(verdict: .problem, text: "\(records.count) TLS-RPT records: senders then send no reports (RFC 8460 3). Keep one."))
            return section
        }
        let rua = records[0].split(separator: ";").map { $0.trimmingSpaces }.first { $0.hasPrefix("rua=") }.map { String($0.dropFirst(4)) }
        let uris = (rua ?? "").split(separator: ",").map { $0.trimmingSpaces }
        if uris.isEmpty {
            section.findings.append(Finding(verdict: .problem, text: "The record has no rua=: reports have nowhere to go. Add rua=mailto:... or rua=https://..."))
        } else if let bad = uris.first(where: { !$0.hasPrefix("mailto:") && !$0.hasPrefix("https:") }) {
            section.findings.append(Finding(verdict: .problem, text: "rua \(bad) is neither mailto: nor https:."))
        } else {
            section.findings.append(Finding(verdict: .ok, text: "TLS reports go to \(uris.joined(separator: ", "))."))
        }
        return section
    }

    /// `dmarcPolicy`: the DMARC record's p= and pct= as found (nil when none).
    func bimi(dmarcPolicy: (policy: String, percent: Int)?) -> Section {
        let name = "default._bimi.\(domain)"
        let (texts, answer, _) = dns.texts(name)
        let records = texts.filter { $0.hasPrefix("v=BIMI1") }
        var section = Section(name: "BIMI", records: records.map { "\(name): \"\($0)\"" }, findings: [])
        if case .failure(let why) = answer {
            section.findings.append(Finding(verdict: .unchecked, text: "The lookup of \(name) failed: \(why)."))
            return section
        }
        guard let record = records.first else {
            section.records = ["(none at \(name))"]
            section.findings.append(Finding(verdict: .ok, text: "No BIMI record (optional): Gmail, Yahoo and Apple Mail show a logo beside mail from domains that publish one, with DMARC at quarantine or reject."))
            return section
        }
        let tags = Dictionary(record.split(separator: ";").compactMap { part -> (String, String)? in
            let pair = part.trimmingSpaces
            guard let equals = pair.firstIndex(of: "=") else { return nil }
            return (String(pair[..<equals]).lowercased(), String(pair[pair.index(after: equals)...]).trimmingSpaces)
        }, uniquingKeysWith: { first, _ in first })
        if let logo = tags["l"], !logo.isEmpty {
            if logo.lowercased().hasPrefix("https:") && logo.lowercased().hasSuffix(".svg") {
                section.findings.append(Finding(verdict: .ok, text: "The logo: \(logo) (it must be SVG Tiny PS)."))
            } else {
                section.findings.append(Finding(verdict: .problem, text: "l=\(logo) is not an https: URL of an .svg file."))
            }
        } else {
            section.findings.append(Finding(verdict: .problem, text: "The record has no logo (l=)."))
        }
        if (tags["a"] ?? "").isEmpty {
            section.findings.append(Finding(verdict: .warning, text: "No certificate (a=): Gmail and Apple Mail show the logo only with a VMC or CMC; Yahoo shows it without."))
        }
        switch dmarcPolicy {
        case nil:
            section.findings.append(Finding(verdict: .problem, text: "No usable DMARC record: BIMI needs DMARC at p=quarantine or p=reject."))
        case let (policy, percent)? where policy == "none" || percent < 100:
            section.findings.append(Finding(verdict: .problem, text: "DMARC is at p=\(policy)\(percent < 100 ? ", pct=\(percent)" : ""): BIMI needs p=quarantine or p=reject applied to all mail (pct=100)."))
        case let (policy, _)?:
            section.findings.append(Finding(verdict: .ok, text: "DMARC is at p=\(policy), as BIMI needs."))
        }
        return section
    }
}
