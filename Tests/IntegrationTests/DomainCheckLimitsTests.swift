import Foundation
import Synchronization
import Testing
import MailCore
import TestSupport

/// The domain check against DNS that does not cooperate, on loopback: a server that never answers,
/// one that says NXDOMAIN for every name, names that answer slowly, and records made to cost
/// thousands of queries. It says when it could not check, keeps RFC 7208's limits inside a
/// record, and ends by its deadline.
@Suite(.serialized) struct DomainCheckLimitsTests {
    /// Counts the queries that reach the server.
    final class Counting: DNSResolving, @unchecked Sendable {
        let base: SystemResolver
        private let count = Mutex(0)
        init(_ base: SystemResolver) { self.base = base }
        var queries: Int { count.withLock { $0 } }
        func query(_ name: String, _ type: DNSType) -> DNSAnswer {
            count.withLock { $0 += 1 }
            return base.query(name, type)
        }
    }

    func findings(_ sections: [DomainCheck.Section]) -> String {
        sections.map { "\($0.name) \($0.verdict): " + $0.findings.map(\.text).joined(separator: " | ") }.joined(separator: "\n")
    }

    @Test func aServerThatNeverAnswersIsSaidSoAndNothingIsJudged() throws {
        let silent = try SilentUDPPort()
        let started = ContinuousClock.now
        let sections = DomainCheck(domain: "example.test", dns: SystemResolver(server: "127.0.0.1", port: silent.port, timeout: 1),
                                   options: .init(ips: ["192.0.2.1"], dkimSelectors: ["s1"], deadline: .seconds(60))).run()
        #expect(ContinuousClock.now - started < .seconds(30))
        #expect(sections.count == 1 && sections.first?.name == "DNS" && sections.first?.verdict == .unchecked, "\(findings(sections))")
        #expect(sections.first?.findings.first?.text.contains("The DNS server 127.0.0.1:\(silent.port) did not answer") == true, "\(findings(sections))")
        #expect(!sections.contains { $0.verdict == .problem })
        let report = DomainCheck.report("example.test", sections, dnsServer: nil)
        #expect(report.last == "Nothing could be checked: DNS gave no usable answer.", "\(report)")
    }

    @Test func aResolverThatSaysNXDOMAINForEverythingIsNotBelieved() throws {
        let dns = try TestDNSServer([:])
        defer { dns.stop() }
        let sections = DomainCheck(domain: "example.com", dns: dns.resolver).run()
        #expect(sections.count == 1 && sections.first?.verdict == .unchecked, "\(findings(sections))")
        #expect(sections.first?.findings.first?.text.contains("NXDOMAIN (no such name) even for the root of DNS") == true, "\(findings(sections))")
        // A resolver that knows the root: the domain really does not exist, and that is a problem.
        let honest = try TestDNSServer([".": [("NS", "a.root-servers.test")]])
        defer { honest.stop() }
        let judged = DomainCheck(domain: "example.com", dns: honest.resolver).run()
        #expect(judged.first { $0.name == "MX" }?.findings.contains { $0.verdict == .problem && $0.text.contains("does not exist in DNS") } == true, "\(findings(judged))")
    }

    /// 300 includes in one record: the walk stops querying after 10 lookups, as receivers do,
    /// and counts the rest; before, it asked for every include.
    @Test func aRecordOfHundredsOfIncludesCostsAboutTenQueries() throws {
        var zones: [String: [TestDNSServer.Record]] = [
            "many.test": [("MX", "0 ."), ("TXT", "v=spf1 " + (1...300).map { "include:i\($0).many.test" }.joined(separator: " ") + " -all")],
            "voids.test": [("MX", "0 ."), ("TXT", "v=spf1 " + (1...50).map { "include:gone\($0).voids.test" }.joined(separator: " ") + " -all")],
        ]
        for i in 1...300 { zones["i\(i).many.test"] = [("TXT", "v=spf1 ip4:192.0.2.\(i % 250) -all")] }
        let dns = try TestDNSServer(zones)
        defer { dns.stop() }
        let counting = Counting(dns.resolver)
        let spf = DomainCheck(domain: "many.test", dns: counting).spfOnly()
        #expect(counting.queries < 40, "\(counting.queries) queries")
        #expect(spf.findings.contains { $0.verdict == .problem && $0.text.hasPrefix("300 or more DNS lookups") }, "\(spf.findings)")
        let voidCounting = Counting(dns.resolver)
        let voids = DomainCheck(domain: "voids.test", dns: voidCounting).spfOnly()
        #expect(voids.records.first?.contains("include:gone50.voids.test") == true, "the record was read: \(voids.records)")
        #expect(voidCounting.queries < 15, "\(voidCounting.queries) queries")
        #expect(voids.findings.contains { $0.text.contains("More than 2 includes find nothing (void lookups)") }, "\(voids.findings)")
    }

    /// Thirty MX names, or thirty PTR names for a server: at most 10 of each are looked up, as
    /// RFC 7208 does for mx and ptr.
    @Test func manyMXOrPTRNamesCostAtMostTenLookupsEach() throws {
        var zones: [String: [TestDNSServer.Record]] = [
            "wide.test": (1...30).map { ("MX", "\($0) m\($0).wide.test") } + [("TXT", "v=spf1 -all")],
            "ptr.test": [("MX", "0 ."), ("TXT", "v=spf1 -all")],
            "1.2.0.192.in-addr.arpa": (1...30).map { ("PTR", "p\($0).ptr.test") },
        ]
        for i in 1...30 {
            zones["m\(i).wide.test"] = [("A", "192.0.2.\(i)")]
            zones["p\(i).ptr.test"] = [("A", "198.51.100.\(i)")]
        }
        let dns = try TestDNSServer(zones)
        defer { dns.stop() }
        let mxCounting = Counting(dns.resolver)
        let mx = try #require(DomainCheck(domain: "wide.test", dns: mxCounting).run().first { $0.name == "MX" })
        #expect(mxCounting.queries < 40, "\(mxCounting.queries) queries")
        #expect(mx.findings.contains { $0.verdict == .warning && $0.text.hasPrefix("30 MX records: only the first 10 were looked up") }, "\(mx.findings)")
        let ptrCounting = Counting(dns.resolver)
        let server = try #require(DomainCheck(domain: "ptr.test", dns: ptrCounting, options: .init(ips: ["192.0.2.1"])).run().first { $0.name == "Server 192.0.2.1" })
        #expect(ptrCounting.queries < 40, "\(ptrCounting.queries) queries")
        #expect(server.records.count == 10, "\(server.records)")
    }

    /// Names that never answer: the whole check stops at its deadline, says what it could not
    /// check, and blames nothing on the domain.
    @Test func slowAnswersEndAtTheDeadline() throws {
        var zones: [String: [TestDNSServer.Record]] = [
            "slow.test": [("MX", "0 ."), ("TXT", "v=spf1 " + (1...8).map { "include:s\($0).slow.test" }.joined(separator: " ") + " -all")],
            "_dmarc.slow.test": [("SILENT", "")],
        ]
        for i in 1...8 { zones["s\(i).slow.test"] = [("SILENT", "")] }
        let dns = try TestDNSServer(zones)
        defer { dns.stop() }
        let started = ContinuousClock.now
        // Without a deadline this asks 8 includes and more, each waiting 6 s: over a minute.
        let sections = DomainCheck(domain: "slow.test", dns: dns.resolver, options: .init(ips: ["192.0.2.1"], dkimSelectors: ["s1"], deadline: .seconds(4))).run()
        let took = ContinuousClock.now - started
        #expect(took < .seconds(20), "\(took)")
        #expect(sections.first { $0.name == "MX" }?.verdict == .warning, "answered before the deadline: \(findings(sections))")
        let spf = try #require(sections.first { $0.name == "SPF" })
        #expect(spf.verdict == .unchecked && spf.findings.first?.text.contains("the time limit of 4 s ran out") == true, "\(findings(sections))")
        #expect(sections.first { $0.name == "DMARC" }?.verdict == .unchecked, "\(findings(sections))")
        #expect(!sections.contains { $0.verdict == .problem }, "\(findings(sections))")
    }
}

extension DomainCheck {
    /// The SPF section alone, as the full check makes it.
    func spfOnly() -> Section {
        run().first { $0.name == "SPF" } ?? Section(name: "missing SPF", records: [], findings: [])
    }
}
