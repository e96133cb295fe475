import Foundation
import Testing
import TestSupport

/// `mailtui probe` against a server configured by the test: what it reports must match.
@Suite struct ProbeCommandTests {
    @Test func reportsExtensionsAuthBeforeAndAfterStarttlsAndTheCertificate() throws {
        let server = try TestSMTPServer(["--mode", "starttls", "--auth", "alice:pw", "--size", "10485760"])
        defer { server.stop() }
        let env = TestPaths.hermeticEnvironment(["MAIL_PASSWORD": "pw"])
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
        #expect(out.contains("Timings     name lookup ") && out.contains("TCP connect ") && out.contains("TLS ") && out.contains("AUTH "))
        #expect(!out.contains("pw\n") && !out.contains(Data("\0alice\0pw".utf8).base64EncodedString()))
        #expect(server.messages().isEmpty, "a probe sends no mail")
    }

    /// A provider is recognised from the host name (reached here on 127.0.0.1 with
    /// --connect-address) or from its greeting, and the probe says what to know about it.
    @Test func aProviderIsRecognisedFromTheHostNameOrTheGreeting() throws {
        let server = try TestSMTPServer.faulty(["--reply", "greeting", "220 smtp.gmail.com ESMTP a1sm123 - gsmtp", "--auth-plaintext"])
        defer { server.stop() }
        let byGreeting = try Program.run(TestPaths.mailtui, ["probe", "--server", "127.0.0.1", "--port", String(server.port), "--security", "none"],
                                         environment: TestPaths.hermeticEnvironment())
        #expect(byGreeting.out.contains("Provider    Gmail / Google Workspace (recognised from the greeting)"), "\(byGreeting.out)")
        #expect(byGreeting.out.contains("myaccount.google.com/apppasswords"))

        let byName = try Program.run(TestPaths.mailtui, ["probe", "--provider", "sendgrid", "--connect-address", "127.0.0.1", "--port", String(server.port),
                                                         "--security", "none"], environment: TestPaths.hermeticEnvironment())
        #expect(byName.out.contains("Server      smtp.sendgrid.net:\(server.port)"), "\(byName.out)\(byName.err)")
        #expect(byName.out.contains("Provider    SendGrid (recognised from the host name); user: `apikey`"))
    }

    /// A Gmail-worded refusal through `mailtui send`: the catalogue's words, the reply's link,
    /// Gmail's advice, exit 7; and --auth plain to a remote name without TLS warns first.
    @Test func aGmailRefusalIsExplainedAsGmailMeansIt() throws {
        let server = try TestSMTPServer.faulty(["--auth-plaintext", "--reply", "auth",
                                                "535-5.7.8 Username and Password not accepted. For more information, go to\n535 5.7.8  https://support.google.com/mail/?p=BadCredentials x - gsmtp"])
        defer { server.stop() }
        let result = try Program.run(TestPaths.mailtui, ["send", "--provider", "gmail", "--connect-address", "127.0.0.1", "--port", String(server.port),
                                                         "--security", "none", "--auth", "plain", "--user", "me@gmail.com", "--password-env", "PW",
                                                         "--from", "me@gmail.com", "--to", "ada@example.org", "--text", "hi"],
                                     environment: TestPaths.hermeticEnvironment(["PW": "not-the-app-password"]))
        #expect(result.status == 7, "\(result.out)\(result.err)")
        #expect(result.err.contains("warning: --auth plain without TLS to smtp.gmail.com"))
        #expect(result.out.contains("Gmail refused the user name or password (BadCredentials)"))
        #expect(result.out.contains("The server points to https://support.google.com/mail/?p=BadCredentials"))
        #expect(result.out.contains("Gmail / Google Workspace: Google refuses the account password from apps"))
        #expect(!result.out.contains("not-the-app-password") && !result.err.contains("not-the-app-password"))
    }

    @Test func aProbeFailureHasTheStageStatus() throws {
        let result = try Program.run(TestPaths.mailtui, ["probe", "--server", "127.0.0.1", "--port", String(unusedPort()), "--security", "none"],
                                     environment: TestPaths.hermeticEnvironment())
        #expect(result.status == 3)
        #expect(result.out.contains("FAILED at connect"))
    }
}

@Suite struct AutoProbeTests {
    @Test func triesEverySetupAndRecommendsTheEncryptedOneWithAuth() throws {
        let starttls = try TestSMTPServer.faulty([])
        let plain = try TestSMTPServer.faulty(["--no-starttls", "--no-auth"])
        defer { starttls.stop(); plain.stop() }
        let nothing = unusedPort()
        let candidates = "\(plain.port)/none,\(starttls.port)/starttls,\(nothing)/tls,\(starttls.port)/tls"
        let result = try Program.run(TestPaths.mailtui, ["probe", "--auto", "--server", "127.0.0.1", "--ca-file", TestCertificates.path("ca.pem"),
                                                         "--auto-candidates", candidates, "--timeout", "10"],
                                     environment: TestPaths.hermeticEnvironment())
        #expect(result.status == 0, "\(result.out)\(result.err)")
        let lines = result.out.split(separator: "\n").map(String.init)
        // A row with the lines below it that give a cut result whole.
        var rows: [String] = []
        for line in lines {
            if line.hasPrefix("                "), let last = rows.popLast() { rows.append(last + " " + line.trimmingCharacters(in: .whitespaces)) } else { rows.append(line) }
        }
        #expect(rows.contains { $0.hasPrefix("\(plain.port)") && $0.contains("ok") && $0.hasSuffix("-") })
        #expect(rows.contains { $0.hasPrefix("\(starttls.port)") && $0.contains("starttls") && $0.contains("TLSv1") && $0.hasSuffix("PLAIN LOGIN CRAM-MD5 XOAUTH2") })
        #expect(rows.contains { $0.hasPrefix("\(nothing)") && $0.contains("nothing listens on that port") })
        #expect(rows.contains { $0.hasPrefix("\(starttls.port)") && $0.contains("tls") && $0.contains("plain SMTP on this port, not TLS") })
        // The table fits 80 columns (the verdict below it is prose, which a terminal wraps).
        let table = lines.drop { !$0.hasPrefix("PORT ") }.prefix { !$0.hasPrefix("Port ") }
        #expect(table.count > 4 && table.allSatisfy { $0.count <= 80 }, "\(table.filter { $0.count > 80 })")
        #expect(result.out.contains("Port \(starttls.port) answers; use --port \(starttls.port) --security starttls (MAIL_PORT=\(starttls.port), MAIL_USE_TLS=True, MAIL_USE_SSL=False)."))
    }

    /// The typed port joins the usual ones; when every one refuses, the verdict says nothing
    /// listens (exit 3), and a name that does not resolve is said before any port is tried.
    @Test func theTypedPortIsTriedAndNothingListeningIsSaidInWords() throws {
        let closed = unusedPort()
        let result = try Program.run(TestPaths.mailtui, ["probe", "--auto", "--server", "127.0.0.1", "--port", String(closed), "--security", "none", "--timeout", "2"],
                                     environment: TestPaths.hermeticEnvironment())
        #expect(result.out.contains("Trying 587/starttls, 465/tls, 25/none, 25/starttls, 2525/starttls, \(closed)/none on 127.0.0.1"), "\(result.out)")
        #expect(result.out.split(separator: "\n").contains { $0.hasPrefix("\(closed) ") && $0.contains("nothing listens") })
        #expect(result.out.contains("Nothing listens on these ports at 127.0.0.1: every connection was refused."), "\(result.out)")
        #expect(result.status == 3)

        let unknown = try Program.run(TestPaths.mailtui, ["probe", "--auto", "--server", "no-such-host.invalid", "--timeout", "2"],
                                      environment: TestPaths.hermeticEnvironment())
        #expect(unknown.out.contains("The host name no-such-host.invalid does not resolve, so no port was tried"), "\(unknown.out)")
        #expect(!unknown.out.contains("PORT  SECURITY"))
        #expect(unknown.status == 3)
    }
}
