/// The SPF check: the record, its tree of includes, its end, and its result for each server given.
extension DomainCheck {
    /// SPF's result for one sending server.
    struct SPFOutcome {
        var ip: String
        var result: SPFResult
        /// Why it is permerror or temperror.
        var problem: String?
    }

    /// The SPF result for each server given (`--ip`), evaluated once.
    func spfOutcomes() -> [SPFOutcome] {
        options.ips.map { ip in
            var evaluator = SPFEvaluator(dns: dns)
            let result = evaluator.check(ip: ip, domain: domain)
            return SPFOutcome(ip: ip, result: result, problem: evaluator.problem)
        }
    }

    func spf(_ outcomes: [SPFOutcome]) -> Section {
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
            section.findings.append(Finding(verdict: .problem, text: "\(walk.lookups)\(walk.stopped ? " or more" : "") DNS lookups (include, a, mx, ptr, exists, redirect, counted through every include): more than 10 makes SPF fail with permerror at receivers. Remove includes you no longer use, or replace a and mx with ip4/ip6 ranges."))
        }
        if walk.voidLookups > SPFEvaluator.voidLookupLimit {
            section.findings.append(Finding(verdict: .problem, text: "More than \(SPFEvaluator.voidLookupLimit) includes find nothing (void lookups): receivers stop there with permerror (RFC 7208 4.6.4). Remove the includes of names that no longer exist."))
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
        for outcome in outcomes {
            let result = outcome.result
            let verdict: Verdict = result == .pass ? .ok : [.fail, .permerror, .softfail].contains(result) ? .problem : .warning
            section.findings.append(Finding(verdict: verdict, text: "For the server \(outcome.ip): \(result.rawValue)" + (outcome.problem.map { " (\($0))" } ?? "")
                                            + (result == .pass ? "." : ": add ip4:\(outcome.ip) (or the include of the service that owns it) to the record.")))
        }
        return section
    }
}

/// The SPF tree of a domain, walked without an address: lookups counted through every include
/// and redirect, includes that do not resolve, syntax errors below the top.
///
/// It keeps RFC 7208's limits (section 4.6.4) as receivers do, inside one record too: past 10
/// DNS-querying terms, or 2 lookups that found nothing, receivers stop with permerror, and so does
/// the walk's querying. The rest of a record's terms are still counted, not looked up, so a record
/// of thousands of includes costs about ten queries.
struct SPFWalk {
    let dns: any DNSResolving
    private(set) var lookups = 0
    /// Includes and redirects that found no record (NXDOMAIN or no TXT at all).
    private(set) var voidLookups = 0
    /// Whether a lookup was left out at the limits: the counts are then a floor.
    private(set) var stopped = false
    private(set) var includes: [String] = []
    private(set) var brokenIncludes: [(name: String, why: String)] = []
    private(set) var syntaxErrors: [(domain: String, error: SPFSyntaxError)] = []
    private var seen: Set<String> = []

    init(dns: any DNSResolving) { self.dns = dns }

    private var withinLimits: Bool { lookups <= SPFEvaluator.lookupLimit && voidLookups <= SPFEvaluator.voidLookupLimit }

    mutating func visit(_ domain: String, depth: Int = 0) {
        guard depth < 12, !seen.contains(domain), withinLimits else { return }
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
            guard term.kind == .include || term.kind == .redirect else { continue }
            includes.append(target)
            guard withinLimits else {
                stopped = true
                continue
            }
            let found = dns.texts(target)
            let spf = found.texts.filter(SPFRecord.isSPF)
            if case .failure(let why) = found.answer {
                brokenIncludes.append((target, "could not be looked up (\(why))"))
            } else if found.answer == .noSuchDomain {
                voidLookups += 1
                brokenIncludes.append((target, "does not exist"))
            } else if spf.isEmpty {
                if found.texts.isEmpty { voidLookups += 1 }
                brokenIncludes.append((target, "has no SPF record"))
            } else {
                visit(target, depth: depth + 1)
            }
        }
    }
}
