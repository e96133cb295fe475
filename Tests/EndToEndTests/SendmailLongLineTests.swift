import Foundation
import Testing
import TestSupport

/// A cron job's output with a 100,000-character line, or a 3,000-character Subject, piped into the
/// real `mailtui sendmail` towards the real `mailtui serve` (which, as RFC 5321 and real servers
/// do, refuses a line over 1000 octets with its CRLF): it is delivered, and Python's email package
/// reads back the same text. A message within the limit is stored byte for byte as it came.
@Suite(.serialized) struct SendmailLongLineTests {
    let config = TestPaths.temporaryDirectory("mailtui-config")
    let state = TestPaths.temporaryDirectory("mailtui-state")
    let runtime = TestPaths.temporaryDirectory("mailtui-runtime")

    func sendmail(_ arguments: [String], input: String, port: String) throws -> ProgramResult {
        try FileManager.default.createDirectory(atPath: config + "/mailtui", withIntermediateDirectories: true)
        let toml = """
        default_profile = "local"
        [profiles.local]
        server = "127.0.0.1"
        port = \(port)
        security = "none"
        helo = "client.test.invalid"
        timeout = 20
        """
        TestFiles.write(config + "/mailtui/config.toml", Data(toml.utf8), mode: 0o600)
        let env = TestPaths.hermeticEnvironment(["XDG_CONFIG_HOME": config, "XDG_STATE_HOME": state, "XDG_RUNTIME_DIR": runtime,
                                                 "MAILTUI_LOCAL_PORT": String(unusedPort()), "NO_COLOR": "1"])
        return try Program.run(TestPaths.mailtui, ["sendmail"] + arguments, input: Data(input.utf8), environment: env)
    }

    /// The message `serve` stored, from its next "message" event (other events, such as
    /// "session", are passed over; `next` gives up after a minute of silence).
    func stored(_ serve: ServeCommandTests.Serve) throws -> Data {
        while true {
            let event = try #require(serve.next(), "serve reported no message")
            guard event["event"] as? String == "message" else { continue }
            return try Data(contentsOf: URL(fileURLWithPath: try #require(event["path"] as? String)))
        }
    }

    @Test func aHundredThousandCharacterBodyLineIsDeliveredAndReadsTheSame() throws {
        let serve = try ServeCommandTests.Serve([])
        defer { _ = serve.stop() }
        let line = (0..<10_000).map { String(format: "%04d", $0 % 10_000) + "é = " }.joined().prefix(100_000)
        let body = "Report:\n" + line + "\nend\n"
        let result = try sendmail(["-i", "ops@example.com"], input: "From: cron@example.com\nSubject: nightly log\n\n" + body, port: serve.port)
        #expect(result.status == 0, "\(result.err)")
        let message = try stored(serve)
        let parsed = try ParsedEmail.parse(message)
        #expect(parsed.max_line_length <= 998)
        #expect(parsed.subject == "nightly log")
        let part = try #require(parsed.leafParts.first)
        #expect(part.transfer_encoding == "quoted-printable")
        #expect(part.text == body, "the reader sees the same text")
    }

    @Test func aThreeThousandCharacterSubjectIsDeliveredAndReadsTheSame() throws {
        let serve = try ServeCommandTests.Serve([])
        defer { _ = serve.stop() }
        let words = (0..<500).map { "w\($0)" }.joined(separator: " ")
        let subject = String((words + " " + words).prefix(3000))
        let oneWord = String(repeating: "Z", count: 3000)
        for wanted in [subject, oneWord] {
            let result = try sendmail(["-i", "ops@example.com"], input: "From: cron@example.com\nSubject: \(wanted)\n\nshort body\n", port: serve.port)
            #expect(result.status == 0, "\(result.err)")
            let parsed = try ParsedEmail.parse(try stored(serve))
            #expect(parsed.max_line_length <= 998)
            #expect(parsed.subject == wanted)
            #expect(parsed.leafParts.first?.text == "short body\n")
        }
    }

    @Test func aMessageWithinTheLimitIsStoredByteForByte() throws {
        let serve = try ServeCommandTests.Serve([])
        defer { _ = serve.stop() }
        let message = "From: cron@example.com\r\nTo: ops@example.com\r\nDate: Tue, 14 Nov 2023 22:13:20 +0000\r\nMessage-ID: <n@example.com>\r\n"
            + "Subject: " + String(repeating: "s", count: 989) + "\r\n\r\n" + String(repeating: "b", count: 998) + "\r\n.leading dot\r\nend\r\n"
        let result = try sendmail(["-i", "ops@example.com"], input: message, port: serve.port)
        #expect(result.status == 0, "\(result.err)")
        let stored = String(decoding: try stored(serve), as: UTF8.self)
        #expect(stored.hasSuffix(message), "what came is what is stored, after the server's own trace header")
    }

    @Test func aLongLineInAMultipartsTextPartIsDeliveredAndOneInABase64PartRefused() throws {
        let serve = try ServeCommandTests.Serve([])
        defer { _ = serve.stop() }
        let long = String(repeating: "y ", count: 2500)
        let message = "From: cron@example.com\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain; charset=utf-8\n\n"
            + long + "\n--b\nContent-Type: text/csv\nContent-Disposition: attachment; filename=a.csv\n\na,b\n--b--\n"
        let sent = try sendmail(["-i", "ops@example.com"], input: message, port: serve.port)
        #expect(sent.status == 0, "\(sent.err)")
        let parsed = try ParsedEmail.parse(try stored(serve))
        #expect(parsed.max_line_length <= 998)
        #expect(parsed.leafParts.map(\.text) == [long, "a,b"], "the reader sees the same parts")

        let encoded = message.replacingOccurrences(of: "charset=utf-8\n", with: "charset=utf-8\nContent-Transfer-Encoding: base64\n")
        let refused = try sendmail(["-i", "ops@example.com"], input: encoded, port: serve.port)
        #expect(refused.status == 65, "\(refused.status) \(refused.err)")
        #expect(refused.err.contains("5000 octets") && refused.err.contains("quoted-printable or base64"), "\(refused.err)")
    }
}
