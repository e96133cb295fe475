import Foundation
import Testing
import MailCore
import TestSupport

/// `check-domain`'s findings against a DNS server on loopback serving test zones: good records,
/// two SPF records, 11 lookups, +all, a missing DMARC, a weak DKIM key, a CNAME'd DKIM key, a null
/// MX; each finding asserted.
@Suite(.serialized) struct DomainCheckTests {
    /// A public key for a DKIM record, made by openssl: base64 of the DER SubjectPublicKeyInfo.
    static func publicKey(rsaBits bits: Int) throws -> String {
        let directory = TestPaths.temporaryDirectory("mailtui-dkim")
        let key = directory + "/key.pem"
        #expect(try Program.run("/usr/bin/env", ["openssl", "genrsa", "-out", key, String(bits)]).status == 0)
        let der = try Program.run("/usr/bin/env", ["openssl", "rsa", "-in", key, "-pubout", "-outform", "DER"])
        return der.stdout.base64EncodedString()
    }

    static func ed25519PublicKey() throws -> String {
        let key = TestPaths.temporaryDirectory("mailtui-dkim") + "/ed.pem"
        #expect(try Program.run("/usr/bin/env", ["openssl", "genpkey", "-algorithm", "ed25519", "-out", key]).status == 0)
        let der = try Program.run("/usr/bin/env", ["openssl", "pkey", "-in", key, "-pubout", "-outform", "DER"]).stdout
        return Data(der.suffix(32)).base64EncodedString()
    }

    let strong: String
    let weak: String
    let ed25519: String
    let dns: TestDNSServer

    init() throws {
        strong = try Self.publicKey(rsaBits: 2048)
        weak = try Self.publicKey(rsaBits: 1024)
        ed25519 = try Self.ed25519PublicKey()
        // A long key goes as several strings, as DNS providers publish it.
        let split = strong.count / 2
        let strongSplit = "v=DKIM1; k=rsa; p=" + strong.prefix(split) + "|" + strong.dropFirst(split)
        var zones: [String: [TestDNSServer.Record]] = [
            "good.test": [("MX", "10 mx.good.test"), ("MX", "20 mx2.good.test"), ("TXT", "v=spf1 ip4:192.0.2.0/24 include:_spf.google.com -all"), ("TXT", "some-verification=abc")],
            "mx.good.test": [("A", "192.0.2.10")],
            "mx2.good.test": [("AAAA", "2001:db8::10")],
            "_spf.google.com": [("TXT", "v=spf1 ip4:203.0.113.0/24 ~all")],
            "google._domainkey.good.test": [("TXT", strongSplit)],
            "ed._domainkey.good.test": [("TXT", "v=DKIM1; k=ed25519; p=" + ed25519)],
            "_dmarc.good.test": [("TXT", "v=DMARC1; p=reject; rua=mailto:dmarc@good.test; adkim=s")],
            "10.2.0.192.in-addr.arpa": [("PTR", "mx.good.test")],
            "20.2.0.192.in-addr.arpa": [("PTR", "elsewhere.test")],
            "elsewhere.test": [("A", "198.51.100.1")],

            "two.test": [("TXT", "v=spf1 -all"), ("TXT", "v=spf1 ip4:192.0.2.1 -all")],
            "plusall.test": [("TXT", "v=spf1 +all"), ("MX", "0 .")],
            "softall.test": [("TXT", "v=spf1 a ?all"), ("A", "192.0.2.1")],
            "syntax.test": [("TXT", "v=spf1 ip4:192.0.2.300 -all")],
            "broken.test": [("TXT", "v=spf1 include:nowhere.test include:nospf.test -all")],
            "nospf.test": [("TXT", "just text")],
            "nomx.test": [("TXT", "v=spf1 -all")],
            "badmx.test": [("MX", "10 ghost.badmx.test"), ("TXT", "v=spf1 mx -all")],
            "ghost.badmx.test": [("TXT", "no address here")],
            "weak.test": [("TXT", "v=spf1 -all")],
            "weak._domainkey.weak.test": [("TXT", "v=DKIM1; k=rsa; p=" + weak)],
            "revoked._domainkey.weak.test": [("TXT", "v=DKIM1; k=rsa; p=")],
            "testing._domainkey.weak.test": [("TXT", "v=DKIM1; t=y; p=" + strong)],
            "_dmarc.weak.test": [("TXT", "v=DMARC1; p=none; pct=50")],
            "cname.test": [("TXT", "v=spf1 include:amazonses.com -all")],
            "amazonses.com": [("TXT", "v=spf1 ip4:199.255.192.0/22 -all")],
            "abc123._domainkey.cname.test": [("CNAME", "abc123.dkim.amazonses.com")],
            "abc123.dkim.amazonses.com": [("TXT", "p=" + strong)],
            "sub.org.test": [("TXT", "v=spf1 -all")],
            // The root's servers: this server answers for them, so "no such domain" is believed.
            ".": [("NS", "a.root-servers.test")],
            "_dmarc.org.test": [("TXT", "v=DMARC1; p=quarantine; rua=mailto:d@org.test")],
        ]
        // 11 lookups: a, then five includes, each with one a mechanism.
        zones["many.test"] = [("TXT", "v=spf1 a " + (1...5).map { "include:i\($0).many.test" }.joined(separator: " ") + " -all"), ("A", "192.0.2.99")]
        for i in 1...5 { zones["i\(i).many.test"] = [("TXT", "v=spf1 a -all"), ("A", "192.0.2.\(i)")] }
        dns = try TestDNSServer(zones)
    }

    func check(_ domain: String, ips: [String] = [], provider: String? = nil, selectors: [String] = []) -> [DomainCheck.Section] {
        DomainCheck(domain: domain, dns: dns.resolver, options: .init(ips: ips, provider: provider.flatMap(Provider.named), dkimSelectors: selectors)).run()
    }

    func section(_ sections: [DomainCheck.Section], _ name: String) -> DomainCheck.Section {
        sections.first { $0.name == name } ?? DomainCheck.Section(name: "missing \(name)", records: [], findings: [])
    }

    func says(_ section: DomainCheck.Section, _ verdict: DomainCheck.Verdict, _ words: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let found = section.findings.contains { $0.verdict == verdict && $0.text.contains(words) }
        #expect(found, "\(section.name): no \(verdict) finding with \"\(words)\" in \(section.findings.map { "\($0.verdict): \($0.text)" })", sourceLocation: sourceLocation)
    }

    @Test func goodRecordsPass() {
        let all = check("good.test", ips: ["192.0.2.10", "192.0.2.20"], provider: "gmail", selectors: ["ed"])
        let mx = section(all, "MX")
        #expect(mx.verdict == .ok && mx.records == ["10 mx.good.test (192.0.2.10)", "20 mx2.good.test (2001:db8::10)"])
        let spf = section(all, "SPF")
        #expect(spf.records == ["\"v=spf1 ip4:192.0.2.0/24 include:_spf.google.com -all\""])
        says(spf, .ok, "-all: servers not listed fail")
        says(spf, .ok, "For the server 192.0.2.10: pass")
        #expect(!spf.findings.contains { $0.text.contains("does not name") }, "gmail's include is there")
        let google = section(all, "DKIM google")
        says(google, .ok, "RSA key, 2048 bits")
        says(section(all, "DKIM ed"), .ok, "Ed25519 key, 256 bits")
        says(section(all, "DKIM ed"), .warning, "many receivers still verify only RSA")
        let dmarc = section(all, "DMARC")
        says(dmarc, .ok, "p=reject")
        says(dmarc, .ok, "DKIM strict")
        says(dmarc, .ok, "can pass DMARC through SPF (the server given passes, with the envelope sender at good.test) and DKIM (signed with d=good.test and s=ed or s=google)")
        says(section(all, "Server 192.0.2.10"), .ok, "Forward-confirmed reverse DNS: mx.good.test")
        says(section(all, "Server 192.0.2.20"), .problem, "(elsewhere.test) does not resolve back to 192.0.2.20")
    }

    @Test func spfProblems() {
        says(section(check("two.test"), "SPF"), .problem, "2 SPF records")
        says(section(check("plusall.test"), "SPF"), .problem, "+all lets every server")
        says(section(check("softall.test"), "SPF"), .warning, "?all is neutral")
        says(section(check("syntax.test"), "SPF"), .problem, "syntax error at \"ip4:192.0.2.300\"")
        let broken = section(check("broken.test"), "SPF")
        says(broken, .problem, "include:nowhere.test does not exist")
        says(broken, .problem, "include:nospf.test has no SPF record")
        let many = section(check("many.test", ips: ["198.51.100.7"]), "SPF")
        says(many, .problem, "11 DNS lookups")
        says(many, .problem, "For the server 198.51.100.7: permerror (more than 10 DNS lookups)")
        says(section(check("nospf.test"), "SPF"), .problem, "No SPF record")
        let missing = section(check("good.test", provider: "sendgrid"), "SPF")
        says(missing, .problem, "include:sendgrid.net, which the record does not name")
        says(section(check("good.test", ips: ["198.51.100.9"]), "SPF"), .problem, "For the server 198.51.100.9: fail")
    }

    @Test func mxProblems() {
        says(section(check("plusall.test"), "MX"), .warning, "A null MX")
        says(section(check("nomx.test"), "MX"), .warning, "No MX records")
        says(section(check("badmx.test"), "MX"), .problem, "ghost.badmx.test has no address")
        says(section(check("nothing-here.test"), "MX"), .problem, "does not exist in DNS")
    }

    @Test func dkimKeysWeakRevokedTestingAndThroughACname() {
        let weak = check("weak.test", selectors: ["weak", "revoked", "testing", "absent"])
        says(section(weak, "DKIM weak"), .warning, "An RSA key of 1024 bits")
        says(section(weak, "DKIM revoked"), .problem, "The key is revoked")
        says(section(weak, "DKIM testing"), .warning, "t=y")
        says(section(weak, "DKIM absent"), .problem, "No key at absent._domainkey.weak.test")
        let cname = section(check("cname.test", provider: "ses", selectors: ["abc123"]), "DKIM abc123")
        #expect(cname.records.first == "(CNAME to abc123.dkim.amazonses.com)")
        says(cname, .ok, "through the CNAME to abc123.dkim.amazonses.com")
        says(section(check("weak.test"), "DKIM"), .warning, "No DKIM selector to look at")
    }

    @Test func dmarcMissingWeakAndFromTheOrganisationalDomain() {
        says(section(check("good.test"), "DMARC"), .ok, "p=reject")
        says(section(check("two.test"), "DMARC"), .problem, "No DMARC record")
        says(section(check("weak.test", ips: ["192.0.2.50"]), "DMARC"), .problem, "fails DMARC")
        says(section(check("weak.test", provider: "ses"), "DKIM"), .warning, "Amazon SES signs with three token selectors")
        let weak = section(check("weak.test"), "DMARC")
        says(weak, .warning, "p=none")
        says(weak, .warning, "pct=50")
        says(weak, .warning, "No rua=")
        let sub = section(check("sub.org.test"), "DMARC")
        #expect(sub.records == ["_dmarc.org.test: \"v=DMARC1; p=quarantine; rua=mailto:d@org.test\""])
        says(sub, .ok, "p=quarantine")
    }

    /// The command itself: text, JSON and the exit status.
    @Test func theCommand() throws {
        let ok = try Program.run(TestPaths.mailtui, ["check-domain", "good.test", "--dns-server", dns.address, "--dkim-selector", "google"],
                                 environment: TestPaths.hermeticEnvironment())
        #expect(ok.status == 0, "\(ok.out)\(ok.err)")
        #expect(ok.out.contains("SPF           OK") && ok.out.contains("No problems found."))
        let bad = try Program.run(TestPaths.mailtui, ["check-domain", "plusall.test", "--dns-server", dns.address, "--json"],
                                  environment: TestPaths.hermeticEnvironment())
        #expect(bad.status == 12, "\(bad.out)\(bad.err)")
        let object = try #require(try JSONSerialization.jsonObject(with: bad.stdout) as? [String: Any])
        #expect(object["verdict"] as? String == "problem" && object["domain"] as? String == "plusall.test")
        let wrong = try Program.run(TestPaths.mailtui, ["check-domain", "not a domain", "--dns-server", dns.address], environment: TestPaths.hermeticEnvironment())
        #expect(wrong.status == 2)
    }
}
