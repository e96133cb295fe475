import Foundation
import Testing
import TestSupport

/// `mailtui probe` against a server configured by the test: what it reports must match.
@Suite struct ProbeCommandTests {
    @Test func reportsExtensionsAuthBeforeAndAfterStarttlsAndTheCertificate() throws {
        let server = try TestSMTPServer(["--mode", "starttls", "--auth", "alice:pw", "--size", "10485760"])
        defer { server.stop() }
        var env = ProcessInfo.processInfo.environment
        env["MAIL_PASSWORD"] = "pw"
        let result = try Program.run(TestPaths.mailtui, ["probe", "--server", "127.0.0.1", "--port", String(server.port),
                                                         "--ca-file", TestCertificates.path("ca.pem"), "--user", "alice"], environment: env)
        #expect(result.status == 0, "\(result.out)\(result.err)")
        let out = result.out
        #expect(out.contains("SIZE 10485760") && out.contains("largest message accepted: 10 MiB"))
        #expect(out.contains("8BITMIME") && out.contains("accepts 8-bit message bodies"))
        #expect(out.contains("AUTH        before STARTTLS: none; after: LOGIN, PLAIN"))
        #expect(out.contains("TLSv1."))
        #expect(out.contains("issuer CN = mailtui Test CA"))
        #expect(out.contains("names localhost, 127.0.0.1"))
        #expect(out.contains("verified"))
        #expect(out.contains("Login       accepted"))
        #expect(!out.contains("pw\n") && !out.contains(Data("\0alice\0pw".utf8).base64EncodedString()))
        #expect(server.messages().isEmpty, "a probe sends no mail")
    }

    @Test func aProbeFailureHasTheStageStatus() throws {
        let result = try Program.run(TestPaths.mailtui, ["probe", "--server", "127.0.0.1", "--port", String(unusedPort()), "--security", "none"])
        #expect(result.status == 3)
        #expect(result.out.contains("FAILED at connect"))
    }
}
