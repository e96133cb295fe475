import Foundation
import Testing
import MailCore
import TestSupport

/// mailtui's DMARC parser against checkdmarc's on the same records: which parse, and the policy,
/// subdomain policy and alignment modes they give.
@Suite struct DMARCAgainstCheckdmarcTests {
    static let records = [
        "v=DMARC1; p=none", "v=DMARC1; p=quarantine", "v=DMARC1; p=reject", "v=DMARC1;p=reject;sp=none",
        "v=DMARC1; p=quarantine; sp=reject; adkim=s; aspf=s", "v=DMARC1; p=reject; adkim=x", "v=DMARC1; p=reject; aspf=S",
        "v=DMARC1", "v=DMARC1; sp=reject", "p=reject; v=DMARC1", "v=DMARC1; p=bogus", "v=DMARC2; p=reject",
        "v=DMARC1; p=reject; pct=50", "v=DMARC1; p=reject; foo=bar", "v=DMARC1 ; p = reject ; adkim = s",
        "v=DMARC1; p=none; fo=1; ri=86400", "V=DMARC1; p=reject", "v=dmarc1; p=reject", "v=DMARC1; p=REJECT",
        "v=DMARC1; p=reject;", "", "v=spf1 -all",
    ]

    @Test func sameReadingAsCheckdmarc() throws {
        let file = TestPaths.temporaryDirectory("mailtui-dmarc") + "/records.json"
        try JSONSerialization.data(withJSONObject: Self.records).write(to: URL(fileURLWithPath: file))
        let result = try Program.python("dmarc_parse.py", [file])
        #expect(result.status == 0, "\(result.err)")
        let expected = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [[String: Any]], "\(result.out)")
        #expect(expected.count == Self.records.count)
        for (record, reference) in zip(Self.records, expected) {
            let ours = DMARCRecord.isDMARC(record) ? (try? DMARCRecord.parse(record).get()) : nil
            let valid = reference["valid"] as? Bool ?? false
            #expect((ours != nil) == valid, "\"\(record)\": mailtui \(ours == nil ? "refuses" : "reads") it, checkdmarc \(valid ? "reads" : "refuses") it")
            guard let ours, valid else { continue }
            #expect(ours.policy == reference["p"] as? String, "\"\(record)\" p: \(ours.policy) vs \(reference["p"] ?? "-")")
            #expect(ours.subdomainPolicy == reference["sp"] as? String, "\"\(record)\" sp: \(ours.subdomainPolicy) vs \(reference["sp"] ?? "-")")
            #expect(ours.dkimAlignment == reference["adkim"] as? String, "\"\(record)\" adkim")
            #expect(ours.spfAlignment == reference["aspf"] as? String, "\"\(record)\" aspf")
        }
    }
}
