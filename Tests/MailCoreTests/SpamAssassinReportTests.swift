import Testing
@testable import MailCore

/// SpamAssassin's report as spamd's REPORT and `spamassassin -t` print it.
struct SpamAssassinReportTests {
    static let report = """
        Spam detection software, running on the system "vm",
        has identified this incoming email as possible spam.

        Content analysis details:   (5.6 points, 5.0 required)

         pts rule name              description
        ---- ---------------------- --------------------------------------------------
         2.0 BANG_GUAR              Something is emphatically guaranteed
        -0.0 NO_RELAYS              Informational: message was not relayed via SMTP
         1.4 TO_NO_BRKTS_HTML_ONLY  To: lacks brackets and HTML and one-part
                                    message
         0.0 HTML_MESSAGE           BODY: HTML included in message

        """

    @Test func scoreThresholdAndRulesWithWrappedDescriptions() throws {
        let parsed = try #require(SpamAssassinReport.parse(Self.report, source: "spamd"))
        #expect(parsed.score == 5.6 && parsed.threshold == 5.0 && parsed.isSpam)
        #expect(parsed.rules.map(\.name) == ["BANG_GUAR", "NO_RELAYS", "TO_NO_BRKTS_HTML_ONLY", "HTML_MESSAGE"])
        #expect(parsed.rules[1].points == 0 && parsed.rules[2].description == "To: lacks brackets and HTML and one-part message")
    }

    /// `spamassassin -t` appends its report after the message, which may quote a report of its
    /// own (CRLF lines, too): the last one counts.
    @Test func theLastReportCountsAndCRLFLinesAreRead() throws {
        let quoted = Self.report.replacingOccurrences(of: "5.6 points", with: "-9.0 points")
        let output = ("Subject: x\n\n" + quoted + "\n" + Self.report).replacingOccurrences(of: "\n", with: "\r\n")
        let parsed = try #require(SpamAssassinReport.parse(output, source: "spamassassin"))
        #expect(parsed.score == 5.6 && parsed.rules.count == 4)
        #expect(SpamAssassinReport.parse("no report here", source: "x") == nil)
    }

    @Test func pointsAreShownWithOneDecimalAndTheirSign() {
        #expect(SpamAssassin.format(-0.04) == "0.0")
        #expect(SpamAssassin.format(-1.26) == "-1.3")
        #expect(SpamAssassin.format(5.6) == "5.6" && SpamAssassin.format(-0.3) == "-0.3")
    }
}
