import Foundation
import Testing
@testable import MailCore
@testable import MailClient

/// Credentials never reach a transcript, and server text cannot drive the terminal.
@Suite struct TranscriptSafetyTests {
    /// Feeds a scripted conversation through libcurl's adapter into a session record, as libcurl's
    /// debug callback would.
    func record(_ script: [(DebugKind, String)], security: SecurityMode = .starttls, credentials: Bool = true) -> SessionRecord {
        let record = SessionRecord(security: security, credentialsSet: credentials, emit: { _ in })
        for (kind, text) in script {
            Array(text.utf8).withUnsafeBytes { record.curlDebug(kind, $0) }
        }
        return record
    }

    static let secretB64 = Data("\0alice\0s3cret-pässword".utf8).base64EncodedString()
    static let userB64 = Data("alice".utf8).base64EncodedString()
    static let passB64 = Data("s3cret-pässword".utf8).base64EncodedString()

    func assertNoSecrets(_ recorder: SessionRecord, sourceLocation: SourceLocation = #_sourceLocation) {
        let all = recorder.transcript.lines.map(\.text).joined(separator: "\n")
        for secret in [Self.secretB64, Self.userB64, Self.passB64, "s3cret", "bearer-token-123"] {
            #expect(!all.contains(secret), "transcript contains \(secret)", sourceLocation: sourceLocation)
        }
    }

    @Test func authPlainWithInitialResponse() {
        let r = record([(.headerOut, "AUTH PLAIN \(Self.secretB64)\r\n"), (.headerIn, "235 2.7.0 Authentication successful\r\n"),
                        (.headerOut, "MAIL FROM:<a@example.com>\r\n")])
        assertNoSecrets(r)
        #expect(r.transcript.lines.map(\.text) == ["AUTH PLAIN [credentials hidden]", "235 2.7.0 Authentication successful", "MAIL FROM:<a@example.com>"])
        #expect(r.facts.authenticated)
    }

    @Test func authPlainWithoutInitialResponse() {
        let r = record([(.headerOut, "AUTH PLAIN\r\n"), (.headerIn, "334 \r\n"), (.headerOut, "\(Self.secretB64)\r\n"),
                        (.headerIn, "235 2.7.0 ok\r\n")])
        assertNoSecrets(r)
        #expect(r.transcript.lines.map(\.text) == ["AUTH PLAIN", "334 ", "[credentials hidden]", "235 2.7.0 ok"])
    }

    @Test func authLoginHidesBothLines() {
        let r = record([(.headerOut, "AUTH LOGIN\r\n"), (.headerIn, "334 VXNlcm5hbWU6\r\n"), (.headerOut, "\(Self.userB64)\r\n"),
                        (.headerIn, "334 UGFzc3dvcmQ6\r\n"), (.headerOut, "\(Self.passB64)\r\n"), (.headerIn, "535 5.7.8 Authentication credentials invalid\r\n"),
                        (.headerOut, "QUIT\r\n")])
        assertNoSecrets(r)
        #expect(r.transcript.lines.filter { $0.speaker == .client }.map(\.text) == ["AUTH LOGIN", "[credentials hidden]", "[credentials hidden]", "QUIT"])
        #expect(r.facts.failingReply?.reply.code == 535)
        #expect(r.facts.failingReply?.stage == .auth)
    }

    @Test func xoauth2TokenIsHidden() {
        let token = Data("user=alice\u{1}auth=Bearer bearer-token-123\u{1}\u{1}".utf8).base64EncodedString()
        let r = record([(.headerOut, "AUTH XOAUTH2 \(token)\r\n"), (.headerIn, "334 eyJzdGF0dXMiOiI0MDEifQ==\r\n"), (.headerOut, "\r\n"),
                        (.headerIn, "535 5.7.8 bad token\r\n")])
        assertNoSecrets(r)
        #expect(!r.transcript.lines.map(\.text).joined().contains(token))
    }

    /// Lines a hostile or broken server may put anywhere in a login: none of them may end the
    /// redaction, whatever the mechanism, in the clear or inside TLS.
    static let oddLines = ["hello there, not smtp", "999x weird", "334-continued challenge", "250 ok?", "999 weird", "2", "   "]

    /// The client's lines of a login: (command, then each answer to a challenge).
    static let logins: [(name: String, command: String, answers: [String])] = [
        ("PLAIN-IR", "AUTH PLAIN \(secretB64)", []),
        ("PLAIN", "AUTH PLAIN", [secretB64]),
        ("LOGIN", "AUTH LOGIN", [userB64, passB64]),
        ("CRAM-MD5", "AUTH CRAM-MD5", [Data("alice 0123456789abcdefs3cret".utf8).base64EncodedString()]),
        ("XOAUTH2", "AUTH XOAUTH2", [Data("user=alice\u{1}auth=Bearer bearer-token-123\u{1}\u{1}".utf8).base64EncodedString()]),
    ]

    @Test(arguments: [false, true])
    func oddServerLinesNeverRevealAnyMechanismsCredentials(inTLS: Bool) {
        for login in Self.logins {
            for odd in Self.oddLines {
                var script: [(DebugKind, String)] = inTLS
                    ? [(.headerIn, "220 mx\r\n"), (.headerOut, "STARTTLS\r\n"), (.headerIn, "220 go\r\n"),
                       (.text, "SSL connection using TLSv1.3 / TLS_AES_256_GCM_SHA384\n")]
                    : [(.headerIn, "220 mx\r\n")]
                script.append((.headerIn, odd + "\r\n"))
                script.append((.headerOut, login.command + "\r\n"))
                for answer in login.answers {
                    script += [(.headerIn, odd + "\r\n"), (.headerIn, "334 UGFzc3dvcmQ6\r\n"), (.headerIn, odd + "\r\n"),
                               (.headerOut, answer + "\r\n")]
                }
                script += [(.headerIn, odd + "\r\n"), (.headerIn, "235 2.7.0 ok\r\n"), (.headerOut, "MAIL FROM:<a@x.org>\r\n")]
                let r = record(script)
                assertNoSecrets(r)
                for answer in login.answers {
                    #expect(!r.transcript.lines.map(\.text).contains(answer), "\(login.name) after \"\(odd)\" shows \(answer)")
                }
                #expect(r.transcript.lines.last?.text == "MAIL FROM:<a@x.org>", "\(login.name): the exchange ends at 235")
                #expect(r.transcript.lines.allSatisfy { $0.speaker != .client || $0.inTLS == inTLS || $0.text.hasPrefix("STARTTLS") })
            }
        }
    }

    @Test func onlyTheLoginsVerdictEndsTheRedaction() {
        var redactor = Redactor()
        _ = redactor.client("AUTH LOGIN")
        for (code, final) in [(334, true), (nil, true), (250, true), (535, false), (999, true), (220, true)] as [(Int?, Bool)] {
            redactor.server(code: code, isFinalLine: final)
            #expect(redactor.inExchange, "\(String(describing: code)) final=\(final) must not end the exchange")
        }
        redactor.server(code: 535, isFinalLine: true)
        #expect(!redactor.inExchange)
        #expect(redactor.client("QUIT") == "QUIT")
    }

    /// The quick look for AUTH (no splitting for MAIL, RCPT and DATA) hides exactly what a full
    /// reading of the first word would.
    @Test func theQuickLookForAuthMissesNoLogin() {
        func fullReading(_ line: String) -> Bool {
            line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true).first?.uppercased() == "AUTH"
        }
        var generator = SystemRandomNumberGenerator()
        let pieces = ["AUTH", "auth", "AuTh", "AUT", "AUTHX", " ", "  ", "PLAIN", "ſ", "ı", "ＡＵＴＨ", "MAIL", "\t", "x", "é", ""]
        var lines = ["AUTH PLAIN abc", " auth login", "AUTH", "AUTHENTICATE me", "MAIL FROM:<a@b>", "", "   ", "AUT H"]
        for _ in 0..<2000 {
            lines.append((0..<Int.random(in: 1...4, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined())
        }
        for line in lines {
            var redactor = Redactor()
            _ = redactor.client(line)
            #expect(redactor.inExchange == fullReading(line), "\(line.debugDescription)")
        }
    }

    @Test func replyLinesAreParsedAsLibcurlDoes() {
        #expect(ServerReply.parseLine("250 ok").code == 250)
        #expect(ServerReply.parseLine("250 ok").isFinal)
        #expect(ServerReply.parseLine("250").isFinal)
        #expect(!ServerReply.parseLine("250-SIZE 1").isFinal)
        #expect(ServerReply.parseLine("999x weird").code == nil)
        #expect(!ServerReply.parseLine("999x weird").isFinal)
        #expect(ServerReply.parseLine("hello there, not smtp").code == nil)
        #expect(ServerReply.parseLine("25").code == nil)
        #expect(ServerReply.parseLine("").code == nil)
    }

    @Test func serverEscapeSequencesAreShownNotObeyed() {
        let r = record([(.headerIn, "220 evil\u{1B}]0;pwned\u{07}\u{1B}[2J\u{9B}31m\u{202E}txt.exe\r\n")])
        let text = r.transcript.lines[0].text
        #expect(!text.unicodeScalars.contains { $0.value < 32 || (0x7F...0x9F).contains($0.value) || $0 == "\u{202E}" })
        #expect(text.contains("^[]0;pwned^G^[[2J"))
        #expect(text.contains("\\u{9b}31m"))
        #expect(text.contains("\\u{202e}"))
    }

    @Test func invalidUTF8AndLongLinesAreMadeVisibleAndCut() {
        #expect(TerminalSanitizer.sanitize(bytes: [0x32, 0x35, 0x30, 0x20, 0xFF, 0xC3]) == "250 \\xFF\\xC3")
        let long = TerminalSanitizer.sanitize(String(repeating: "x", count: 5000))
        #expect(long.hasPrefix(String(repeating: "x", count: 512)))
        #expect(long.hasSuffix("…[4488 more bytes cut]"))
        #expect(TerminalSanitizer.sanitize("Grüße ✓ 東京") == "Grüße ✓ 東京")
    }

    @Test func stagesFollowTheConversation() {
        let r = record([
            (.text, "Trying 127.0.0.1:587...\n"), (.headerIn, "220 mx ESMTP\r\n"), (.headerOut, "EHLO me\r\n"),
            (.headerIn, "250-mx\r\n"), (.headerIn, "250-STARTTLS\r\n"), (.headerIn, "250 SIZE 1000\r\n"),
            (.headerOut, "STARTTLS\r\n"), (.headerIn, "220 go ahead\r\n"), (.text, "SSL connection using TLSv1.3 / TLS_AES_256_GCM_SHA384\n"),
            (.headerOut, "EHLO me\r\n"), (.headerIn, "250-mx\r\n"), (.headerIn, "250-AUTH PLAIN LOGIN\r\n"), (.headerIn, "250 SIZE 2000\r\n"),
            (.headerOut, "AUTH PLAIN \(Self.secretB64)\r\n"), (.headerIn, "235 ok\r\n"),
            (.headerOut, "MAIL FROM:<a@x.org>\r\n"), (.headerIn, "250 ok\r\n"),
            (.headerOut, "RCPT TO:<b@x.org>\r\n"), (.headerIn, "250 ok\r\n"),
            (.headerOut, "RCPT TO:<c@x.org>\r\n"), (.headerIn, "550 5.1.1 <c@x.org>: unknown\r\n"),
            (.headerOut, "DATA\r\n"), (.headerIn, "354 go\r\n"), (.dataOut, "Subject: x\r\n\r\nbody\r\n.\r\n"),
            (.headerIn, "250 2.0.0 queued as X1\r\n"), (.headerOut, "QUIT\r\n"), (.headerIn, "221 bye\r\n"),
        ])
        #expect(r.facts.stageStarts.map(\.stage) == [.connect, .greeting, .ehlo, .tls, .ehlo, .auth, .mail, .rcpt, .data, .quit])
        #expect(r.facts.greeting?.description == "220 mx ESMTP")
        #expect(r.facts.extensionsBeforeTLS == ["STARTTLS", "SIZE 1000"])
        #expect(r.facts.extensions == ["AUTH PLAIN LOGIN", "SIZE 2000"])
        #expect(r.tls.info.version == "TLSv1.3")
        #expect(r.tls.info.cipher == "TLS_AES_256_GCM_SHA384")
        #expect(r.facts.acceptedRecipients == ["b@x.org"])
        #expect(r.facts.rejectedRecipients.map(\.address) == ["c@x.org"])
        #expect(r.facts.finalReply?.description == "250 2.0.0 queued as X1")
        #expect(r.facts.messageBytes == 23)
        let inTLS = r.transcript.lines.filter { $0.text.hasPrefix("EHLO") }.map(\.inTLS)
        #expect(inTLS == [false, true])
        #expect(r.transcript.lines.contains { $0.speaker == .note && $0.text == "message sent: 23 bytes" })
        #expect(!r.facts.authMissing)
    }

    @Test func noAuthOfferedWithCredentialsStopsTheSession() {
        let r = record([(.headerIn, "220 mx\r\n"), (.headerOut, "EHLO me\r\n"), (.headerIn, "250-mx\r\n"), (.headerIn, "250 SIZE 1\r\n")],
                       security: .none)
        #expect(r.facts.authMissing)
        let before = record([(.headerIn, "220 mx\r\n"), (.headerOut, "EHLO me\r\n"), (.headerIn, "250-mx\r\n"), (.headerIn, "250 STARTTLS\r\n")],
                            security: .starttls)
        #expect(!before.facts.authMissing, "before STARTTLS the lack of AUTH is expected")
    }
}

@Suite struct CertificateTextSafetyTests {
    @Test func certificateFactsFromNarrationAreSanitised() {
        let recorder = SessionRecord(security: .tls, credentialsSet: false, emit: { _ in })
        for line in ["Server certificate:\n", " subject: CN=evil\u{1B}]0;owned\u{07}\n", " issuer: CN=\u{9B}2J\n"] {
            Array(line.utf8).withUnsafeBytes { recorder.curlDebug(.text, $0) }
        }
        #expect(recorder.tls.info.subject == "CN=evil^[]0;owned^G")
        #expect(recorder.tls.info.issuer == "CN=\\u{9b}2J")
        #expect(recorder.transcript.lines.allSatisfy { !$0.text.unicodeScalars.contains { $0.value < 32 || (0x7F...0x9F).contains($0.value) } })
    }
}
