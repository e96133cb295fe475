import Foundation
import Testing
import TestSupport

/// Profiles, Flask-Mail import and export, and history through the real binary, with private
/// XDG folders. No password may appear in any output, export, `profiles show` or the history.
@Suite struct ProfilesAndHistoryTests {
    static let password = "Pr0file-Secret-ü"
    let config = TestPaths.temporaryDirectory("mailtui-config")
    let state = TestPaths.temporaryDirectory("mailtui-state")

    func mailtui(_ arguments: [String], input: String? = nil, environment: [String: String] = [:]) throws -> ProgramResult {
        var env = ProcessInfo.processInfo.environment
        env["MAIL_PASSWORD"] = nil
        env["XDG_CONFIG_HOME"] = config
        env["XDG_STATE_HOME"] = state
        for (key, value) in environment { env[key] = value }
        return try Program.run(TestPaths.mailtui, arguments, input: input.map { Data($0.utf8) }, environment: env)
    }

    func assertNoPassword(_ text: String, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!text.contains(Self.password), "the password is in \(what)", sourceLocation: sourceLocation)
        #expect(!text.contains(Data("\0alice\0\(Self.password)".utf8).base64EncodedString()), "the password (base64) is in \(what)", sourceLocation: sourceLocation)
        #expect(!text.contains(Data(Self.password.utf8).base64EncodedString()), "the password (base64) is in \(what)", sourceLocation: sourceLocation)
    }

    @Test func aProfileWithAStoredPasswordSendsAndNothingLeaks() throws {
        let server = try TestSMTPServer(["--mode", "starttls", "--require-starttls", "--auth", "alice:\(Self.password)"])
        defer { server.stop() }
        let save = try mailtui(["profiles", "save", "test", "--server", "127.0.0.1", "--port", String(server.port), "--ca-file", TestCertificates.path("ca.pem"),
                                "--user", "alice", "--password-stdin", "--save-password", "--from", "App <app@example.com>"], input: Self.password + "\n")
        #expect(save.status == 0, "\(save.out)\(save.err)")
        #expect(save.err.contains("stored in plain text"))
        var info = stat()
        stat(config + "/mailtui/profiles.toml", &info)
        #expect(info.st_mode & 0o777 == 0o600)

        let send = try mailtui(["send", "--profile", "test", "--to", "ada@example.org", "--subject", "from a profile", "--text", "hi"])
        #expect(send.status == 0, "\(send.out)\(send.err)")
        #expect(server.messages().first?.envelope.mail_from == "app@example.com", "the profile's sender")
        let probe = try mailtui(["probe"])
        #expect(probe.status == 0, "the default profile is used: \(probe.out)\(probe.err)")

        var everything = save.out + save.err + send.out + send.err + probe.out + probe.err
        for args in [["profiles", "list"], ["profiles", "show", "test"], ["profiles", "show", "test", "--json"], ["history"], ["history", "--json"]] {
            let r = try mailtui(args)
            #expect(r.status == 0)
            everything += r.out + r.err
        }
        for format in ["flask", "dotenv", "swaks", "curl", "msmtp"] {
            let r = try mailtui(["export", "--format", format, "--profile", "test"])
            #expect(r.status == 0)
            everything += r.out
        }
        let list = try mailtui(["history"]).out
        let ids = list.split(separator: "\n").map { String($0.split(separator: " ").first ?? "") }
        #expect(ids.count == 2)
        #expect(list.contains("probe") && list.contains("send") && list.contains("\"from a profile\""))
        for id in ids {
            let show = try mailtui(["history", "show", id])
            #expect(show.status == 0)
            everything += show.out
            // The report to paste: written to a file, and the same on standard output.
            let file = TestPaths.temporaryDirectory("mailtui-share") + "/report.md"
            let share = try mailtui(["history", "show", id, "--share", file])
            #expect(share.status == 0 && share.err.contains("wrote \(file)"), "\(share.err)")
            let report = try String(contentsOfFile: file, encoding: .utf8)
            #expect(report.contains("### Settings") && report.contains("`127.0.0.1:\(server.port)`, STARTTLS"))
            #expect(report.contains("### Transcript") && report.contains("AUTH PLAIN [credentials hidden]"))
            #expect(report.contains("### Versions") && report.contains("mailtui ") && report.contains("libcurl"))
            #expect(report.contains("swaks --server 127.0.0.1:\(server.port) --tls") && report.contains("curl --url smtp://127.0.0.1:\(server.port)"))
            if report.contains("send succeeded") { #expect(report.contains("--to ada@example.org") && report.contains("--mail-rcpt ada@example.org")) }
            #expect(try mailtui(["history", "show", id, "--share", "-"]).out == report)
            everything += report
        }
        #expect(everything.contains("[credentials hidden]"))
        #expect(everything.contains("[stored in the profile's file, hidden]"))
        assertNoPassword(everything, "output, exports, profiles show or history")
        let historyFile = try String(contentsOfFile: state + "/mailtui/history.jsonl", encoding: .utf8)
        assertNoPassword(historyFile, "the history file")
    }

    @Test func aPasswordSourceWithAProfileThatHasTheUser() throws {
        let server = try TestSMTPServer(["--mode", "starttls", "--auth", "alice:\(Self.password)"])
        defer { server.stop() }
        let save = try mailtui(["profiles", "save", "p", "--server", "127.0.0.1", "--port", String(server.port),
                                "--ca-file", TestCertificates.path("ca.pem"), "--user", "alice", "--from", "a@example.com"])
        #expect(save.status == 0, "\(save.err)")
        let send = try mailtui(["send", "--profile", "p", "--password-env", "P_PW", "--to", "b@example.com", "--text", "x"],
                               environment: ["P_PW": Self.password])
        #expect(send.status == 0, "\(send.out)\(send.err)")
        #expect(server.messages().first?.envelope.authenticated == true)
        let noUser = try mailtui(["send", "--server", "127.0.0.1", "--password-env", "P_PW", "--from", "a@example.com", "--to", "b@example.com"])
        #expect(noUser.status == 2)
        #expect(noUser.err.contains("needs a user"))
    }

    @Test func sendWithAFlaskDotenvAndItsWarnings() throws {
        let server = try TestSMTPServer(["--mode", "starttls", "--auth", "alice:\(Self.password)"])
        defer { server.stop() }
        let env = config + "/app.env"
        TestFiles.write(env, Data("""
        MAIL_SERVER=127.0.0.1
        MAIL_PORT=\(server.port)
        MAIL_USE_TLS=True
        MAIL_USE_SSL=False
        MAIL_USERNAME=alice
        MAIL_PASSWORD=\(Self.password)
        MAIL_DEFAULT_SENDER=Flask App <flask@example.com>

        """.utf8))
        // As in the app, the string "False" turns implicit TLS on as well as STARTTLS: Flask-Mail then
        // fails at starttls(), and so does mailtui, saying so.
        let send = try mailtui(["send", "--env-file", env, "--ca-file", TestCertificates.path("ca.pem"), "--to", "ada@example.org", "--text", "x"])
        #expect(send.status == 6, "\(send.out)\(send.err)")
        #expect(send.err.contains("MAIL_USE_SSL is the string \"False\""), "the surprise is explained")
        #expect(send.err.contains("both on"))
        #expect(send.err.contains("STARTTLS extension not supported by server"), "the app's own failure, predicted: \(send.err)")
        assertNoPassword(send.out + send.err, "the output")
        // Fixed as the warning says: empty for off.
        let fixed = try String(contentsOfFile: env, encoding: .utf8).replacingOccurrences(of: "MAIL_USE_SSL=False", with: "MAIL_USE_SSL=")
        TestFiles.write(env, Data(fixed.utf8))
        let again = try mailtui(["send", "--env-file", env, "--ca-file", TestCertificates.path("ca.pem"), "--to", "ada@example.org", "--text", "x"])
        #expect(again.status == 0, "\(again.out)\(again.err)")
        assertNoPassword(again.out + again.err, "the output")
        #expect(server.messages().first?.envelope.authenticated == true)
        #expect(server.messages().first?.envelope.mail_from == "flask@example.com")
    }

    @Test func twoProcessesWritingTheHistoryAtOnce() throws {
        let server = try TestSMTPServer(["--mode", "plain"])
        defer { server.stop() }
        let arguments = ["send", "--server", "127.0.0.1", "--port", String(server.port), "--security", "none",
                         "--from", "a@example.com", "--to", "b@example.com", "--text", "x"]
        let group = DispatchGroup()
        let failures = LockedCounter()
        for _ in 0..<2 {
            group.enter()
            Thread {
                for _ in 0..<8 where (try? mailtui(arguments))?.status != 0 { failures.increment() }
                group.leave()
            }.start()
        }
        group.wait()
        #expect(failures.value == 0)
        let lines = try String(contentsOfFile: state + "/mailtui/history.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 16)
        #expect(lines.allSatisfy { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) != nil }, "every entry is whole")
        #expect(try mailtui(["history", "--limit", "100"]).out.split(separator: "\n").count == 16)
    }

    @Test func aBrokenConfigIsReportedWithItsLine() throws {
        try FileManager.default.createDirectory(atPath: config + "/mailtui", withIntermediateDirectories: true)
        TestFiles.write(config + "/mailtui/config.toml", Data("[profiles.x]\nserver = \"a\"\nport = \"587\"\n".utf8))
        let r = try mailtui(["profiles", "list"])
        #expect(r.status == 2)
        #expect(r.err.contains("config.toml:3: 'port' must be a number"))
        let save = try mailtui(["profiles", "save", "y", "--server", "b"])
        #expect(save.status == 0, "saving goes to profiles.toml and does not need config.toml: \(save.err)")
        #expect(save.err.contains("config.toml:3"), "the broken line is still named")
        #expect(try String(contentsOfFile: config + "/mailtui/config.toml", encoding: .utf8) == "[profiles.x]\nserver = \"a\"\nport = \"587\"\n", "not touched")
        let delete = try mailtui(["profiles", "delete", "y"])
        #expect(delete.status == 0, "\(delete.err)")
    }

    @Test func aProfileNameWithADotIsQuotedAndEverythingStillWorks() throws {
        let server = try TestSMTPServer(["--mode", "plain"])
        defer { server.stop() }
        let save = try mailtui(["profiles", "save", "a.b", "--server", "127.0.0.1", "--port", String(server.port), "--security", "none"])
        #expect(save.status == 0, "\(save.err)")
        #expect(try String(contentsOfFile: config + "/mailtui/profiles.toml", encoding: .utf8).contains("[profiles.\"a.b\"]"))
        let list = try mailtui(["profiles", "list"])
        #expect(list.status == 0 && list.out.contains("a.b"), "\(list.err)")
        let send = try mailtui(["send", "--profile", "a.b", "--from", "a@example.com", "--to", "b@example.com", "--text", "x"])
        #expect(send.status == 0, "\(send.err)")
        #expect(server.messages().count == 1)
        #expect(try mailtui(["profiles", "delete", "a.b"]).status == 0)
    }

    /// A config folder that others can write may have been prepared by them (as `/tmp/.config`
    /// was when HOME was unset): it is not read, and its password command never runs.
    @Test func aConfigThatOthersCanChangeIsRefusedAndItsPasswordCommandNeverRuns() throws {
        let folder = config + "/mailtui"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        #expect(chmod(folder, 0o777) == 0)
        let marker = TestPaths.temporaryDirectory("mailtui-marker") + "/ran"
        TestFiles.write(folder + "/config.toml", Data("""
        default_profile = "w"
        [profiles.w]
        server = "127.0.0.1"
        port = 1
        security = "none"
        user = "u"
        password_cmd = "touch \(marker)"

        """.utf8))
        let send = try mailtui(["send", "--from", "a@example.com", "--to", "b@example.com", "--text", "x"])
        #expect(send.status != 0)
        #expect(!FileManager.default.fileExists(atPath: marker), "the planted password command ran")
        #expect(send.err.contains("chmod go-w \(folder)"), "\(send.err)")
    }

    @Test func theUsersConfigIsNeverRewritten() throws {
        let folder = config + "/mailtui"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let written = "# my settings, by hand\nhistory_limit = 50 # keep it short\n\n[profiles.mine]\nserver = \"mine.example.com\"  # the relay\ntimeout = 12.5\n"
        let real = TestPaths.temporaryDirectory("mailtui-dotfiles") + "/config.toml"
        TestFiles.write(real, Data(written.utf8))
        try FileManager.default.createSymbolicLink(atPath: folder + "/config.toml", withDestinationPath: real)

        #expect(try mailtui(["profiles", "save", "other", "--server", "other.example.com"]).status == 0)
        let clash = try mailtui(["profiles", "save", "mine", "--server", "saved.example.com"])
        #expect(clash.status == 0)
        #expect(clash.err.contains("config.toml also has a profile \"mine\""), "\(clash.err)")
        #expect(try String(contentsOfFile: real, encoding: .utf8) == written, "byte for byte")
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: folder + "/config.toml")) == real, "still a link")

        let show = try mailtui(["profiles", "show", "mine", "--json"])
        #expect(show.out.contains("mine.example.com"), "config.toml wins: \(show.out)")
        #expect(show.err.contains("both"), "and the clash is reported: \(show.err)")
        #expect(try mailtui(["profiles", "show", "other"]).out.contains("other.example.com"))
        let delete = try mailtui(["profiles", "delete", "mine"])
        #expect(delete.status == 0, "the saved one goes")
        let again = try mailtui(["profiles", "delete", "mine"])
        #expect(again.status == 2 && again.err.contains("never rewrites"), "\(again.err)")
    }
}

final class LockedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() { lock.lock(); count += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}
