import Foundation
import Testing
import TestSupport

/// `mailtui oauth` and `send --oauth` as a person runs them: the real binary, a fake authority
/// (Microsoft's protocol), and an SMTP server that takes XOAUTH2 and OAUTHBEARER only with the
/// authority's newest token and otherwise answers as Microsoft 365 does.
@Suite struct OAuthCommandTests {
    final class Machine {
        let data = TestPaths.temporaryDirectory("mailtui-data")
        let environment: [String: String]
        init(_ extra: [String: String] = [:]) {
            environment = TestPaths.hermeticEnvironment(["XDG_DATA_HOME": data, "NO_COLOR": "1"].merging(extra) { $1 })
        }

        func mailtui(_ arguments: [String]) throws -> ProgramResult {
            try Program.run(TestPaths.mailtui, arguments, environment: environment)
        }

        var accountFile: String { data + "/mailtui/oauth/work.json" }

        /// Everything mailtui keeps about the user's sends (history, drafts), as one text.
        var stateText: String {
            let state = environment["XDG_STATE_HOME"] ?? ""
            let files = FileManager.default.enumerator(atPath: state)?.compactMap { $0 as? String } ?? []
            return files.compactMap { try? String(contentsOfFile: state + "/" + $0, encoding: .utf8) }.joined(separator: "\n")
        }
    }

    func login(_ machine: Machine, _ authority: FakeAuthority) throws -> ProgramResult {
        try machine.mailtui(["oauth", "login", "--provider", "microsoft", "--account", "work", "--client-id", FakeAuthority.clientID,
                             "--authority", authority.url, "--store", "file"])
    }

    func send(_ machine: Machine, _ server: TestSMTPServer, _ extra: [String] = []) throws -> ProgramResult {
        try machine.mailtui(["send", "--server", "127.0.0.1", "--port", String(server.port), "--security", "starttls",
                             "--ca-file", TestCertificates.path("ca.pem"), "--helo", "client.test.invalid", "--oauth", "work",
                             "--from", "ada@example.com", "--to", "bob@example.org", "--subject", "oauth", "--text", "hello"] + extra)
    }

    /// Sign in, send, refresh near expiry (the second send uses the new token: the server takes
    /// only the newest), print a token, and meet a revoked refresh token. No token is ever in
    /// the transcript, the history or `oauth list`.
    @Test func signInSendRefreshAndRevocation() throws {
        let authority = try FakeAuthority(["--pending", "1", "--expires-in", "240"])
        defer { authority.stop() }
        let server = try TestSMTPServer(["--mode", "starttls", "--oauth-token-file", authority.tokenFile, "--oauth-user", "ada@example.com"])
        defer { server.stop() }
        let machine = Machine()

        let signedIn = try login(machine, authority)
        #expect(signedIn.status == 0, "\(signedIn.out)\(signedIn.err)")
        #expect(signedIn.out.contains("open https://microsoft.com/devicelogin and enter the code ABCD-"), "\(signedIn.out)")
        #expect(signedIn.out.contains("Signed in as ada@example.com (account work, microsoft)"), "\(signedIn.out)")
        #expect(signedIn.err.contains("tokens stored in \(machine.accountFile) (mode 0600)"), "\(signedIn.err)")
        let file = try FileManager.default.attributesOfItem(atPath: machine.accountFile)
        let folder = try FileManager.default.attributesOfItem(atPath: machine.data + "/mailtui/oauth")
        #expect(file[.posixPermissions] as? Int == 0o600 && folder[.posixPermissions] as? Int == 0o700)
        let stored = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: machine.accountFile))) as? [String: Any])
        let firstAccess = try #require(stored["accessToken"] as? String)
        let firstRefresh = try #require(stored["refreshToken"] as? String)
        #expect(firstAccess == authority.currentToken)

        let list = try machine.mailtui(["oauth", "list"])
        #expect(list.status == 0 && list.out.contains("work") && list.out.contains("microsoft  ada@example.com  access token expires in"), "\(list.out)")

        // 240 s left is within the 5-minute margin: refreshed before connecting.
        let first = try send(machine, server)
        #expect(first.status == 0, "\(first.out)\(first.err)")
        #expect(first.err.contains("the access token of work was refreshed"), "\(first.err)")
        let secondAccess = authority.currentToken
        #expect(secondAccess != firstAccess)
        // --auth auto picked OAUTHBEARER, which the server offers beside XOAUTH2.
        #expect(server.authLog.contains("OAUTHBEARER ok user=ada@example.com"), "\(server.authLog)")
        #expect(first.out.contains("AUTH OAUTHBEARER [credentials hidden]"), "\(first.out)")

        let second = try send(machine, server, ["--auth", "xoauth2"])
        #expect(second.status == 0, "\(second.out)\(second.err)")
        #expect(authority.currentToken != secondAccess, "the second send used a newer token")
        #expect(server.authLog.contains("XOAUTH2 ok user=ada@example.com"), "\(server.authLog)")
        #expect(server.messages().count == 2 && server.messages().allSatisfy { $0.envelope.login == "ada@example.com" })

        let token = try machine.mailtui(["oauth", "token", "--account", "work"])
        #expect(token.status == 0 && token.out == authority.currentToken + "\n", "\(token.err)")

        let listAgain = try machine.mailtui(["oauth", "list"])
        let seen = [signedIn, list, first, second, listAgain].map { $0.out + $0.err }.joined() + machine.stateText
        let refreshNow = (try? JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: machine.accountFile))) as? [String: Any])?["refreshToken"] as? String
        for secret in [firstAccess, secondAccess, firstRefresh, refreshNow ?? firstRefresh] {
            #expect(!seen.contains(secret), "a token leaked into the output or the history")
        }
        #expect(!machine.stateText.isEmpty, "the history was written (and holds no token)")

        authority.revokeRefreshTokens()
        let revoked = try send(machine, server)
        #expect(revoked.status == 7, "\(revoked.out)\(revoked.err)")
        #expect(revoked.err.contains("refresh failed") && revoked.err.contains("Sign in again: mailtui oauth login --provider microsoft --account work"), "\(revoked.err)")
        #expect(server.messages().count == 2)

        let logout = try machine.mailtui(["oauth", "logout", "--account", "work"])
        #expect(logout.status == 0 && !FileManager.default.fileExists(atPath: machine.accountFile))
    }

    /// A token the server does not take: "the token was refused", with what to check.
    @Test func aRefusedTokenSaysWhatToCheck() throws {
        let authority = try FakeAuthority(["--pending", "0"])
        defer { authority.stop() }
        let other = TestPaths.temporaryDirectory("mailtui-token") + "/token"
        TestFiles.write(other, Data("some-other-token\n".utf8))
        let server = try TestSMTPServer(["--mode", "starttls", "--oauth-token-file", other, "--oauth-user", "ada@example.com"])
        defer { server.stop() }
        let machine = Machine()
        #expect(try login(machine, authority).status == 0)
        let refused = try send(machine, server)
        #expect(refused.status == 7, "\(refused.out)\(refused.err)")
        let said = refused.out + refused.err
        #expect(said.contains("The token was refused"), "\(said)")
        #expect(said.contains("SMTP.Send") && said.contains("--user must match the token's user"), "\(said)")
        #expect(!said.contains(authority.currentToken))
    }

    /// A token file others can read is refused, as ssh refuses a readable key.
    @Test func aTokenFileOthersCanReadIsRefused() throws {
        let authority = try FakeAuthority(["--pending", "0"])
        defer { authority.stop() }
        let machine = Machine()
        #expect(try login(machine, authority).status == 0)
        chmod(machine.accountFile, 0o644)
        let token = try machine.mailtui(["oauth", "token", "--account", "work"])
        #expect(token.status == 2 && token.out.isEmpty, "\(token.out)")
        #expect(token.err.contains("can be read or changed by others (mode 644)") && token.err.contains("chmod 600"), "\(token.err)")
    }

    /// `mailtui serve --oauth-token NAME:TOKEN` takes XOAUTH2 and OAUTHBEARER with that token
    /// only: the whole path on a fresh machine.
    @Test func serveTakesOnlyItsTestToken() throws {
        let serve = try ServeCommandTests.Serve(["--oauth-token", "ada@example.com:good-token"])
        defer { _ = serve.stop() }
        for (mechanism, token, status) in [("xoauth2", "good-token", Int32(0)), ("oauthbearer", "good-token", 0), ("xoauth2", "bad-token", 7), ("oauthbearer", "bad-token", 7)] {
            let result = try Program.run(TestPaths.mailtui, ["send", "--server", "127.0.0.1", "--port", serve.port, "--ca-file", serve.ca, "--user", "ada@example.com",
                                                             "--auth", mechanism, "--password-env", "T", "--from", "ada@example.com", "--to", "x@example.com"],
                                         environment: TestPaths.hermeticEnvironment(["T": token, "NO_COLOR": "1"]))
            #expect(result.status == status, "\(mechanism) \(token): \(result.out)")
        }
        let list = try Program.run(TestPaths.mailtui, ["serve", "--list-presets"], environment: TestPaths.hermeticEnvironment())
        #expect(list.out.contains("microsoft-basic-auth-off") && list.out.contains("550 5.7.30"), "\(list.out)")
    }

    /// The preset: a password login meets 550 5.7.30, and the diagnosis gives the sign-in command.
    @Test func theBasicAuthOffPresetLeadsToTheSignIn() throws {
        let serve = try ServeCommandTests.Serve(["--preset", "microsoft-basic-auth-off"])
        defer { _ = serve.stop() }
        let result = try Program.run(TestPaths.mailtui, ["send", "--server", "127.0.0.1", "--port", serve.port, "--ca-file", serve.ca,
                                                         "--user", "ada@contoso.com", "--password-env", "P", "--from", "ada@contoso.com", "--to", "x@example.com"],
                                     environment: TestPaths.hermeticEnvironment(["P": "pw", "NO_COLOR": "1"]))
        #expect(result.status == 7, "\(result.out)")
        #expect(result.out.contains("Basic authentication is off for this account: sign in with OAuth2: mailtui oauth login --provider microsoft --account ada@contoso.com"), "\(result.out)")
    }

    /// With a Secret Service (here a stand-in `secret-tool` on PATH that keeps secrets in a
    /// folder), the refresh token goes there and the file keeps only a reference; a refresh reads
    /// it from there and puts the rotated one back; logout clears it.
    @Test func theRefreshTokenGoesToTheSecretServiceWhenThereIsOne() throws {
        let authority = try FakeAuthority(["--pending", "0", "--expires-in", "240"])
        defer { authority.stop() }
        let keyring = TestPaths.temporaryDirectory("mailtui-keyring")
        let bin = TestPaths.temporaryDirectory("mailtui-bin")
        let script = """
        #!/bin/sh
        command=$1; shift
        for last in "$@"; do :; done
        case "$command" in
          store) cat > "$FAKE_KEYRING/$last" ;;
          lookup) cat "$FAKE_KEYRING/$last" ;;
          clear) rm "$FAKE_KEYRING/$last" ;;
          *) exit 2 ;;
        esac
        """
        TestFiles.write(bin + "/secret-tool", Data(script.utf8), mode: 0o755)
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let machine = Machine(["PATH": bin + ":" + path, "DBUS_SESSION_BUS_ADDRESS": "unix:path=/nonexistent", "FAKE_KEYRING": keyring])
        let signedIn = try machine.mailtui(["oauth", "login", "--provider", "microsoft", "--account", "work", "--client-id", FakeAuthority.clientID,
                                            "--authority", authority.url])
        #expect(signedIn.status == 0, "\(signedIn.out)\(signedIn.err)")
        #expect(signedIn.err.contains("refresh token stored in the Secret Service (secret-tool"), "\(signedIn.err)")
        let stored = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: machine.accountFile))) as? [String: Any])
        #expect(stored["refreshStore"] as? String == "secret-service" && stored["refreshToken"] == nil)
        let first = try String(contentsOfFile: keyring + "/work", encoding: .utf8)
        #expect(first.hasPrefix("rt-"))
        let list = try machine.mailtui(["oauth", "list"])
        #expect(list.out.contains("refresh token in the Secret Service"), "\(list.out)")
        let token = try machine.mailtui(["oauth", "token", "--account", "work"])
        #expect(token.status == 0 && token.out == authority.currentToken + "\n", "\(token.err)")
        let rotated = try String(contentsOfFile: keyring + "/work", encoding: .utf8)
        #expect(rotated.hasPrefix("rt-") && rotated != first, "the rotated refresh token went back to the Secret Service")
        #expect(try machine.mailtui(["oauth", "logout", "--account", "work"]).status == 0)
        #expect(!FileManager.default.fileExists(atPath: keyring + "/work") && !FileManager.default.fileExists(atPath: machine.accountFile))
    }

    /// A profile's `oauth = "NAME"` logs in with the account, as --oauth does.
    @Test func aProfileNamesTheAccount() throws {
        let authority = try FakeAuthority(["--pending", "0"])
        defer { authority.stop() }
        let server = try TestSMTPServer(["--mode", "starttls", "--oauth-token-file", authority.tokenFile, "--oauth-user", "ada@example.com"])
        defer { server.stop() }
        let machine = Machine()
        #expect(try login(machine, authority).status == 0)
        let config = try #require(machine.environment["XDG_CONFIG_HOME"]) + "/mailtui"
        try FileManager.default.createDirectory(atPath: config, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let toml = """
        [profiles.m365]
        server = "127.0.0.1"
        port = \(server.port)
        security = "starttls"
        ca_file = "\(TestCertificates.path("ca.pem"))"
        helo = "client.test.invalid"
        oauth = "work"
        """
        TestFiles.write(config + "/config.toml", Data(toml.utf8), mode: 0o600)
        let sent = try machine.mailtui(["send", "--profile", "m365", "--from", "ada@example.com", "--to", "bob@example.org", "--text", "hi"])
        #expect(sent.status == 0, "\(sent.out)\(sent.err)")
        #expect(server.messages().first?.envelope.login == "ada@example.com")
        #expect(!(sent.out + sent.err).contains(authority.currentToken))
    }

    /// `--auth auto` with a token takes what EHLO offers: XOAUTH2 from a server that offers no
    /// OAUTHBEARER (as Microsoft 365's), never PLAIN or LOGIN with an empty password.
    @Test func autoTakesXOAUTH2WhenOnlyThatIsOffered() throws {
        let authority = try FakeAuthority(["--pending", "0"])
        defer { authority.stop() }
        let machine = Machine()
        #expect(try login(machine, authority).status == 0)
        let server = try TestSMTPServer.faulty(["--mechanisms", "LOGIN PLAIN XOAUTH2", "--login", "ada@example.com:" + authority.currentToken])
        defer { server.stop() }
        let sent = try machine.mailtui(["send", "--server", "127.0.0.1", "--port", String(server.port), "--security", "starttls",
                                        "--ca-file", TestCertificates.path("ca.pem"), "--oauth", "work", "--from", "ada@example.com", "--to", "bob@example.org", "--text", "hi"])
        #expect(sent.status == 0, "\(sent.out)\(sent.err)")
        #expect(server.commandLog.contains("TLS AUTH XOAUTH2"), "\(server.commandLog)")
        #expect(!server.commandLog.contains("AUTH PLAIN") && !server.commandLog.contains("AUTH LOGIN"))
    }
}
