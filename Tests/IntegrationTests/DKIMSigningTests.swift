import Foundation
import Testing
import MailCore
import TestSupport

/// Mail signed by mailtui (`send --dkim-key`), delivered to aiosmtpd, verified by dkimpy with the
/// public keys served by a DNS server on loopback: text, HTML, attachments, folded headers, RSA
/// and Ed25519. A message changed after signing must fail.
@Suite(.serialized) struct DKIMSigningTests {
    let directory = TestPaths.temporaryDirectory("mailtui-dkim")
    let rsaKey: String
    let edKey: String
    let dns: TestDNSServer

    init() throws {
        rsaKey = directory + "/rsa.pem"
        edKey = directory + "/ed.pem"
        #expect(try Program.run("/usr/bin/env", ["openssl", "genrsa", "-out", rsaKey, "2048"]).status == 0)
        #expect(try Program.run("/usr/bin/env", ["openssl", "genpkey", "-algorithm", "ed25519", "-out", edKey]).status == 0)
        let rsaPublic = try Program.run("/usr/bin/env", ["openssl", "rsa", "-in", rsaKey, "-pubout", "-outform", "DER"]).stdout.base64EncodedString()
        let edPublic = Data(try Program.run("/usr/bin/env", ["openssl", "pkey", "-in", edKey, "-pubout", "-outform", "DER"]).stdout.suffix(32)).base64EncodedString()
        let half = rsaPublic.count / 2
        dns = try TestDNSServer([
            "mt1._domainkey.signed.test": [("TXT", "v=DKIM1; k=rsa; p=" + rsaPublic.prefix(half) + "|" + rsaPublic.dropFirst(half))],
            "ed._domainkey.signed.test": [("TXT", "v=DKIM1; k=ed25519; p=" + edPublic)],
        ])
    }

    func send(_ server: TestSMTPServer, key: String, selector: String, _ extra: [String]) throws -> ProgramResult {
        try Program.run(TestPaths.mailtui, ["send", "--server", "127.0.0.1", "--port", String(server.port), "--security", "none",
                                            "--from", "Sender <app@signed.test>", "--to", "ada@example.org",
                                            "--dkim-key", key, "--dkim-selector", selector] + extra,
                        environment: TestPaths.hermeticEnvironment())
    }

    func verify(_ messages: [Data]) throws -> [Bool] {
        let paths = try messages.enumerated().map { index, bytes in
            let path = directory + "/m\(index).eml"
            try bytes.write(to: URL(fileURLWithPath: path))
            return path
        }
        let result = try Program.python("dkim_verify.py", [String(dns.port)] + paths)
        #expect(result.status == 0, "\(result.err)")
        return (try JSONSerialization.jsonObject(with: result.stdout) as? [Bool]) ?? []
    }

    @Test func signedMailVerifiesAndAChangeBreaksIt() throws {
        let server = try TestSMTPServer(["--mode", "plain"])
        defer { server.stop() }
        let attachment = directory + "/report.pdf"
        try Data((0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }).write(to: URL(fileURLWithPath: attachment))
        let cases: [(key: String, selector: String, extra: [String])] = [
            (rsaKey, "mt1", ["--subject", "Plain text", "--text", "Hello   there \n\n\nwith  spaces\t and trailing blank lines\n\n\n"]),
            (rsaKey, "mt1", ["--subject", "Text and HTML", "--text", "Hello", "--html", "<p>Hello <b>world</b></p>"]),
            (rsaKey, "mt1", ["--subject", "With attachments", "--text", "See attached.", "--attach", attachment, "--attach", TestCertificates.path("ca.pem")]),
            (rsaKey, "mt1", ["--subject", "A subject long enough to be folded over several lines by the renderer, which keeps lines under seventy-eight columns: Grüße ✓",
                             "--cc", "Someone With A Long Name <someone.with.a.long.address@example.org>, other@example.org", "--text", "folded"]),
            (edKey, "ed", ["--subject", "Ed25519", "--text", "Signed with Ed25519"]),
        ]
        for c in cases {
            let result = try send(server, key: c.key, selector: c.selector, c.extra)
            #expect(result.status == 0, "\(c.extra): \(result.out)\(result.err)")
        }
        let stored = server.messages().map(\.bytes)
        #expect(stored.count == cases.count)
        #expect(stored.allSatisfy { String(decoding: $0.prefix(16), as: UTF8.self) == "DKIM-Signature: " })
        #expect(try verify(stored) == Array(repeating: true, count: cases.count), "dkimpy verifies every message")

        // Changed after signing: a body byte, a signed header; an added From is caught by over-signing.
        let body = Data(String(decoding: stored[0], as: UTF8.self).replacingOccurrences(of: "Hello", with: "Jello").utf8)
        let subject = Data(String(decoding: stored[1], as: UTF8.self).replacingOccurrences(of: "Subject: Text and HTML", with: "Subject: Text and HTML!").utf8)
        let addedFrom = Data(("From: Mallory <m@evil.test>\r\n" + String(decoding: stored[4], as: UTF8.self)).utf8)
        #expect(try verify([body, subject, addedFrom]) == [false, false, false])
    }

    /// A load run signs each message: its own number, Message-ID and Date, its own signature.
    @Test func aLoadRunSignsEveryMessage() throws {
        let server = try TestSMTPServer(["--mode", "plain"])
        defer { server.stop() }
        let result = try send(server, key: edKey, selector: "ed", ["--subject", "Load {n}", "--text", "message {n}", "--count", "3", "--connections", "2"])
        #expect(result.status == 0, "\(result.out)\(result.err)")
        let stored = server.messages().map(\.bytes)
        #expect(stored.count == 3)
        #expect(Set(stored).count == 3, "each message is its own")
        #expect(try verify(stored) == [true, true, true])
    }

    @Test func aBadKeyIsRefusedBeforeAnyConnection() throws {
        let notAKey = directory + "/not.pem"
        try "hello".write(toFile: notAKey, atomically: true, encoding: .utf8)
        let result = try Program.run(TestPaths.mailtui, ["send", "--server", "127.0.0.1", "--port", String(unusedPort()), "--from", "a@signed.test",
                                                         "--to", "b@example.org", "--text", "x", "--dkim-key", notAKey, "--dkim-selector", "s"],
                                     environment: TestPaths.hermeticEnvironment())
        #expect(result.status == 2 && result.err.contains("not a PEM RSA or Ed25519 private key"), "\(result.err)")
        #expect(!result.err.contains("hello"), "the key file's content is never shown")
        let noSelector = try Program.run(TestPaths.mailtui, ["send", "--from", "a@signed.test", "--to", "b@example.org", "--dkim-key", rsaKey],
                                         environment: TestPaths.hermeticEnvironment())
        #expect(noSelector.status == 2 && noSelector.err.contains("--dkim-selector"))
    }

    /// mailtui's own verifier (the inbox's): its signatures, dkimpy's in simple and relaxed
    /// canonicalisation, changes after signing, an unsigned message, a missing key.
    @Test func theVerifierAgreesWithDkimpy() throws {
        let server = try TestSMTPServer(["--mode", "plain"])
        defer { server.stop() }
        let sent = try send(server, key: rsaKey, selector: "mt1", ["--subject", "Verify me", "--text", "Body  line \n\n"])
        #expect(sent.status == 0, "\(sent.err)")
        let ours = try #require(server.messages().first).bytes
        let verifier = DKIMVerifier(dns: dns.resolver)
        #expect(verifier.verify(Array(ours)) == .pass(domain: "signed.test", selector: "mt1", algorithm: "rsa-sha256"))

        let unsigned = Data("From: a@signed.test\r\nTo: b@example.org\r\nSubject: plain  text\r\nDate: Thu, 26 Nov 2026 10:00:00 +0000\r\n\r\nHello  world \r\n\r\n".utf8)
        #expect(verifier.verify(Array(unsigned)) == .unsigned)
        let source = directory + "/plain.eml"
        try unsigned.write(to: URL(fileURLWithPath: source))
        for canon in ["simple", "relaxed"] {
            let target = directory + "/\(canon).eml"
            let signed = try Program.python("dkim_sign.py", [rsaKey, "mt1", "signed.test", canon, source, target])
            #expect(signed.status == 0, "\(signed.err)")
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: target)))
            #expect(verifier.verify(bytes) == .pass(domain: "signed.test", selector: "mt1", algorithm: "rsa-sha256"), "dkimpy \(canon)")
            let changedBody = Array(String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "Hello  world", with: "Hello world!").utf8)
            guard case .fail(let why) = verifier.verify(changedBody) else { Issue.record("a changed body passed (\(canon))"); continue }
            #expect(why.contains("body hash does not match"))
            let changedHeader = Array(String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "Subject: plain  text", with: "Subject: plain text!").utf8)
            guard case .fail(let reason) = verifier.verify(changedHeader) else { Issue.record("a changed header passed (\(canon))"); continue }
            #expect(reason.contains("does not verify"))
        }
        let otherSelector = Array(String(decoding: ours, as: UTF8.self).replacingOccurrences(of: "s=mt1;", with: "s=gone;").utf8)
        #expect(verifier.verify(otherSelector) == .fail("no key at gone._domainkey.signed.test"))
    }
}
