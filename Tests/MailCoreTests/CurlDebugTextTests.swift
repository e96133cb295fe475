import Testing
@testable import MailCore
@testable import MailClient

/// libcurl's debug text, as its callback delivers it, becomes typed events, and nothing else in
/// the engine reads libcurl's wording.
@Suite struct CurlDebugTextTests {
    /// What libcurl 7.88's debug callback gives for a STARTTLS session up to the login, piece by
    /// piece (narration without its `* `, replies and commands with their CR LF).
    static let startTLSSession: [(DebugKind, String)] = [
        (.text, "  Trying 127.0.0.1:2525...\n"),
        (.text, "Connected to 127.0.0.1 (127.0.0.1) port 2525 (#0)\n"),
        (.headerIn, "220 mx.example.org ESMTP ready\r\n"),
        (.headerOut, "EHLO me\r\n"),
        (.headerIn, "250-mx.example.org\r\n250-STARTTLS\r\n250 SIZE 1000\r\n"),
        (.headerOut, "STARTTLS\r\n"),
        (.headerIn, "220 2.0.0 go ahead\r\n"),
        (.text, "TLSv1.3 (OUT), TLS handshake, Client hello (1):\n"),
        (.other, "\u{16}\u{03}\u{01}"),
        (.text, "SSL connection using TLSv1.3 / TLS_AES_256_GCM_SHA384\n"),
        (.text, "Server certificate:\n"),
        (.text, " subject: CN=mx.example.org\n"),
        (.text, " start date: Dec  1 00:00:00 2026 GMT\n"),
        (.text, " expire date: Dec  1 00:00:00 2027 GMT\n"),
        (.text, " subjectAltName: host \"mx.example.org\" matched cert's \"mx.example.org\"\n"),
        (.text, " issuer: CN=Example CA\n"),
        (.text, "SSL certificate verify ok.\n"),
        (.headerOut, "EHLO me\r\n"),
        (.headerIn, "250-mx.example.org\r\n250 AUTH PLAIN LOGIN\r\n"),
        (.headerOut, "AUTH PLAIN AGFsaWNlAHMzY3JldA==\r\n"),
        (.headerIn, "235 2.7.0 Authentication successful\r\n"),
    ]

    func events(_ script: [(DebugKind, String)]) -> [WireEvent] {
        var adapter = CurlDebugText()
        return script.flatMap { kind, text in Array(text.utf8).withUnsafeBytes { adapter.events(kind, $0) } }
    }

    @Test func aSessionUpToTheLoginBecomesTypedEvents() {
        let events = events(Self.startTLSSession)
        let expected: [WireEvent] = [
            .narration("Trying 127.0.0.1:2525..."),
            .connected("Connected to 127.0.0.1 (127.0.0.1) port 2525 (#0)"),
            .replyLine(Array("220 mx.example.org ESMTP ready".utf8)),
            .command(SMTPCommand(line: "EHLO me", verb: .ehlo, stage: .ehlo)),
            .replyLine(Array("250-mx.example.org".utf8)), .replyLine(Array("250-STARTTLS".utf8)), .replyLine(Array("250 SIZE 1000".utf8)),
            .command(SMTPCommand(line: "STARTTLS", verb: .starttls, stage: .tls)),
            .replyLine(Array("220 2.0.0 go ahead".utf8)),
            .tlsEstablished(version: "TLSv1.3", cipher: "TLS_AES_256_GCM_SHA384"),
            .narration("SSL connection using TLSv1.3 / TLS_AES_256_GCM_SHA384"),
            .certificateField(key: "subject", value: "CN=mx.example.org"),
            .certificateField(key: "start date", value: "Dec  1 00:00:00 2026 GMT"),
            .certificateField(key: "expire date", value: "Dec  1 00:00:00 2027 GMT"),
            .certificateField(key: "subjectAltName", value: "host \"mx.example.org\" matched cert's \"mx.example.org\""),
            .certificateField(key: "issuer", value: "CN=Example CA"),
            .verification(problem: nil),
            .command(SMTPCommand(line: "EHLO me", verb: .ehlo, stage: .ehlo)),
            .replyLine(Array("250-mx.example.org".utf8)), .replyLine(Array("250 AUTH PLAIN LOGIN".utf8)),
            .command(SMTPCommand(line: "AUTH PLAIN AGFsaWNlAHMzY3JldA==", verb: .auth, stage: .auth)),
            .replyLine(Array("235 2.7.0 Authentication successful".utf8)),
        ]
        #expect(events == expected)
    }

    @Test func aCertificateProblemIsAVerdictWithItsWords() {
        let events = events([(.text, "SSL certificate problem: self-signed certificate\n")])
        #expect(events == [.verification(problem: "SSL certificate problem: self-signed certificate"),
                           .narration("SSL certificate problem: self-signed certificate")])
    }

    /// Only the lines between `Server certificate:` and `issuer:` are the certificate's: a later
    /// line with a colon is narration.
    @Test func certificateFieldsEndAtTheIssuer() {
        let events = events([(.text, "Server certificate:\n issuer: CN=A\n"), (.text, "subject: not a certificate line\n"),
                             (.text, "Using Stream ID: 1\n"), (.text, "old SSL session ID is stale, removing\n")])
        #expect(events == [.certificateField(key: "issuer", value: "CN=A")])
    }

    @Test func uploadsAreCountedNotRead() {
        #expect(events([(.dataOut, "Subject: x\r\n\r\nbody\r\n")]) == [.uploaded(20)])
    }

    /// libcurl's narration quotes the server: what reaches the events is sanitised.
    @Test func narrationIsSanitised() {
        let events = events([(.text, "Connected to evil\u{1B}]0;x\u{07} port 25\n")])
        #expect(events == [.connected("Connected to evil^[]0;x^G port 25")])
    }

    @Test func rcptCommandsCarryTheirAddress() {
        #expect(SMTPCommand(parsing: "RCPT TO:<b@x.org> NOTIFY=SUCCESS").recipient == "b@x.org")
        #expect(SMTPCommand(parsing: "RCPT TO:b@x.org").recipient == "b@x.org")
        #expect(SMTPCommand(parsing: "HELO me").verb == .ehlo)
        #expect(SMTPCommand(parsing: "BDAT 10 LAST").stage == .data)
        #expect(SMTPCommand(parsing: "NOOP").stage == nil)
        #expect(SMTPCommand.rcpt("b@x.org", parameters: " NOTIFY=NEVER") == SMTPCommand(parsing: "RCPT TO:<b@x.org> NOTIFY=NEVER"))
        #expect(SMTPCommand.mail("MAIL FROM:<a@x.org> SIZE=10") == SMTPCommand(parsing: "MAIL FROM:<a@x.org> SIZE=10"))
        #expect(SMTPCommand.data == SMTPCommand(parsing: "DATA") && SMTPCommand.quit == SMTPCommand(parsing: "QUIT"))
        #expect(SMTPCommand.rset == SMTPCommand(parsing: "RSET") && SMTPCommand.noop == SMTPCommand(parsing: "NOOP"))
    }
}
