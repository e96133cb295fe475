/// The DKIM check: the key of each selector (given, or the provider's usual ones).
extension DomainCheck {
    /// The selectors to look at: those given, then the provider's usual ones.
    var selectors: [String] {
        var all = options.dkimSelectors
        for s in options.provider?.dkimSelectors ?? [] where !all.contains(s) { all.append(s) }
        return all
    }

    func dkim() -> [Section] {
        if selectors.isEmpty {
            let ses = options.provider?.id == "ses" ? " Amazon SES signs with three token selectors, CNAMEs to TOKEN.dkim.amazonses.com: give them from the SES console's Easy DKIM records." : ""
            return [Section(name: "DKIM", records: ["(no selector given)"], findings: [
                Finding(verdict: .warning, text: "No DKIM selector to look at: give the one your provider signs with (--dkim-selector S; its d= and s= are in the DKIM-Signature header of a message it sent), or --provider for its usual ones." + ses),
            ])]
        }
        return selectors.map { selector in
            let name = "\(selector)._domainkey.\(domain)"
            let (texts, answer, via) = dns.texts(name)
            var section = Section(name: "DKIM \(selector)", records: texts.map { "\"\($0)\"" }, findings: [])
            if let via { section.records.insert("(CNAME to \(via))", at: 0) }
            if case .failure(let why) = answer {
                section.findings.append(Finding(verdict: .problem, text: "The lookup of \(name) failed: \(why)."))
                return section
            }
            guard let text = texts.first else {
                section.records = ["(none)"]
                section.findings.append(Finding(verdict: .problem, text: "No key at \(name): a signature with s=\(selector) cannot be verified, and counts as none. Publish the key your provider gives (a TXT, or the CNAME it names)."))
                return section
            }
            if texts.count > 1 { section.findings.append(Finding(verdict: .problem, text: "\(texts.count) TXT records at \(name): verifiers take one; remove the others.")) }
            switch DKIMKeyRecord.parse(text) {
            case .failure(let error):
                section.findings.append(Finding(verdict: .problem, text: "Not a valid key record: \(error)."))
            case .success(let key):
                if key.isRevoked {
                    section.findings.append(Finding(verdict: .problem, text: "The key is revoked (empty p=): signatures with s=\(selector) fail. Sign with another selector, or publish the new key here."))
                } else if let bits = key.keyBits {
                    if key.keyType == "rsa" && bits < 1024 {
                        section.findings.append(Finding(verdict: .problem, text: "An RSA key of \(bits) bits: receivers reject keys under 1024 bits (RFC 8301). Publish a 2048-bit key."))
                    } else if key.keyType == "rsa" && bits < 2048 {
                        section.findings.append(Finding(verdict: .warning, text: "An RSA key of \(bits) bits: weak, and under what Google and Microsoft ask for. Rotate to a 2048-bit key."))
                    } else {
                        section.findings.append(Finding(verdict: .ok, text: "\(key.keyType == "rsa" ? "RSA" : "Ed25519") key, \(bits) bits" + (via.map { ", through the CNAME to \($0)" } ?? "") + "."))
                    }
                    if key.keyType == "ed25519" {
                        section.findings.append(Finding(verdict: .warning, text: "Ed25519 alone: many receivers still verify only RSA. Sign with an RSA key as well (two selectors)."))
                    }
                } else {
                    section.findings.append(Finding(verdict: .problem, text: "p= does not decode as a \(key.keyType) public key: check that the whole key was pasted (long keys come split in several strings)."))
                }
                if key.isTesting { section.findings.append(Finding(verdict: .warning, text: "t=y: the domain is testing DKIM, and receivers treat its signatures as if unsigned. Remove t=y when done.")) }
            }
            return section
        }
    }
}
