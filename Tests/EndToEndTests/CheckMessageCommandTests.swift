import Foundation
import Testing
import TestSupport

/// `mailtui check-message` as CI runs it: the real binary, its exit status, its text and JSON,
/// a dkimpy-signed message checked against a DNS server on loopback.
@Suite(.serialized) struct CheckMessageCommandTests {
    let directory = TestPaths.temporaryDirectory("mailtui-checkmessage")
    let dns: TestDNSServer
    let key: String

    init() throws {
        key = directory + "/rsa.pem"
        #expect(try Program.run("/usr/bin/env", ["openssl", "genrsa", "-out", key, "2048"]).status == 0)
        let publicKey = try Program.run("/usr/bin/env", ["openssl", "rsa", "-in", key, "-pubout", "-outform", "DER"]).stdout.base64EncodedString()
        dns = try TestDNSServer([
            "s1._domainkey.app.test": [("TXT", "v=DKIM1; k=rsa; p=" + publicKey.prefix(200) + "|" + publicKey.dropFirst(200))],
            "_dmarc.app.test": [("TXT", "v=DMARC1; p=reject")],
        ])
    }

    func mailtui(_ arguments: [String], input: Data? = nil) throws -> ProgramResult {
        var env = TestPaths.hermeticEnvironment()
        env["NO_COLOR"] = "1"
        return try Program.run(TestPaths.mailtui, arguments, input: input, environment: env)
    }

    static let html = "<html lang=\"en\"><head><meta name=\"color-scheme\" content=\"light dark\"><style>@media (prefers-color-scheme: dark) { td { color: #eee } }</style></head>"
        + "<body><table role=\"presentation\"><tr><td>Welcome to the app. <a href=\"https://app.test/start\">Start your first project</a></td></tr></table></body></html>"

    /// A welcome message as a Flask app sends it, signed by dkimpy with every header Gmail wants signed.
    func goodMessage() throws -> String {
        let unsigned = "From: App <hello@app.test>\r\nTo: ada@example.org\r\nSubject: Welcome\r\nDate: Sat, 05 Dec 2026 06:00:00 +0000\r\n"
            + "Message-ID: <w1@app.test>\r\nList-Unsubscribe: <https://app.test/u/1>\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"
            + "MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"b\"\r\n\r\n"
            + "--b\r\nContent-Type: text/plain\r\n\r\nWelcome to the app. Start your first project: https://app.test/start\r\n"
            + "--b\r\nContent-Type: text/html\r\n\r\n\(Self.html)\r\n--b--\r\n"
        let source = directory + "/unsigned.eml", target = directory + "/good.eml"
        try Data(unsigned.utf8).write(to: URL(fileURLWithPath: source))
        let signed = try Program.python("dkim_sign.py", [key, "s1", "app.test", "relaxed", source, target,
                                                         "from,to,subject,date,message-id,list-unsubscribe,list-unsubscribe-post"])
        #expect(signed.status == 0, "\(signed.err)")
        return target
    }

    @Test func aGoodMessageExitsZero() throws {
        let good = try goodMessage()
        let result = try mailtui(["check-message", good, "--dns-server", dns.address, "--spamd", "127.0.0.1:\(unusedPort())"])
        #expect(result.status == 0, "\(result.out)\(result.err)")
        let lines = result.out.components(separatedBy: "\n")
        #expect(lines.first == "Checking \(good)")
        #expect(lines.contains("Bulk-sender rules (Gmail, Yahoo)  OK"), "\(result.out)")
        #expect(lines.contains("  ✓ DKIM verifies (d=app.test, s=s1)."))
        // A spamd that does not answer is "not checked", which is no problem.
        #expect(lines.contains { $0.hasPrefix("  ? Not scored: spamd at 127.0.0.1:") }, "\(result.out)")
        #expect(lines.contains { $0.hasPrefix("No problems found") })
    }

    @Test func aProblemExitsTwelveInTextAndJSON() throws {
        let bad = directory + "/bad.eml"
        try Data("From: a@app.test\nTo: b@example.org\nSubject: hi\nContent-Type: text/html\n\n<p>Hi <img src=\"x.png\"></p>\n".utf8).write(to: URL(fileURLWithPath: bad))
        let text = try mailtui(["check-message", bad, "--no-dns", "--no-spam"])
        #expect(text.status == 12, "\(text.out)\(text.err)")
        #expect(text.out.contains("  ✗ No Message-ID header") && text.out.contains("    → Add a Date header (RFC 5322 format)."), "\(text.out)")
        #expect(text.out.contains("  ✗ HTML without a text part"))
        let json = try mailtui(["check-message", "-", "--no-dns", "--no-spam", "--json"], input: try Data(contentsOf: URL(fileURLWithPath: bad)))
        #expect(json.status == 12, "\(json.err)")
        let object = try #require(try JSONSerialization.jsonObject(with: json.stdout) as? [String: Any])
        #expect(object["verdict"] as? String == "problem" && object["file"] as? String == "-")
        #expect(object["compatibility"] is [Any] && object["spam"] == nil, "\(object)")
        let findings = try #require(object["findings"] as? [[String: Any]])
        #expect(findings.contains { $0["area"] as? String == "bulk-rules" && $0["verdict"] as? String == "problem" && ($0["text"] as? String)?.hasPrefix("No Message-ID") == true })
        #expect(findings.contains { $0["area"] as? String == "accessibility" && $0["fix"] is String })
    }

    @Test func badInputExitsTwo() throws {
        let missing = try mailtui(["check-message", directory + "/none.eml"])
        #expect(missing.status == 2 && missing.err.contains("cannot open"), "\(missing.err)")
        let empty = try mailtui(["check-message", "-", "--no-dns"], input: Data())
        #expect(empty.status == 2 && empty.err.contains("is empty"), "\(empty.err)")
        #expect(try mailtui(["check-message", "x.eml", "--spamd", "nowhere"]).status == 2)
        // A FIFO would block the open until a writer came (the tester's run hung until killed).
        let fifo = directory + "/pipe.eml"
        #expect(mkfifo(fifo, 0o600) == 0)
        let piped = try mailtui(["check-message", fifo, "--no-dns"])
        #expect(piped.status == 2 && piped.err.contains("not a regular file"), "\(piped.err)")
    }
}
