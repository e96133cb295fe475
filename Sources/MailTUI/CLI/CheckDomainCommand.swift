import ArgumentParser
import MailCore

/// `mailtui check-domain DOMAIN`: will mail from this domain land? MX, SPF, DKIM keys, DMARC and
/// the sending server's reverse DNS, each with a verdict, the record read and what to change.
struct CheckDomainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-domain",
        abstract: "Check a sender's domain as receivers do: MX, SPF (evaluated for the server's address), DKIM keys, DMARC, reverse DNS, MTA-STS, TLS-RPT, BIMI.",
        discussion: """
        Before judging the domain, it checks that DNS answers: a DNS server that does not answer, or \
        one that says NXDOMAIN even for the root of DNS (a machine offline), is reported as such, \
        and nothing is judged. SPF is evaluated with RFC 7208's limits (10 lookups, 2 that find \
        nothing, 10 MX or PTR names), and the whole check stops at --deadline.

        Exit status: 0 when nothing is a problem (warnings allowed), 12 when a check found a problem, \
        13 when something could not be checked (DNS did not answer, or the time ran out) and nothing \
        checked was a problem, 2 for bad input.
        """
    )

    @Argument(help: ArgumentHelp("The domain of the From address.", valueName: "domain"))
    var domain: String

    @Option(name: .customLong("ip"), help: ArgumentHelp("The sending server's address: SPF is evaluated for it and its reverse DNS checked (repeatable).", valueName: "address"))
    var ips: [String] = []

    @Option(help: ArgumentHelp("The provider that sends (gmail, microsoft365, ses, sendgrid, ...): its SPF include and usual DKIM selectors are checked.", valueName: "name"))
    var provider: String?

    @Option(name: .customLong("dkim-selector"), help: ArgumentHelp("A DKIM selector to check (repeatable).", valueName: "selector"))
    var dkimSelectors: [String] = []

    @Option(help: ArgumentHelp("Ask this DNS server (IPv4 address, optionally :port) instead of the system's.", valueName: "host[:port]"))
    var dnsServer: String?

    @Option(help: ArgumentHelp("Stop after this many seconds in all (1 to 3600) and report what could not be checked.", valueName: "seconds"))
    var deadline: Int = Int(DomainCheck.defaultDeadline.components.seconds)

    @Flag(help: "One JSON object instead of text.")
    var json = false

    @Option(help: ArgumentHelp("Fetch the MTA-STS policy from this https: URL instead of mta-sts.DOMAIN (tests).", valueName: "url"))
    var mtaStsUrl: String?

    @Option(help: ArgumentHelp("Trust the CA certificates in this PEM file for the MTA-STS policy's HTTPS.", valueName: "path"))
    var caFile: String?

    func validate() throws {
        guard DomainName.isValid(domain.trimmingEnds(of: ".")) else { throw ValidationError("\"\(domain)\" is not a domain name.") }
        if let provider, Provider.named(provider) == nil { throw ValidationError("No provider \"\(provider)\" (mailtui providers lists them).") }
        for ip in ips where IPAddress.bytes(ip) == nil { throw ValidationError("--ip \(ip) is not an IP address.") }
        if let dnsServer, SystemResolver(serverText: dnsServer) == nil { throw ValidationError("--dns-server \(dnsServer): give an IPv4 address, optionally with :port.") }
        if !(1...3600).contains(deadline) { throw ValidationError("--deadline takes 1 to 3600 seconds.") }
        if let mtaStsUrl, !mtaStsUrl.lowercased().hasPrefix("https://") { throw ValidationError("--mta-sts-url \(mtaStsUrl): give an https:// URL (RFC 8461 fetches policies over HTTPS only).") }
        for selector in dkimSelectors where !DomainName.isValid(selector + ".x") { throw ValidationError("--dkim-selector \(selector) is not a DNS label.") }
    }

    func run() throws {
        let dns = dnsServer.flatMap { SystemResolver(serverText: $0) } ?? SystemResolver()
        let check = DomainCheck(domain: domain, dns: dns, options: .init(ips: ips, provider: provider.flatMap(Provider.named), dkimSelectors: dkimSelectors, deadline: .seconds(deadline),
                                                                               mtaSTSURL: mtaStsUrl, caFile: caFile.map(\.absolutePath)))
        let sections = check.run()
        if json {
            struct Output: Encodable {
                var domain: String
                var verdict: DomainCheck.Verdict
                var checks: [DomainCheck.Section]
            }
            Console.json(Output(domain: check.domain, verdict: sections.map(\.verdict).max() ?? .ok, checks: sections))
        } else {
            for line in DomainCheck.report(check.domain, sections, dnsServer: dnsServer) { Console.out(line) }
        }
        if sections.contains(where: { $0.verdict == .problem }) { throw ExitCode(ExitStatus.domainProblems.rawValue) }
        if sections.contains(where: { $0.verdict == .unchecked }) { throw ExitCode(ExitStatus.domainNotChecked.rawValue) }
    }
}
