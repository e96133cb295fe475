import Foundation
import Testing
import TestSupport

/// `mailtui send` against aiosmtpd's STARTTLS refusal, as a developer sees it: the advice is
/// STARTTLS with the Flask-Mail key, the reply is quoted once besides the transcript, and
/// libcurl's transport error is not offered as the cause.
@Suite struct ReplyDiagnosisCommandTests {
    @Test func aiosmtpdsStarttlsRefusalThroughTheBinary() throws {
        let reply = "530 Must issue a STARTTLS command first"
        let server = try TestSMTPServer.faulty(["--reply", "mail", reply])
        defer { server.stop() }
        var env = TestPaths.hermeticEnvironment()
        env["NO_COLOR"] = "1"
        let result = try Program.run(TestPaths.mailtui, ["send", "--server", "127.0.0.1", "--port", String(server.port), "--security", "none",
                                                         "--helo", "client.test.invalid", "--from", "a@example.com", "--to", "b@example.com", "--text", "x"],
                                     input: nil, environment: env)
        let out = result.out + result.err
        #expect(result.status == 8, "MAIL FROM's exit status:\n\(out)")
        #expect(out.contains("FAILED at MAIL FROM") && out.contains("STARTTLS") && out.contains("MAIL_USE_TLS=True"), "\(out)")
        #expect(!out.contains("requires a login"), "\(out)")
        #expect(out.components(separatedBy: "Must issue a STARTTLS command first").count == 3,
                "once in the transcript, once as \"server said\":\n\(out)")
        #expect(!out.contains("libcurl: "), "\(out)")
    }
}
