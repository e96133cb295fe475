import Foundation
import Testing
@testable import MailCore
import TestSupport

/// The bulk-sender rules on messages signed by dkimpy, with keys and DMARC records from a DNS
/// server on loopback: which headers h= covers, whether the signature verifies, and alignment
/// strict or relaxed as the From domain's DMARC record says.
@Suite(.serialized) struct MessageCheckDKIMTests {
    let directory = TestPaths.temporaryDirectory("mailtui-checkdkim")
    let key: String
    let dns: TestDNSServer

    init() throws {
        key = directory + "/rsa.pem"
        #expect(try Program.run("/usr/bin/env", ["openssl", "genrsa", "-out", key, "2048"]).status == 0)
        let publicKey = try Program.run("/usr/bin/env", ["openssl", "rsa", "-in", key, "-pubout", "-outform", "DER"]).stdout.base64EncodedString()
        let record = "v=DKIM1; k=rsa; p=" + publicKey.prefix(200) + "|" + publicKey.dropFirst(200)
        dns = try TestDNSServer([
            "s1._domainkey.strict.test": [("TXT", record)],
            "s1._domainkey.mail.strict.test": [("TXT", record)],
            "s1._domainkey.mail.relaxed.test": [("TXT", record)],
            "_dmarc.strict.test": [("TXT", "v=DMARC1; p=reject; adkim=s; rua=mailto:d@strict.test")],
            "_dmarc.relaxed.test": [("TXT", "v=DMARC1; p=quarantine")],
        ])
    }

    static func unsigned(from domain: String) -> String {
        "From: News <news@\(domain)>\r\nTo: ada@example.org\r\nSubject: News\r\nDate: Sat, 05 Dec 2026 06:00:00 +0000\r\n"
            + "Message-ID: <1@\(domain)>\r\nList-Unsubscribe: <https://\(domain)/u/1>\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n\r\nHello.\r\n"
    }

    /// The message signed by dkimpy with d=`domain`, signing `headers`.
    func signed(_ message: String, domain: String, headers: String) throws -> [UInt8] {
        let source = directory + "/in.eml", target = directory + "/out.eml"
        try Data(message.utf8).write(to: URL(fileURLWithPath: source))
        let result = try Program.python("dkim_sign.py", [key, "s1", domain, "relaxed", source, target, headers])
        #expect(result.status == 0, "\(result.err)")
        return Array(try Data(contentsOf: URL(fileURLWithPath: target)))
    }

    func bulk(_ bytes: [UInt8]) -> [MessageCheck.Finding] {
        MessageCheck(bytes: bytes, options: .init(dns: dns.resolver)).run().filter { $0.area == .bulkRules }
    }

    static let all = "from,to,subject,date,message-id,list-unsubscribe,list-unsubscribe-post"

    @Test func signedUnsubscribeHeadersAndStrictAlignmentPass() throws {
        let findings = bulk(try signed(Self.unsigned(from: "strict.test"), domain: "strict.test", headers: Self.all))
        #expect(findings.allSatisfy { $0.verdict == .ok }, "\(findings)")
        #expect(findings.contains { $0.text == "The DKIM signature of d=strict.test covers list-unsubscribe and list-unsubscribe-post (h=)." })
        #expect(findings.contains { $0.text == "DKIM verifies (d=strict.test, s=s1)." })
        #expect(findings.contains { $0.text == "From (strict.test) aligns with DKIM d=strict.test (strict; DMARC of strict.test: adkim=s, aspf=r)." })
    }

    @Test func unsubscribeHeadersOutsideHIsAProblem() throws {
        let findings = bulk(try signed(Self.unsigned(from: "strict.test"), domain: "strict.test", headers: "from,to,subject,date,list-unsubscribe"))
        let problems = findings.filter { $0.verdict == .problem }.map(\.text)
        #expect(problems == ["No DKIM signature covers list-unsubscribe-post in its h=: Gmail ignores unsubscribe headers that are not signed, since anyone could add them."], "\(findings)")
        #expect(findings.contains { $0.text == "DKIM verifies (d=strict.test, s=s1)." }, "the signature itself is sound")
    }

    @Test func aSubdomainAlignsOnlyWhenDMARCIsRelaxed() throws {
        let strict = bulk(try signed(Self.unsigned(from: "strict.test"), domain: "mail.strict.test", headers: Self.all))
        #expect(strict.filter { $0.verdict == .problem }.map(\.text) == [
            "From (strict.test) aligns with neither DKIM nor the envelope sender (d=mail.strict.test; DMARC of strict.test: adkim=s, aspf=r): DMARC fails.",
        ], "\(strict)")
        let relaxed = bulk(try signed(Self.unsigned(from: "relaxed.test"), domain: "mail.relaxed.test", headers: Self.all))
        #expect(relaxed.allSatisfy { $0.verdict == .ok }, "\(relaxed)")
        #expect(relaxed.contains { $0.text == "From (relaxed.test) aligns with DKIM d=mail.relaxed.test (relaxed; DMARC of relaxed.test: adkim=r, aspf=r)." })
    }

    @Test func aChangedUnsubscribeHeaderFailsDKIM() throws {
        let bytes = try signed(Self.unsigned(from: "strict.test"), domain: "strict.test", headers: Self.all)
        let changed = String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "<https://strict.test/u/1>", with: "<https://evil.test/u/1>")
        let problems = bulk(Array(changed.utf8)).filter { $0.verdict == .problem }.map(\.text)
        #expect(problems.count == 1 && problems[0].hasPrefix("DKIM fails: the signature does not verify"), "\(problems)")
    }

    /// A file saved with LF line ends (as most tools write .eml files) verifies as sent.
    @Test func aFileWithLFLineEndsVerifies() throws {
        let bytes = try signed(Self.unsigned(from: "strict.test"), domain: "strict.test", headers: Self.all)
        let lf = Array(String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n").utf8)
        #expect(bulk(lf).contains { $0.text == "DKIM verifies (d=strict.test, s=s1)." })
    }
}
