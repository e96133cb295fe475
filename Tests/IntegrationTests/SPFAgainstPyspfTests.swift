import Foundation
import Testing
import MailCore
import TestSupport

/// mailtui's SPF evaluator against pyspf (the reference implementation in Python) on 34 records,
/// both asking the same DNS server on loopback.
@Suite struct SPFAgainstPyspfTests {
    /// (the record at `<name>.cmp.test`, the client's address)
    static let cases: [(name: String, record: String?, ip: String)] = [
        ("fail", "v=spf1 -all", "192.0.2.1"),
        ("plusall", "v=spf1 +all", "192.0.2.1"),
        ("neutral", "v=spf1 ?all", "192.0.2.1"),
        ("soft", "v=spf1 ~all", "192.0.2.1"),
        ("ip4in", "v=spf1 ip4:192.0.2.0/24 -all", "192.0.2.55"),
        ("ip4out", "v=spf1 ip4:192.0.2.0/24 -all", "198.51.100.1"),
        ("ip6in", "v=spf1 ip6:2001:db8::/32 -all", "2001:db8::5"),
        ("ip6v4", "v=spf1 ip6:2001:db8::/32 -all", "192.0.2.1"),
        ("a", "v=spf1 a -all", "192.0.2.1"),
        ("acidr", "v=spf1 a/24 -all", "192.0.2.77"),
        ("mx", "v=spf1 mx -all", "192.0.2.10"),
        ("mxout", "v=spf1 mx -all", "192.0.2.11"),
        ("incpass", "v=spf1 include:inc.cmp.test -all", "192.0.2.1"),
        ("incnomatch", "v=spf1 include:incsoft.cmp.test -all", "192.0.2.99"),
        ("incnx", "v=spf1 include:nowhere.cmp.test -all", "192.0.2.1"),
        ("incnospf", "v=spf1 include:plain.cmp.test -all", "192.0.2.1"),
        ("redir", "v=spf1 redirect=inc.cmp.test", "192.0.2.1"),
        ("redirnone", "v=spf1 redirect=plain.cmp.test", "192.0.2.1"),
        ("two", nil, "192.0.2.1"),
        ("nospf", nil, "192.0.2.1"),
        ("nxdomain", nil, "192.0.2.1"),
        ("badip", "v=spf1 ip4:192.0.2.300 -all", "192.0.2.1"),
        ("unknownmech", "v=spf1 foo:bar -all", "192.0.2.1"),
        ("toomany", "v=spf1 a:l1.cmp.test a:l2.cmp.test a:l3.cmp.test a:l4.cmp.test a:l5.cmp.test a:l6.cmp.test a:l7.cmp.test a:l8.cmp.test a:l9.cmp.test a:l10.cmp.test a:l11.cmp.test -all", "198.51.100.1"),
        ("exists", "v=spf1 exists:%{i}.ex.cmp.test -all", "192.0.2.1"),
        ("existsout", "v=spf1 exists:%{i}.ex.cmp.test -all", "192.0.2.2"),
        ("macro", "v=spf1 exists:%{ir}.%{v}._spf.%{d} -all", "192.0.2.1"),
        ("aother", "v=spf1 a:host.cmp.test -all", "192.0.2.44"),
        ("voids", "v=spf1 a:v1.cmp.test a:v2.cmp.test a:v3.cmp.test -all", "192.0.2.1"),
        ("unknownmod", "v=spf1 foo=bar -all", "192.0.2.1"),
        ("allfirst", "v=spf1 -all redirect=inc.cmp.test", "192.0.2.1"),
        ("upper", "v=spf1 IP4:192.0.2.0/24 -ALL", "192.0.2.1"),
        ("ptr", "v=spf1 ptr -all", "192.0.2.44"),
        ("mxnone", "v=spf1 mx:plain.cmp.test ~all", "192.0.2.1"),
    ]

    @Test func sameResultsAsPyspf() throws {
        var zones: [String: [TestDNSServer.Record]] = [
            "a.cmp.test": [("TXT", "v=spf1 a -all"), ("A", "192.0.2.1")],
            "acidr.cmp.test": [("TXT", "v=spf1 a/24 -all"), ("A", "192.0.2.1")],
            "mx.cmp.test": [("TXT", "v=spf1 mx -all"), ("MX", "10 mail.cmp.test")],
            "mxout.cmp.test": [("TXT", "v=spf1 mx -all"), ("MX", "10 mail.cmp.test")],
            "mail.cmp.test": [("A", "192.0.2.10")],
            "inc.cmp.test": [("TXT", "v=spf1 ip4:192.0.2.1 -all")],
            "incsoft.cmp.test": [("TXT", "v=spf1 ip4:192.0.2.1 ~all")],
            "plain.cmp.test": [("TXT", "not spf")],
            "two.cmp.test": [("TXT", "v=spf1 -all"), ("TXT", "v=spf1 +all")],
            "nospf.cmp.test": [("TXT", "hello")],
            "192.0.2.1.ex.cmp.test": [("A", "127.0.0.2")],
            "1.2.0.192.in-addr._spf.macro.cmp.test": [("A", "127.0.0.2")],
            "host.cmp.test": [("A", "192.0.2.44")],
            "44.2.0.192.in-addr.arpa": [("PTR", "host.ptr.cmp.test")],
            "host.ptr.cmp.test": [("A", "192.0.2.44")],
        ]
        for i in 1...11 { zones["l\(i).cmp.test"] = [("A", "192.0.2.\(100 + i)")] }
        for c in Self.cases where zones["\(c.name).cmp.test"] == nil && c.name != "nxdomain" {
            zones["\(c.name).cmp.test"] = c.record.map { [("TXT", $0)] } ?? [("TXT", "unrelated")]
        }
        let dns = try TestDNSServer(zones)
        defer { dns.stop() }
        let file = TestPaths.temporaryDirectory("mailtui-spf") + "/cases.json"
        try JSONSerialization.data(withJSONObject: Self.cases.map { [$0.ip, "\($0.name).cmp.test"] }).write(to: URL(fileURLWithPath: file))
        let result = try Program.python("spf_check.py", [String(dns.port), file])
        #expect(result.status == 0, "\(result.err)")
        let expected = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String], "\(result.out)")
        #expect(expected.count == Self.cases.count)
        #expect(Self.cases.count >= 30)
        #expect(Set(expected).count >= 6, "the cases cover most results: \(expected)")
        for (c, reference) in zip(Self.cases, expected) {
            var evaluator = SPFEvaluator(dns: dns.resolver)
            let ours = evaluator.check(ip: c.ip, domain: "\(c.name).cmp.test")
            #expect(ours.rawValue == reference, "\(c.name) (\(c.record ?? "-")) from \(c.ip): mailtui \(ours.rawValue) (\(evaluator.problem ?? "")), pyspf \(reference)")
        }
    }
}
