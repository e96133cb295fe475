import Foundation
import Testing
@testable import MailCore
import TestSupport

/// The spam score from Debian's SpamAssassin (installed by scripts/setup.sh): spamd on a free
/// loopback port asked over SPAMC/1.5, and `spamassassin --test-mode`, each equal to what
/// `spamassassin -L -t` reports for the same file.
@Suite(.serialized, .enabled(if: TestSpamd.installed, "scripts/setup.sh installs spamassassin")) struct SpamAssassinTests {
    let directory = TestPaths.temporaryDirectory("mailtui-spam")

    /// HTML only, shouting, with a link's text that names another address: rules hit.
    static let spammy = """
        From: "WINNER" <promo@example.com>\r
        To: ada@example.org\r
        Subject: FREE MONEY!!! ACT NOW!!!\r
        Date: Sat, 05 Dec 2026 06:00:00 +0000\r
        Message-ID: <1@example.com>\r
        MIME-Version: 1.0\r
        Content-Type: text/html; charset=utf-8\r
        \r
        <html><body><p>CLICK HERE TO CLAIM YOUR FREE MONEY!!! 100% GUARANTEED!!!</p>\r
        <a href="http://192.0.2.7/claim">http://www.example.com/claim</a></body></html>\r

        """

    func file(_ text: String) throws -> String {
        let path = directory + "/\(UUID().uuidString.prefix(8)).eml"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func spamdsScoreIsSpamassassinsScore() throws {
        let spamd = try TestSpamd()
        defer { spamd.stop() }
        let path = try file(Self.spammy)
        let reference = try TestSpamd.referenceScore(path)
        guard case .scored(let report) = SpamAssassin.check(Array(Self.spammy.utf8), options: .init(spamd: spamd.address)) else {
            Issue.record("spamd gave no report")
            return
        }
        #expect(report.source == "spamd \(spamd.address)")
        #expect(report.score == reference.score && report.threshold == reference.required, "spamd \(report.score)/\(report.threshold), spamassassin -t \(reference)")
        #expect(!report.rules.isEmpty && report.rules.allSatisfy { !$0.description.isEmpty }, "\(report.rules)")
        #expect(abs(report.rules.map(\.points).reduce(0, +) - report.score) < 0.15, "the rules' points add up to the score: \(report.rules)")
        let findings = SpamAssassin.findings(Array(Self.spammy.utf8), options: .init(spamd: spamd.address))
        #expect(findings.first?.text.hasPrefix("Score \(SpamAssassin.format(reference.score)), ") == true, "\(findings)")
        #expect(findings.dropFirst().allSatisfy { $0.verdict == .info } && findings.count == report.rules.count + 1)
        // The binary's --json gives the same score as data, with each rule.
        let run = try Program.run(TestPaths.mailtui, ["check-message", path, "--json", "--no-dns", "--spamd", spamd.address],
                                  environment: TestPaths.hermeticEnvironment())
        #expect(run.status == 12, "the score is over 5: \(run.err)")
        let object = try #require(try JSONSerialization.jsonObject(with: run.stdout) as? [String: Any])
        let spam = try #require(object["spam"] as? [String: Any])
        #expect(spam["score"] as? Double == reference.score && spam["threshold"] as? Double == reference.required, "\(spam)")
        #expect((spam["rules"] as? [[String: Any]])?.count == report.rules.count)
    }

    @Test func theCommandsScoreIsSpamassassinsScore() throws {
        let plain = "From: a@example.com\r\nTo: b@example.org\r\nSubject: lunch\r\nDate: Sat, 05 Dec 2026 06:00:00 +0000\r\nMessage-ID: <2@example.com>\r\n\r\nLunch at noon?\r\n"
        for text in [Self.spammy, plain] {
            let reference = try TestSpamd.referenceScore(try file(text))
            // Nothing listens on the port given as the default spamd here, so the command runs.
            guard case .scored(let report) = SpamAssassin.run(Array(text.utf8), options: .init()) else {
                Issue.record("spamassassin --test-mode gave no report")
                continue
            }
            #expect(report.source == "spamassassin --test-mode --local")
            #expect(report.score == reference.score && report.threshold == reference.required, "\(report.score), spamassassin -t \(reference)")
        }
    }

    @Test func withoutSpamAssassinItSaysHowToInstallIt() {
        let outcome = SpamAssassin.run(Array("From: a@b.c\r\n\r\nx\r\n".utf8), options: .init(command: "/nonexistent/spamassassin"))
        #expect(outcome == .unavailable("SpamAssassin is not installed and no spamd answers on 127.0.0.1:783: install it (apt-get install spamassassin spamc), or give --spamd HOST:PORT."))
        let refused = SpamAssassin.check(Array("x".utf8), options: .init(spamd: "127.0.0.1:\(unusedPort())"))
        guard case .failed(let why) = refused else { Issue.record("\(refused)"); return }
        #expect(why.hasSuffix("connection refused (is spamd running there?)"))
    }
}
