import Foundation
import Testing
@testable import MailCore
import TestSupport

/// check-domain's MTA-STS (the TXT record and the policy over HTTPS from a server on loopback,
/// trusted through the test CA), TLS-RPT and BIMI sections, each passing and failing.
@Suite(.serialized) struct DomainTransportTests {
    static let policyPath = "/.well-known/mta-sts.txt"

    static func zones(dmarc: String = "v=DMARC1; p=reject", tlsrpt: String? = "v=TLSRPTv1; rua=mailto:tls@sts.test") -> [String: [TestDNSServer.Record]] {
        var zones: [String: [TestDNSServer.Record]] = [
            "sts.test": [("MX", "10 mx.sts.test"), ("TXT", "v=spf1 -all")],
            "mx.sts.test": [("A", "192.0.2.25")],
            "_mta-sts.sts.test": [("TXT", "v=STSv1; id=20261205")],
            "_dmarc.sts.test": [("TXT", dmarc)],
            "default._bimi.sts.test": [("TXT", "v=BIMI1; l=https://sts.test/logo.svg; a=")],
        ]
        if let tlsrpt { zones["_smtp._tls.sts.test"] = [("TXT", tlsrpt)] }
        return zones
    }

    func sections(_ zones: [String: [TestDNSServer.Record]], policy: TestHTTPSServer.Page, trusted: Bool = true) throws -> [String: DomainCheck.Section] {
        let dns = try TestDNSServer(zones)
        defer { dns.stop() }
        let https = try TestHTTPSServer([Self.policyPath: policy])
        defer { https.stop() }
        let check = DomainCheck(domain: "sts.test", dns: dns.resolver, options: .init(mtaSTSURL: https.url(Self.policyPath), caFile: trusted ? https.caFile : nil))
        return Dictionary(check.run().map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    static let enforce: TestHTTPSServer.Page = (200, "text/plain", "version: STSv1\nmode: enforce\nmx: *.sts.test\nmax_age: 604800\n")

    @Test func aSoundPolicyTLSRPTAndBIMI() throws {
        let found = try sections(Self.zones(), policy: Self.enforce)
        let sts = try #require(found["MTA-STS"])
        #expect(sts.verdict == .ok, "\(sts.findings)")
        #expect(sts.findings.map(\.text).contains("Every MX (mx.sts.test) matches an mx: line of the policy."))
        #expect(sts.findings.map(\.text).contains("mode: enforce: senders deliver only over TLS to an MX the policy names."))
        #expect(found["TLS-RPT"]?.findings.map(\.text) == ["TLS reports go to mailto:tls@sts.test."])
        let bimi = try #require(found["BIMI"])
        #expect(bimi.findings.map(\.verdict) == [.ok, .warning, .ok], "\(bimi.findings)")
        #expect(bimi.findings.last?.text == "DMARC is at p=reject, as BIMI needs.")
    }

    @Test func anMXOutsideThePolicyIsAProblem() throws {
        let policy: TestHTTPSServer.Page = (200, "text/plain", "version: STSv1\nmode: testing\nmx: mail.other.test\nmax_age: 86400\n")
        let sts = try #require(try sections(Self.zones(), policy: policy)["MTA-STS"])
        #expect(sts.findings.filter { $0.verdict == .problem }.map(\.text) == [
            "MX mx.sts.test matches no mx: line of the policy (mail.other.test): in enforce mode senders refuse to deliver there. Add it to the policy.",
        ], "\(sts.findings)")
        #expect(sts.findings.contains { $0.verdict == .warning && $0.text.hasPrefix("mode: testing") })
    }

    @Test func aPolicyThatCannotBeFetchedIsAProblem() throws {
        let untrusted = try #require(try sections(Self.zones(), policy: Self.enforce, trusted: false)["MTA-STS"])
        #expect(untrusted.verdict == .problem && untrusted.findings.contains { $0.text.hasPrefix("The policy could not be fetched from https://localhost:") }, "\(untrusted.findings)")
        let moved = try #require(try sections(Self.zones(), policy: (301, "text/plain", ""))["MTA-STS"])
        #expect(moved.findings.contains { $0.verdict == .problem && $0.text.hasSuffix("answered HTTP 301, not 200 with the policy (redirects are not followed, RFC 8461 3.3).") }, "\(moved.findings)")
        let broken = try #require(try sections(Self.zones(), policy: (200, "text/html", "mode: sometimes\n"))["MTA-STS"])
        #expect(broken.findings.map(\.text).contains("The policy is served as text/html; RFC 8461 wants text/plain."))
        #expect(broken.findings.map(\.text).contains("The policy: mode sometimes is not enforce, testing or none."), "\(broken.findings)")
        #expect(broken.findings.map(\.text).contains("The policy: no version: STSv1 line."))
    }

    @Test func bimiNeedsDMARCEnforcedAndTLSRPTIsWanted() throws {
        let found = try sections(Self.zones(dmarc: "v=DMARC1; p=none", tlsrpt: nil), policy: Self.enforce)
        #expect(found["BIMI"]?.findings.last?.text == "DMARC is at p=none: BIMI needs p=quarantine or p=reject applied to all mail (pct=100).")
        #expect(found["BIMI"]?.verdict == .problem)
        #expect(found["TLS-RPT"]?.verdict == .warning && found["TLS-RPT"]?.findings.first?.text.hasPrefix("No TLS-RPT record") == true)
    }

    @Test func mxPatternsMatchOneLabel() {
        #expect(MTASTSPolicy.matches("mx1.example.com", pattern: "*.example.com"))
        #expect(MTASTSPolicy.matches("MX.example.com.", pattern: "mx.example.com"))
        #expect(!MTASTSPolicy.matches("a.b.example.com", pattern: "*.example.com"))
        #expect(!MTASTSPolicy.matches("example.com", pattern: "*.example.com"))
        #expect(MTASTSPolicy(parsing: "version: STSv1\r\nmode: enforce\r\nmx: a.example\r\nmax_age: 99999999\r\n").problems == ["max_age 99999999 is over a year (31557600)"])
    }
}
