import Foundation
import Testing
@testable import MailCore
import TestSupport

/// `MessageCheck` offline (no DNS, no spam score): each rule on a message built to pass it and
/// one built to fail it.
struct MessageCheckTests {
    static let goodHTML = """
        <!doctype html><html lang="en"><head><meta name="color-scheme" content="light dark">
        <style>@media (prefers-color-scheme: dark) { body { background: #000; color: #fff } }</style></head>
        <body bgcolor="#ffffff"><table role="presentation"><tr><td style="color:#333">Your March invoice is ready.
        <a href="https://example.com/invoice/3">Read the March invoice</a> or write to <a href="mailto:help@example.com">help@example.com</a>.
        <img src="https://example.com/logo.png" alt="Example Ltd"></td></tr></table></body></html>
        """

    /// A multipart/alternative message; `headers` replace the defaults of the same name (nil drops one).
    static func message(_ headers: [String: String?] = [:], text: String? = "Your March invoice is ready. Read it at https://example.com/invoice/3 or write to help@example.com.",
                        html: String? = goodHTML, signature: String? = "v=1; a=rsa-sha256; d=example.com; s=s1; c=relaxed/relaxed; h=from:to:subject:date:message-id:list-unsubscribe:list-unsubscribe-post; bh=x; b=y") -> [UInt8] {
        var fields: [(String, String?)] = [
            ("From", "Example <news@example.com>"), ("To", "ada@example.org"), ("Subject", "Your invoice"),
            ("Date", "Sat, 05 Dec 2026 06:00:00 +0000"), ("Message-ID", "<1@example.com>"),
            ("List-Unsubscribe", "<https://example.com/u/1>, <mailto:u@example.com>"), ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
            ("DKIM-Signature", signature),
        ]
        for (name, value) in headers {
            if let at = fields.firstIndex(where: { $0.0 == name }) { fields[at].1 = value } else { fields.append((name, value)) }
        }
        var out = fields.compactMap { name, value in value.map { "\(name): \($0)\r\n" } }.joined()
        out += "MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"b\"\r\n\r\n"
        if let text { out += "--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\(text)\r\n" }
        if let html { out += "--b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n\(html)\r\n" }
        out += "--b--\r\n"
        return Array(out.utf8)
    }

    static func check(_ bytes: [UInt8], _ options: MessageCheck.Options = .init()) -> [MessageCheck.Finding] {
        MessageCheck(bytes: bytes, options: options).run()
    }

    static func problems(_ findings: [MessageCheck.Finding]) -> [String] { findings.filter { $0.verdict == .problem }.map(\.text) }

    @Test func aGoodMessageHasNoProblemsAndNoWarningsOutsideCaniemail() {
        let findings = Self.check(Self.message())
        #expect(Self.problems(findings).isEmpty, "\(findings)")
        #expect(findings.filter { $0.verdict == .warning && $0.area != .compatibility }.isEmpty, "\(findings)")
        #expect(findings.contains { $0.area == .bulkRules && $0.verdict == .ok && $0.text.contains("covers list-unsubscribe and list-unsubscribe-post") })
        #expect(findings.contains { $0.text.hasPrefix("From (example.com) aligns with DKIM d=example.com (relaxed") })
        #expect(!MessageCheck.hasProblems(findings))
    }

    @Test func listUnsubscribeNeedsAnHTTPSURI() {
        let mailtoOnly = Self.check(Self.message(["List-Unsubscribe": "<mailto:u@example.com>"]))
        #expect(Self.problems(mailtoOnly) == ["List-Unsubscribe has no https: URI (mailto:u@example.com): Gmail and Yahoo need one for one-click unsubscribe."])
        let missing = Self.check(Self.message(["List-Unsubscribe": nil]))
        #expect(Self.problems(missing).contains("No List-Unsubscribe header: Gmail and Yahoo require one-click unsubscribe from bulk senders."))
        let transactional = Self.check(Self.message(["List-Unsubscribe": nil, "List-Unsubscribe-Post": nil]), .init(transactional: true))
        #expect(Self.problems(transactional).isEmpty, "\(transactional)")
    }

    @Test func listUnsubscribePostMustBeOneClick() {
        #expect(Self.problems(Self.check(Self.message(["List-Unsubscribe-Post": nil]))).contains { $0.hasPrefix("No List-Unsubscribe-Post header") })
        #expect(Self.problems(Self.check(Self.message(["List-Unsubscribe-Post": "List-Unsubscribe=Yes"]))).contains { $0.hasPrefix("List-Unsubscribe-Post is \"List-Unsubscribe=Yes\"") })
    }

    @Test func bothUnsubscribeHeadersMustBeSignedByDKIM() {
        let signature = "v=1; a=rsa-sha256; d=example.com; s=s1; h=from:to:subject:list-unsubscribe; bh=x; b=y"
        let problems = Self.problems(Self.check(Self.message(signature: signature)))
        #expect(problems.contains { $0.hasPrefix("No DKIM signature covers list-unsubscribe-post in its h=") }, "\(problems)")
        let unsigned = Self.problems(Self.check(Self.message(signature: nil)))
        #expect(unsigned.contains { $0.hasPrefix("Not signed with DKIM") }, "\(unsigned)")
    }

    @Test func fromMustAlignWithDKIMOrTheEnvelopeSender() {
        let other = "v=1; a=rsa-sha256; d=mailer.net; s=s1; h=from:list-unsubscribe:list-unsubscribe-post; bh=x; b=y"
        #expect(Self.problems(Self.check(Self.message(signature: other))).contains { $0.hasPrefix("From (example.com) aligns with neither DKIM nor the envelope sender (d=mailer.net;") })
        // The envelope sender rescues it; a subdomain aligns in relaxed mode.
        let viaEnvelope = Self.check(Self.message(signature: other), .init(envelopeFrom: "bounces@mail.example.com"))
        #expect(Self.problems(viaEnvelope).isEmpty, "\(viaEnvelope)")
        let viaReturnPath = Self.check(Self.message(["Return-Path": "<b@example.com>"], signature: other))
        #expect(Self.problems(viaReturnPath).isEmpty)
    }

    @Test func messageIDDateAndPrecedence() {
        #expect(Self.problems(Self.check(Self.message(["Message-ID": nil]))).contains { $0.hasPrefix("No Message-ID header") })
        #expect(Self.problems(Self.check(Self.message(["Date": nil]))).contains { $0.hasPrefix("No Date header") })
        let bulk = Self.check(Self.message(["Precedence": "bulk", "List-Unsubscribe-Post": nil]), .init(transactional: true))
        #expect(Self.problems(bulk).contains { $0.hasPrefix("Precedence: bulk without the unsubscribe headers") }, "\(bulk)")
        #expect(Self.problems(Self.check(Self.message(["Precedence": "bulk"]))).isEmpty)
    }

    @Test func gmailClipsHTMLOver102KiB() {
        let filler = String(repeating: "<p style=\"margin:0\">x</p>\n", count: 5000)
        let big = Self.goodHTML.replacingOccurrences(of: "</body>", with: filler + "</body>")
        let findings = Self.check(Self.message(html: big))
        #expect(findings.contains { $0.area == .html && $0.verdict == .problem && $0.text.contains("over Gmail's 102 KiB") })
        #expect(Self.check(Self.message()).contains { $0.area == .html && $0.verdict == .ok && $0.text.contains("under Gmail's 102 KiB clipping limit") })
    }

    @Test func darkMode() {
        let plain = "<html lang=\"en\"><body><table role=\"presentation\"><tr><td><p style=\"color:#222222\">Hello</p></td></tr></table></body></html>"
        let findings = Self.check(Self.message(html: plain)).filter { $0.area == .darkMode }
        #expect(findings.map(\.verdict) == [.warning, .warning, .warning], "\(findings)")
        #expect(findings[0].text.hasPrefix("No color-scheme meta tag"))
        #expect(findings[1].text.hasPrefix("No @media (prefers-color-scheme: dark)"))
        #expect(findings[2].text.hasPrefix("1 element sets a text colour with no background around it (first: <p style=\"color:#222222\">)"))
        // A background on a container covers the colour inside it.
        let covered = plain.replacingOccurrences(of: "<td>", with: "<td style=\"background-color:#fff\">")
        #expect(!Self.check(Self.message(html: covered)).contains { $0.text.contains("text colour with no background") })
    }

    @Test func accessibility() {
        let html = "<html><body><table><tr><td><img src=\"https://e.com/a.png\"><img src=\"https://e.com/b.png\" alt=\"\"><a href=\"https://e.com\">Click here</a></td></tr></table></body></html>"
        let findings = Self.check(Self.message(html: html)).filter { $0.area == .accessibility }
        #expect(findings.map(\.verdict) == [.problem, .warning, .warning, .warning], "\(findings)")
        #expect(findings[0].text.hasPrefix("1 image without alt (first: https://e.com/a.png)"))
        #expect(findings[1].text.hasPrefix("No lang on <html>"))
        #expect(findings[2].text.hasPrefix("1 of 1 table without role=\"presentation\""))
        #expect(findings[3].text.hasPrefix("1 link whose text is only \"Click here\""))
        #expect(Self.check(Self.message()).filter { $0.area == .accessibility }.allSatisfy { $0.verdict == .ok })
    }

    @Test func linksAndImages() {
        let html = "<html lang=\"en\"><body><img src=\"http://e.com/a.png\" alt=\"a\"><img src=\"https://t.e.com/o.gif\" width=\"1\" height=\"1px\" alt=\"\">"
            + "<a href=\"http://e.com/x\">the x page</a><a href=\"mailto:a@e.com\">write</a><a href=\"https://e.com/y\">the y page</a></body></html>"
        let findings = Self.check(Self.message(html: html)).filter { $0.area == .links }
        #expect(findings.map(\.text) == [
            "1 image over http: (first: http://e.com/a.png): clients warn about or block insecure content.",
            "1 tracking pixel (1×1 image: https://t.e.com/o.gif): Apple Mail Privacy Protection loads them all, so opens are not a measure; some filters score them.",
            "1 link over http: (first: http://e.com/x).",
            "1 mailto: link: mailto:a@e.com",
            "1 https: link: https://e.com/y",
        ])
    }

    @Test func textBesideHTML() {
        #expect(Self.problems(Self.check(Self.message(text: nil))).contains { $0.hasPrefix("HTML without a text part") })
        let short = Self.check(Self.message(text: "See HTML.")).filter { $0.area == .text }
        #expect(short.map(\.verdict) == [.warning] && short[0].text.hasPrefix("The text part has 8 characters, the HTML's text"), "\(short)")
        #expect(Self.check(Self.message()).filter { $0.area == .text }.map(\.verdict) == [.ok])
    }

    @Test func caniemailNamesTheClientsThatBreakWhatTheMessageUses() {
        let html = Self.goodHTML.replacingOccurrences(of: "<td style=\"color:#333\">", with: "<td style=\"color:#333; display:flex\">")
        let findings = Self.check(Self.message(html: html)).filter { $0.area == .compatibility }
        let flex = findings.first { $0.text.hasPrefix("display:flex: ") }
        #expect(flex?.verdict == .warning && flex?.text.contains("Outlook Windows") == true, "\(findings.map(\.text))")
        #expect(flex?.text.contains("Notes: ") == true && flex?.fix?.contains("caniemail.com/features/css-display-flex/") == true)
        #expect(findings.contains { $0.text.hasPrefix("@media (prefers-color-scheme): ") })
        #expect(!Self.check(Self.message()).contains { $0.text.hasPrefix("display:flex") })
        #expect(CanIEmail.features.count > 200)
    }

    @Test func findingsComeGroupedByArea() {
        let findings = Self.check(Self.message(["Date": nil], text: nil))
        let areas = findings.map(\.area)
        let order = MessageCheck.Area.allCases
        #expect(areas == areas.sorted { order.firstIndex(of: $0)! < order.firstIndex(of: $1)! })
        let report = MessageCheck.report("m.eml", findings)
        #expect(report.first == "Checking m.eml")
        #expect(report.contains("Bulk-sender rules (Gmail, Yahoo)  PROBLEM"))
        #expect(report.contains("  ✗ No Date header: some servers add one, others score or refuse the message."))
        #expect(report.contains("    → Add a Date header (RFC 5322 format)."))
        #expect(report.last == "2 problems: Bulk-sender rules (Gmail, Yahoo), Text and HTML.")
    }

    /// The message quotes outside text in findings: it cannot steer the terminal.
    @Test func outsideTextCannotSteerTheTerminal() {
        let findings = Self.check(Self.message(["List-Unsubscribe": "<mailto:a@b\u{1B}[2J>"]))
        #expect(!MessageCheck.report("m", findings).joined().contains("\u{1B}"))
    }
}
