import Foundation
import Testing
@testable import MailCore
@testable import MailClient
@testable import MailAppData
import TestSupport

@Suite struct FlaskImportTests {
    @Test func dotenvIsReadAsPythonDotenvReadsIt() {
        let values = FlaskSources.dotenv("""
        # comment
        export MAIL_SERVER=smtp.example.com
        MAIL_PORT = 587
        MAIL_USE_TLS="1"
        MAIL_USERNAME='app@example.com'
        MAIL_PASSWORD=s3cret # trailing comment
        MAIL_DEFAULT_SENDER="App <noreply@example.com>"
        OTHER=ignored
        """).values
        #expect(values["MAIL_SERVER"] == .string("smtp.example.com"))
        #expect(values["MAIL_PORT"] == .string("587"))
        #expect(values["MAIL_PASSWORD"] == .string("s3cret"))
        #expect(values["OTHER"] == nil)
        let imported = FlaskImport(FlaskSources.dotenv("MAIL_SERVER=smtp.example.com\nMAIL_PORT=587\nMAIL_USE_TLS=1\nMAIL_USERNAME=app\nMAIL_PASSWORD=s3cret\nMAIL_DEFAULT_SENDER=\"App <noreply@example.com>\""))
        #expect(imported.settings.host == "smtp.example.com" && imported.settings.port == 587 && imported.settings.security == .starttls)
        #expect(imported.settings.username == "app" && imported.password == Secret("s3cret"))
        #expect(imported.sender == "App <noreply@example.com>")
        #expect(imported.warnings.count == 1 && imported.warnings[0].hasPrefix("No timeout: Flask-Mail sets none"), "\(imported.warnings)")
        #expect(imported.notes.contains { $0.contains("never verifies") })
    }

    func warnings(_ env: String) -> [String] { FlaskImport(FlaskSources.dotenv(env)).warnings }

    @Test func theStringFalseIsTrueInPython() {
        let imported = FlaskImport(FlaskSources.dotenv("MAIL_SERVER=h\nMAIL_PORT=587\nMAIL_USE_TLS=False\nMAIL_USE_SSL=0"))
        #expect(imported.settings.security == .tls, "both are non-empty strings, so both are on; SSL wins as in Flask-Mail")
        #expect(imported.warnings.contains { $0.contains("MAIL_USE_TLS is the string \"False\"") && $0.contains("ON") })
        #expect(imported.warnings.contains { $0.contains("MAIL_USE_SSL is the string \"0\"") })
        #expect(imported.warnings.contains { $0.contains("both on") })
    }

    @Test func sslOnPort25AndOtherSurprises() {
        #expect(warnings("MAIL_USE_SSL=1").contains { $0.contains("port 25") && $0.contains("does not switch to 465") })
        #expect(FlaskImport(FlaskSources.dotenv("MAIL_USE_SSL=1")).settings.port == 25)
        #expect(warnings("MAIL_USERNAME=app").contains { $0.contains("skips the login") })
        #expect(warnings("MAIL_SUPPRESS_SEND=1").contains { $0.contains("sends nothing") })
        #expect(warnings("MAIL_USE_TLS=1\nMAIL_PORT=465").contains { $0.contains("465") })
        #expect(warnings("MAIL_SERVER=smtp.example.com\nMAIL_USERNAME=a\nMAIL_PASSWORD=b").contains { $0.contains("in the clear") })
        #expect(!warnings("MAIL_USERNAME=a\nMAIL_PASSWORD=b").contains { $0.contains("in the clear") }, "Flask-Mail's default server is this machine")
        #expect(FlaskImport(FlaskSources.dotenv("")).settings.host == "127.0.0.1", "Flask-Mail's init_mail default")
    }

    @Test func pythonConfigModule() {
        let text = """
        import os
        class Config:
            MAIL_SERVER = os.environ.get('MAIL_SERVER', 'smtp.googlemail.com')
            MAIL_PORT = int(os.environ.get('MAIL_PORT') or 25)
            MAIL_USE_TLS = os.environ.get('MAIL_USE_TLS') is not None
            MAIL_USERNAME = os.environ['MAIL_USERNAME']
            MAIL_PASSWORD = os.environ.get('MAIL_PASSWORD')
            MAIL_DEFAULT_SENDER = ('Flasky Admin', 'admin@example.com')
            MAIL_MAX_EMAILS = 10
            MAIL_WEIRD = some_function()
        """
        let values = FlaskSources.pythonConfig(text, environment: ["MAIL_PORT": "587", "MAIL_USE_TLS": "", "MAIL_USERNAME": "me@example.com"])
        let imported = FlaskImport(values)
        #expect(imported.settings.host == "smtp.googlemail.com")
        #expect(imported.settings.port == 587)
        #expect(imported.settings.security == .starttls)
        #expect(imported.settings.username == "me@example.com")
        #expect(imported.passwordSource == .environment("MAIL_PASSWORD"))
        #expect(imported.sender == "Flasky Admin <admin@example.com>")
        #expect(imported.notes.contains { $0.contains("MAIL_MAX_EMAILS = 10") })
        #expect(imported.warnings.contains { $0.contains("line 10") && $0.contains("MAIL_WEIRD") })
    }

    @Test func environmentImport() {
        let imported = FlaskImport(FlaskSources.environment(["MAIL_SERVER": "env.example.com", "MAIL_USE_SSL": "true", "MAIL_PORT": "465", "PATH": "/bin"]))
        #expect(imported.settings.host == "env.example.com" && imported.settings.security == .tls && imported.settings.port == 465)
    }

    @Test(arguments: [SecurityMode.none, .starttls, .tls])
    func exportedSettingsImportBackTheSame(security: SecurityMode) {
        var s = ServerSettings(host: "smtp.example.com", port: security.defaultPort, security: security)
        s.username = "app@example.com"
        let dotenv = SettingsExport.render(.dotenv, settings: s, sender: "App <noreply@example.com>", passwordSource: .environment("APP_PW"))
        let fromDotenv = FlaskImport(FlaskSources.dotenv(dotenv))
        #expect(fromDotenv.settings.host == s.host && fromDotenv.settings.port == s.port && fromDotenv.settings.security == s.security)
        #expect(fromDotenv.settings.username == s.username && fromDotenv.sender == "App <noreply@example.com>")
        #expect(fromDotenv.password == nil, "the placeholder is not a password")
        let flask = SettingsExport.render(.flask, settings: s, sender: "App <noreply@example.com>", passwordSource: .environment("APP_PW"))
        let fromFlask = FlaskImport(FlaskSources.pythonConfig(flask, environment: [:]))
        #expect(fromFlask.settings.host == s.host && fromFlask.settings.port == s.port && fromFlask.settings.security == s.security)
        #expect(fromFlask.passwordSource == .environment("APP_PW"))
        #expect(fromFlask.sender == "App <noreply@example.com>")
    }
}

@Suite struct ConfigFileTests {
    @Test func aProfileKeepsItsDKIMSettingsButNeverTheKey() throws {
        let path = TestPaths.temporaryDirectory() + "/profiles.toml"
        var profile = Profile(name: "signed", settings: ServerSettings(host: "smtp.example.com"), from: "a@example.com")
        profile.dkim = DKIMSettings(selector: "s1", keyPath: "/keys/dkim.pem", domain: "example.com")
        try ConfigFile(path: path).save(MailtuiConfig(profiles: [profile]))
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("dkim_selector = \"s1\"") && text.contains("dkim_key = \"/keys/dkim.pem\""))
        #expect(try ConfigFile(path: path).load().profile(named: "signed")?.dkim == profile.dkim)
        let half = file("[profiles.x]\nserver = \"h\"\ndkim_key = \"/k.pem\"\n")
        #expect(throws: ConfigError.self) { try half.load() }
    }

    func file(_ text: String) -> ConfigFile {
        let path = TestPaths.temporaryDirectory() + "/config.toml"
        TestFiles.write(path, Data(text.utf8))
        return ConfigFile(path: path)
    }

    @Test func errorsNameTheLine() {
        #expect(throws: ConfigError.self) { try file("[profiles.a]\nserver = \"x\"\nport = 58 7\n").load() }
        do { _ = try file("[profiles.a]\nserver = \"x\"\nport = 58 7\n").load() } catch { #expect(error.line == 3) }
        do { _ = try file("default_profile = \"a\"\n\n[profiles.a]\nserver = \"x\"\nsecurity = \"ssl\"\n").load() } catch {
            #expect(error.line == 5)
            #expect(error.message.contains("\"none\", \"starttls\" or \"tls\""))
        }
        do { _ = try file("[profiles.a]\nserver = \"x\"\npasword_env = \"X\"\n").load() } catch {
            #expect(error.line == 3)
            #expect(error.message.contains("unknown setting 'pasword_env'"))
        }
        do { _ = try file("default_profile = \"missing\"\n").load() } catch { #expect(error.line == 1) }
    }

    @Test func aBrokenFileIsNeverOverwritten() throws {
        let broken = file("[profiles.a]\nserver = \n")
        #expect(throws: ConfigError.self) { try broken.save(MailtuiConfig(profiles: [Profile(name: "b", settings: ServerSettings(host: "h"))])) }
        #expect(String(decoding: FileContents.read(broken.path)!, as: UTF8.self) == "[profiles.a]\nserver = \n")
    }

    @Test func saveAndLoadRoundTrip() throws {
        let config = ConfigFile(path: TestPaths.temporaryDirectory() + "/sub/config.toml")
        var s = ServerSettings(host: "smtp.example.com", port: 2525, security: .tls, verifyCertificate: false, caFile: "/etc/ca.pem",
                               heloName: "me.example.com", username: "u \"quoted\"", authMechanism: .login, timeouts: Timeouts(perStep: 12))
        s.timeouts = Timeouts(perStep: 12)
        let original = MailtuiConfig(defaultProfile: "one", profiles: [
            Profile(name: "one", settings: s, passwordSource: .command("pass show 'smtp'"), from: "Zoë <z@example.com>"),
            Profile(name: "two", settings: ServerSettings(host: "b.example.com"), storedPassword: Secret("pa\"ss")),
            Profile(name: "dotted.name", settings: ServerSettings(host: "c.example.com", timeouts: Timeouts(perStep: 12.5))),
        ])
        #expect(try config.save(original) == true)
        var info = stat()
        stat(config.path, &info)
        #expect(info.st_mode & 0o777 == 0o600, "a stored password makes the file private")
        #expect(try config.load() == original)
    }
}

@Suite struct HistoryStoreTests {
    func entry(_ n: Int) -> HistoryEntry {
        let report = SessionReport(failure: nil, finalReply: ServerReply(code: 250, lines: ["ok \(n)"]), acceptedRecipients: [], rejectedRecipients: [],
                                   greeting: nil, extensions: [], extensionsBeforeTLS: nil, tls: nil, authenticated: false, stageTimes: [],
                                   elapsed: .zero, messageBytes: 0, transcript: [])
        return HistoryEntry(kind: .send, profile: nil, settings: ServerSettings(host: "h"), draft: MessageDraft(subject: "n\(n)"), recipients: [], report: report, time: 1000 + n)
    }

    @Test func newestFirstBoundedAndSurvivesACutLine() throws {
        let store = HistoryStore(path: TestPaths.temporaryDirectory() + "/history.jsonl", limit: 5)
        for n in 1...12 { try store.append(entry(n)) }
        let all = store.entries()
        #expect(all.count <= 6 && all.count >= 5)
        #expect(all.first?.draft?.subject == "n12")
        // A crash in the middle of a write leaves a cut line: it is skipped, earlier entries stay.
        let handle = FileHandle(forWritingAtPath: store.path)!
        handle.seekToEndOfFile()
        handle.write(Data("{\"id\":\"cut".utf8))
        try handle.close()
        #expect(store.entries().count == all.count)
        #expect(store.entry(id: all[1].id)?.result == "250 ok 11")
        try store.append(entry(13))
        #expect(store.entries().first?.draft?.subject == "n13", "the next entry starts on a fresh line")
    }

    @Test func kindsAreWrittenAndReadAsTheWordsOlderFilesHold() throws {
        let store = HistoryStore(path: TestPaths.temporaryDirectory() + "/history.jsonl", limit: 5)
        try store.append(entry(1))
        let sendLine = try String(contentsOfFile: store.path, encoding: .utf8)
        #expect(sendLine.contains("\"kind\":\"send\""))
        // A probe line as older versions wrote it (the kind a plain string), and a kind no version wrote.
        let probeLine = sendLine.replacing("\"kind\":\"send\"", with: "\"kind\":\"probe\"").replacing("n1", with: "n2")
        let unknownLine = sendLine.replacing("\"kind\":\"send\"", with: "\"kind\":\"relay\"")
        try (sendLine + probeLine + unknownLine).write(toFile: store.path, atomically: true, encoding: .utf8)
        #expect(store.entries().map(\.kind) == [.probe, .send])
        #expect(store.entries().first?.draft?.subject == "n2")
    }
}

@Suite struct HistoryLimitsTests {
    func entry(body: String = "x") -> HistoryEntry {
        let report = SessionReport(failure: nil, finalReply: nil, acceptedRecipients: [], rejectedRecipients: [], greeting: nil, extensions: [],
                                   extensionsBeforeTLS: nil, tls: nil, authenticated: false, stageTimes: [], elapsed: .zero, messageBytes: 0, transcript: [])
        return HistoryEntry(kind: .send, profile: nil, settings: ServerSettings(host: "h"), draft: MessageDraft(from: "a@b.c", to: "d@e.f", textBody: body),
                            recipients: [], report: report)
    }

    @Test func bigBodiesAreCutAndSaySo() {
        let big = entry(body: String(repeating: "ü", count: 100_000))
        #expect(big.bodyCut == true)
        #expect(big.draft!.textBody.utf8.count <= HistoryEntry.bodyLimit)
        #expect(big.draft!.textBody.allSatisfy { $0 == "ü" }, "cut at a character boundary")
        #expect(entry().bodyCut == nil)
    }

    @Test func anAppendDoesNotReadAFileThatHasNotDoubled() throws {
        let path = TestPaths.temporaryDirectory("mailtui-history") + "/history.jsonl"
        let store = HistoryStore(path: path, limit: 10)
        // One huge old line (as a 60 MB body once made): the first append after it trims and notes
        // the size; later appends do not read the file again until it has doubled.
        let huge = "{\"x\":\"" + String(repeating: "y", count: 2_000_000) + "\"}\n"
        try Data(huge.utf8).write(to: URL(fileURLWithPath: path))
        try store.append(entry())
        let noted = HistoryStore.notedSize(path + ".lock")
        #expect(noted > 2_000_000)
        for _ in 0..<15 { try store.append(entry()) }
        #expect(HistoryStore.notedSize(path + ".lock") == noted, "no trim: the file has not doubled")
        #expect(store.entries().count == 10, "readers see the newest limit entries")
        #expect(try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").count == 17, "the file was not rewritten")
        // Past the limit and doubled: trimmed to the newest 10.
        for _ in 0..<5 { try store.append(entry(body: String(repeating: "z", count: 60_000))) }
        let many = String(repeating: "{\"x\":1}\n", count: 300_000)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        handle.seekToEndOfFile()
        handle.write(Data(many.utf8))
        try handle.close()
        try store.append(entry())
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 10)
    }
}
