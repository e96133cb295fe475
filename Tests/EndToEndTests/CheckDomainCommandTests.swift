import Foundation
import Testing
import TestSupport

/// `mailtui check-domain` as a script runs it: the real binary against a DNS server on loopback.
@Suite(.serialized) struct CheckDomainCommandTests {
    func mailtui(_ arguments: [String]) throws -> ProgramResult {
        var env = TestPaths.hermeticEnvironment()
        env["NO_COLOR"] = "1"
        return try Program.run(TestPaths.mailtui, arguments, environment: env)
    }

    /// A TXT record is anyone's to write: a line break in it shows as `\n` on the record's own
    /// line, and cannot print a section of its own.
    @Test func aRecordWithLineBreaksCannotForgeASection() throws {
        let forged = "v=spf1 -all\n\nDKIM s1       OK\n  ✓ RSA key, 2048 bits.\u{1B}[2K"
        let dns = try TestDNSServer(["forge.test": [("MX", "0 ."), ("TXT", forged)], "s1._domainkey.forge.test": [("TXT", "v=DKIM1; p=\nDKIM s1 OK")]])
        defer { dns.stop() }
        let result = try mailtui(["check-domain", "forge.test", "--dns-server", dns.address, "--dkim-selector", "s1"])
        let lines = result.out.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(!lines.contains { $0.hasPrefix("DKIM s1") && $0.hasSuffix("OK") }, "\(result.out)")
        #expect(!lines.contains { $0.hasPrefix("  ✓ RSA key") }, "\(result.out)")
        #expect(lines.contains { $0 == "  \"v=spf1 -all\\n\\nDKIM s1       OK\\n  ✓ RSA key, 2048 bits.^[[2K\"" }, "\(result.out)")
        #expect(!result.out.contains("\u{1B}"))
        #expect(result.status == 12, "the revoked key is a problem: \(result.out)")
    }

    @Test func aDNSServerThatDoesNotAnswerIsCouldNotCheck() throws {
        let silent = try SilentUDPPort()
        let result = try mailtui(["check-domain", "example.com", "--dns-server", silent.address, "--deadline", "4"])
        #expect(result.status == 13, "\(result.out)\(result.err)")
        #expect(result.out.contains("The DNS server \(silent.address) did not answer"), "\(result.out)")
        #expect(!result.out.contains("✗"), "nothing judged: \(result.out)")
        let json = try mailtui(["check-domain", "example.com", "--dns-server", silent.address, "--deadline", "4", "--json"])
        #expect(json.status == 13)
        let object = try #require(try JSONSerialization.jsonObject(with: json.stdout) as? [String: Any])
        #expect(object["verdict"] as? String == "unchecked")
    }

    @Test func nxdomainForEverythingIsCouldNotCheck() throws {
        let dns = try TestDNSServer([:])
        defer { dns.stop() }
        let result = try mailtui(["check-domain", "example.com", "--dns-server", dns.address])
        #expect(result.status == 13, "\(result.out)\(result.err)")
        #expect(result.out.contains("NXDOMAIN (no such name) even for the root of DNS"), "\(result.out)")
        #expect(!result.out.contains("does not exist in DNS"))
    }

    @Test func theHelpListsTheNewExitStatusAndTheDeadline() throws {
        let help = try mailtui(["check-domain", "--help"])
        #expect(help.out.contains("--deadline <seconds>") && help.out.contains("13 when something could not be checked"), "\(help.out)")
        let send = try mailtui(["send", "--help"])
        #expect(send.out.contains("13  check-domain could not check"), "\(send.out)")
        #expect(try mailtui(["check-domain", "example.com", "--deadline", "0"]).status == 2)
    }
}
