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
        let spfSection = spf()
        let dkimSections = dkim()
        // What DMARC would see: SPF passing for a server given, keys that would verify.
        let spfPasses = options.ips.isEmpty ? nil : spfSection.findings.contains { $0.text.hasPrefix("For the server") && $0.verdict == .ok }
        let goodSelectors = dkimSections.filter { $0.name.hasPrefix("DKIM ") && $0.verdict != .problem }.map { String($0.name.dropFirst(5)) }
        return [mx(), spfSection] + dkimSections + [dmarc(spfPasses: spfPasses, dkimSelectors: goodSelectors)] + options.ips.map(serverAddress)
    }

    // MARK: MX

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
        for record in records {
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

    // MARK: SPF

    func spf() -> Section {
        let (texts, answer, _) = dns.texts(domain)
        let records = texts.filter(SPFRecord.isSPF)
        var section = Section(name: "SPF", records: records.map { "\"\($0)\"" }, findings: [])
        if case .failure(let why) = answer {
            section.findings.append(Finding(verdict: .problem, text: "The TXT lookup failed: \(why)."))
            return section
        }
        if records.isEmpty {
            section.records = ["(none)"]
            section.findings.append(Finding(verdict: .problem, text: "No SPF record: receivers cannot tell which servers may send for \(domain), and Gmail and Yahoo refuse or junk bulk mail without SPF or DKIM. Publish one, for example \"v=spf1 \(options.provider?.spfInclude.map { "include:\($0) " } ?? "")-all\"."))
            return section
        }
        if records.count > 1 {
            section.findings.append(Finding(verdict: .problem, text: "\(records.count) SPF records: receivers must treat that as an error (permerror), so SPF fails for every message. Merge them into one."))
            return section
        }
        let record: SPFRecord
        switch SPFRecord.parse(records[0]) {
        case .success(let r): record = r
        case .failure(let error):
            section.findings.append(Finding(verdict: .problem, text: "A syntax error at \(error): receivers treat the record as an error (permerror). Fix that term."))
            return section
        }
        // The whole tree: lookups, includes that do not resolve, the provider's include.
        var walk = SPFWalk(dns: dns)
        walk.visit(domain)
        if walk.lookups > SPFEvaluator.lookupLimit {
            section.findings.append(Finding(verdict: .problem, text: "\(walk.lookups) DNS lookups (include, a, mx, ptr, exists, redirect, counted through every include): more than 10 makes SPF fail with permerror at receivers. Remove includes you no longer use, or replace a and mx with ip4/ip6 ranges."))
        }
        for broken in walk.brokenIncludes {
            section.findings.append(Finding(verdict: .problem, text: "include:\(broken.name) \(broken.why): SPF fails with permerror wherever that include is reached. Fix or remove it."))
        }
        for error in walk.syntaxErrors where error.domain != domain {
            section.findings.append(Finding(verdict: .problem, text: "The record of \(error.domain), included, has a syntax error at \(error.error)."))
        }
        if record.terms.contains(where: { $0.kind == .ptr }) {
            section.findings.append(Finding(verdict: .warning, text: "ptr is deprecated (RFC 7208 5.5): slow, unreliable, and some receivers ignore it. Use ip4/ip6 or a instead."))
        }
        switch record.all?.qualifier {
        case "+"?:
            section.findings.append(Finding(verdict: .problem, text: "+all lets every server on the internet send as \(domain): SPF then proves nothing, and receivers distrust it. End with -all (or ~all while you check)."))
        case "?"?:
            section.findings.append(Finding(verdict: .warning, text: "?all is neutral: servers not listed are neither allowed nor refused, so SPF protects nothing. End with -all or ~all."))
        case "~"?:
            section.findings.append(Finding(verdict: .ok, text: "~all (softfail): servers not listed are suspicious but usually accepted. Once every service that sends is listed, -all is stronger; with DMARC at quarantine or reject the difference matters less."))
        case "-"?:
            section.findings.append(Finding(verdict: .ok, text: "-all: servers not listed fail."))
        default:
            if record.redirect == nil {
                section.findings.append(Finding(verdict: .warning, text: "No all at the end: unlisted servers get neutral, which protects nothing. End with -all or ~all."))
            }
        }
        if let provider = options.provider, let include = provider.spfInclude, !walk.includes.contains(include) {
            section.findings.append(Finding(verdict: .problem, text: "\(provider.name) sends from the ranges of include:\(include), which the record does not name: mail sent through \(provider.name) fails SPF. Add include:\(include) before the all."))
        }
        for ip in options.ips {
            var evaluator = SPFEvaluator(dns: dns)
            let result = evaluator.check(ip: ip, domain: domain)
            let verdict: Verdict = result == .pass ? .ok : [.fail, .permerror, .softfail].contains(result) ? .problem : .warning
            section.findings.append(Finding(verdict: verdict, text: "For the server \(ip): \(result.rawValue)" + (evaluator.problem.map { " (\($0))" } ?? "")
                                            + (result == .pass ? "." : ": add ip4:\(ip) (or the include of the service that owns it) to the record.")))
        }
        return section
    }

    // MARK: DKIM

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

    // MARK: DMARC

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

    // MARK: The sending server

    func serverAddress(_ ip: String) -> Section {
        let names = dns.ptr(ip)
        var section = Section(name: "Server \(ip)", records: names.isEmpty ? ["(no PTR)"] : names.map { "PTR \($0)" }, findings: [])
        guard IPAddress.bytes(ip) != nil else {
            section.findings.append(Finding(verdict: .problem, text: "\(ip) is not an IP address."))
            return section
        }
        guard !names.isEmpty else {
            section.findings.append(Finding(verdict: .problem, text: "No reverse DNS (PTR) for \(ip): Gmail, Microsoft and most receivers refuse or junk mail from addresses without one. Ask whoever owns the address (the hosting provider) to set a PTR to the server's name."))
            return section
        }
        let confirmed = names.filter { dns.addresses($0).addresses.contains { IPAddress.bytes($0) == IPAddress.bytes(ip) } }
        if confirmed.isEmpty {
            section.findings.append(Finding(verdict: .problem, text: "The PTR name\(names.count == 1 ? "" : "s") (\(names.joined(separator: ", "))) do\(names.count == 1 ? "es" : "") not resolve back to \(ip): reverse DNS is not forward-confirmed, which receivers treat as no PTR. Give the name an A/AAAA record of \(ip)."))
        } else {
            section.findings.append(Finding(verdict: .ok, text: "Forward-confirmed reverse DNS: \(confirmed[0]) resolves back to \(ip). Use it as the EHLO name (--helo \(confirmed[0]))."))
        }
        return section
    }
}

/// The SPF tree of a domain, walked without an address: lookups counted through every include
/// and redirect, includes that do not resolve, syntax errors below the top.
struct SPFWalk {
    let dns: any DNSResolving
    private(set) var lookups = 0
    private(set) var includes: [String] = []
    private(set) var brokenIncludes: [(name: String, why: String)] = []
    private(set) var syntaxErrors: [(domain: String, error: SPFSyntaxError)] = []
    private var seen: Set<String> = []

    init(dns: any DNSResolving) { self.dns = dns }

    mutating func visit(_ domain: String, depth: Int = 0) {
        guard depth < 12, !seen.contains(domain), lookups <= 40 else { return }
        seen.insert(domain)
        let records = dns.texts(domain).texts.filter(SPFRecord.isSPF)
        guard records.count == 1, case .success(let record) = SPFRecord.parse(records[0]) else {
            if records.count == 1, case .failure(let error) = SPFRecord.parse(records[0]) { syntaxErrors.append((domain, error)) }
            return
        }
        for term in record.terms where term.countsAsLookup {
            lookups += 1
            guard let value = term.value, !value.contains("%") else { continue }
            let target = value.lowercased()
            if term.kind == .include || term.kind == .redirect {
                includes.append(target)
                let found = dns.texts(target)
                let spf = found.texts.filter(SPFRecord.isSPF)
                if case .failure(let why) = found.answer {
                    brokenIncludes.append((target, "could not be looked up (\(why))"))
                } else if found.answer == .noSuchDomain {
                    brokenIncludes.append((target, "does not exist"))
                } else if spf.isEmpty {
                    brokenIncludes.append((target, "has no SPF record"))
                } else {
                    visit(target, depth: depth + 1)
                }
            }
        }
    }
}

extension Provider {
    /// The DKIM selectors the provider usually signs with, where they are fixed.
    public var dkimSelectors: [String] {
        switch id {
        case "gmail": ["google"]
        case "microsoft365", "outlook": ["selector1", "selector2"]
        case "sendgrid": ["s1", "s2"]
        case "mailgun", "mailgun-eu": ["k1", "mx"]
        case "brevo": ["mail"]
        case "mailjet": ["mailjet"]
        case "fastmail": ["fm1", "fm2", "fm3"]
        case "icloud": ["sig1"]
        default: []
        }
    }
}
