import Foundation
import Testing
@testable import MailCore
import TestSupport

/// SpamAssassin never holds a check for long: a spamd that does not answer is given up at the
/// step's own deadline, said in words, and a message whose HTML nests deeper than any real mail
/// (which keeps SpamAssassin busy for minutes) is not handed to it at all.
@Suite struct SpamAssassinDeadlineTests {
    /// A generated message whose HTML nests `depth` elements deep.
    static func nested(_ depth: Int) -> [UInt8] {
        let head = "From: a@example.com\r\nTo: b@example.org\r\nSubject: nested\r\nDate: Sat, 05 Dec 2026 06:00:00 +0000\r\n"
            + "Message-ID: <nest@example.com>\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
        return Array((head + "<html><body>" + String(repeating: "<div>", count: depth) + "deep" + String(repeating: "</div>", count: depth) + "</body></html>\r\n").utf8)
    }

    @Test func aSpamdThatNeverAnswersIsGivenUpAtTheStepsDeadline() throws {
        let spamd = try SilentListener()
        let message = Array("From: a@example.com\r\nTo: b@example.org\r\nSubject: x\r\n\r\nhello\r\n".utf8)
        let start = ContinuousClock.now
        let findings = SpamAssassin.findings(message, options: .init(spamd: spamd.address, timeout: .seconds(1)))
        #expect(ContinuousClock.now - start < .seconds(30))
        #expect(findings.count == 1 && findings[0].verdict == .unchecked)
        #expect(findings.first?.text == "Not scored: SpamAssassin (spamd at \(spamd.address)) did not answer within 1 s.", "\(findings)")
        #expect(findings.first?.fix?.contains("--spam-timeout") == true, "\(findings)")

        // check-message takes the deadline as an option.
        let path = TestPaths.temporaryDirectory("mailtui-spam-deadline") + "/m.eml"
        try Data(message).write(to: URL(fileURLWithPath: path))
        let run = try Program.run(TestPaths.mailtui, ["check-message", path, "--no-dns", "--spamd", spamd.address, "--spam-timeout", "1"],
                                  environment: TestPaths.hermeticEnvironment(["NO_COLOR": "1"]))
        #expect(run.out.contains("SpamAssassin (spamd at \(spamd.address)) did not answer within 1 s"), "\(run.status) \(run.out) \(run.err)")
    }

    /// 8000 nested elements keep spamd busy for half a minute on an idle machine (more under
    /// load, up to its own 120 s): the check says why it did not ask, and is done in moments.
    @Test(.enabled(if: TestSpamd.installed, "scripts/setup.sh installs spamassassin"))
    func deeplyNestedHTMLIsNotHandedToSpamAssassin() throws {
        let spamd = try TestSpamd()
        defer { spamd.stop() }
        let start = ContinuousClock.now
        let outcome = MessageCheck(bytes: Self.nested(8000), options: .init(spam: .init(spamd: spamd.address))).inspect()
        #expect(ContinuousClock.now - start < .seconds(20), "no SpamAssassin run: the HTML scan alone")
        let spam = outcome.findings.filter { $0.area == .spam }
        #expect(spam.count == 1 && spam.first?.verdict == .unchecked, "\(spam)")
        #expect(spam.first?.text.hasPrefix("Not scored: the HTML nests more than 256 elements deep") == true, "\(spam)")
        #expect(outcome.spam == nil)
        // A message of ordinary depth is still scored by the same spamd.
        let ordinary = MessageCheck(bytes: Self.nested(40), options: .init(spam: .init(spamd: spamd.address))).inspect()
        #expect(ordinary.spam != nil, "\(ordinary.findings.filter { $0.area == .spam })")
    }
}
