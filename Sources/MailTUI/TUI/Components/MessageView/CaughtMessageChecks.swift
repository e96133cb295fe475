import MailCore

/// What `mailtui check-message` finds in a caught message (bulk-sender rules, HTML, dark mode,
/// accessibility, links, text), for the message view's Checks tab and the summary above its tabs.
/// Made off the UI thread once per message; the view only shows the lines kept here.
struct CaughtMessageChecks: Equatable, Sendable {
    var findings: [MessageCheck.Finding]
    /// Who was asked for DMARC records and DKIM keys; nil when the checks ran offline.
    var dns: String?
    var problems: Int
    var warnings: Int
    /// The tab's lines, each safe for the terminal (the findings quote the message).
    var lines: [String]

    init(findings: [MessageCheck.Finding], dns: String?, spamd: String? = nil) {
        self.findings = findings
        self.dns = dns
        problems = findings.filter { $0.verdict == .problem }.count
        warnings = findings.filter { $0.verdict == .warning }.count
        let dnsLine = dns.map { "DNS: \($0) was asked for the From domain's DMARC record and the DKIM keys, as for the DKIM check of caught mail." }
            ?? "DNS off: the checks ran offline, so alignment is checked relaxed and DKIM signatures are read, not verified."
        // The report's first line names a file; the stored record is the message here.
        // With a spamd, the score is among the findings; without, a line says how to get one.
        lines = [TerminalSanitizer.sanitize(dnsLine, maxLength: 4000)] + (spamd == nil ? [Self.spamLine] : [])
            + MessageCheck.report("", findings).dropFirst()
    }

    /// SpamAssassin is asked from the screen only when config.toml names a spamd: the command
    /// (`spamassassin --test-mode`) takes seconds per message to start, and mail goes to no
    /// spamd that the user did not choose.
    static let spamLine = "Spam score: not asked here (no spamd is configured); mailtui check-message --spamd HOST:PORT FILE.eml gives it."

    /// How long the Checks tab waits for spamd: it answers an ordinary message in a second or
    /// two, and the tab shows nothing until every check is done.
    static let spamDeadline: Duration = .seconds(15)

    /// The checks, as `check-message` runs them without `--network`: DNS under one deadline for
    /// all lookups, the spam score only from the configured `spamd` (under `spamDeadline`; HTML
    /// nested too deep is not sent), no HEAD requests.
    static func run(_ bytes: [UInt8], envelopeFrom: String?, dns: (any DNSResolving)?, spamd: String? = nil,
                    within limit: Duration = .seconds(12)) -> CaughtMessageChecks {
        let resolver = dns.map { DeadlineResolver(base: $0, deadline: ContinuousClock.now + limit) }
        let options = MessageCheck.Options(dns: resolver, envelopeFrom: envelopeFrom.flatMap { $0.isEmpty ? nil : $0 },
                                           spam: spamd.map { SpamAssassin.Options(spamd: $0, timeout: spamDeadline) })
        return CaughtMessageChecks(findings: MessageCheck(bytes: bytes, options: options).inspect().findings, dns: dns?.displayName, spamd: spamd)
    }

    /// The part of the line above the tabs that these checks fill: how many problems and warnings.
    var summary: String {
        let counts = [problems > 0 ? Self.count(problems, "problem") : nil, warnings > 0 ? Self.count(warnings, "warning") : nil].compactMap { $0 }
        return "\(Self.tabKey) Checks: " + (counts.isEmpty ? "no problems" : counts.joined(separator: ", "))
    }

    /// What the summary says before the checks arrive.
    static let pendingSummary = "\(tabKey) Checks: checking…"
    static let pendingLines = ["Checking… (bulk-sender rules, HTML, client support, dark mode, accessibility, links, text and HTML)"]
    static var tabKey: String { "\(MessageTab.checks.rawValue + 1)" }

    static func count(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
}

/// A resolver that asks nothing once its deadline has passed, so that all the lookups of one
/// message's checks end within the deadline and one lookup's timeout.
struct DeadlineResolver: DNSResolving {
    let base: any DNSResolving
    let deadline: ContinuousClock.Instant

    func query(_ name: String, _ type: DNSType) -> DNSAnswer {
        guard ContinuousClock.now < deadline else { return .failure("no time left for DNS: the checks of a caught message wait for it only so long") }
        return base.query(name, type)
    }

    var displayName: String { base.displayName }
    func waitingAtMost(seconds: Int) -> any DNSResolving { DeadlineResolver(base: base.waitingAtMost(seconds: seconds), deadline: deadline) }
}
