import Foundation
import Testing
import TestSupport

/// `mailtui send` and `export` with an imported Flask config behave as the app will: where the app
/// cannot send, mailtui says why in words and fails the same way, unless asked to send as the
/// config meant; export writes what the config means and says what changed.
@Suite struct FlaskAsTheAppTests {
    func mailtui(_ arguments: [String]) throws -> ProgramResult {
        var env = TestPaths.hermeticEnvironment()
        env["NO_COLOR"] = "1"
        for key in env.keys where key.hasPrefix("MAIL_") { env[key] = nil }
        return try Program.run(TestPaths.mailtui, arguments, environment: env)
    }

    func dotenv(_ text: String) -> String {
        let path = TestPaths.temporaryDirectory("mailtui-env") + "/.env"
        TestFiles.write(path, Data(text.utf8))
        return path
    }

    @Test func bothTLSModesFailAsTheAppFailsUnlessSentAsIntended() throws {
        let server = try TestSMTPServer(["--mode", "tls"])
        defer { server.stop() }
        let env = dotenv("MAIL_SERVER=127.0.0.1\nMAIL_PORT=\(server.port)\nMAIL_USE_TLS=True\nMAIL_USE_SSL=True\n")
        let common = ["send", "--env-file", env, "--ca-file", TestCertificates.path("ca.pem"), "--helo", "client.test.invalid",
                      "--from", "app@example.com", "--to", "b@example.com", "--text", "x"]
        let likeTheApp = try mailtui(common)
        #expect(likeTheApp.status == 6, "the TLS stage's status: \(likeTheApp.out)\(likeTheApp.err)")
        #expect(likeTheApp.err.contains("STARTTLS extension not supported by server") && likeTheApp.err.contains("--as-intended"), "\(likeTheApp.err)")
        #expect(server.messages().isEmpty, "the app sends nothing; neither does mailtui")
        let intended = try mailtui(common + ["--as-intended"])
        #expect(intended.status == 0, "\(intended.out)\(intended.err)")
        #expect(intended.err.contains("--as-intended: sending with"), "\(intended.err)")
        #expect(server.messages().count == 1)
    }

    @Test func exportWritesWhatTheConfigMeansAndSaysWhatChanged() throws {
        let env = dotenv("MAIL_SERVER=smtp.example.com\nMAIL_PORT=2525\nMAIL_USE_TLS=False\nMAIL_USE_SSL=False\n")
        let result = try mailtui(["export", "--format", "dotenv", "--env-file", env])
        #expect(result.status == 0, "\(result.out)\(result.err)")
        #expect(result.out.contains("MAIL_USE_TLS=\nMAIL_USE_SSL=\n") && !result.out.contains("MAIL_USE_SSL=1"), "\(result.out)")
        #expect(result.err.contains("MAIL_USE_SSL is \"False\", a non-empty string the app reads as on; written as off, as meant"), "\(result.err)")
    }

    @Test func aDotenvAndTheConfigReadingItAreOneSourceWithEachFindingOnce() throws {
        let directory = TestPaths.temporaryDirectory("mailtui-flask")
        TestFiles.write(directory + "/.env", Data("MAIL_SERVER=smtp.example.com\nMAIL_PORT=2525\n".utf8))
        TestFiles.write(directory + "/config.py", Data("import os\nMAIL_SERVER = os.environ.get('MAIL_SERVER', 'localhost')\nMAIL_PORT = int(os.environ.get('MAIL_PORT', 25))\n".utf8))
        let result = try mailtui(["export", "--format", "swaks", "--env-file", directory + "/.env", "--flask-config", directory + "/config.py"])
        #expect(result.out.contains("smtp.example.com:2525"), "the config sees the .env's variables: \(result.out)\(result.err)")
        let lines = result.err.split(separator: "\n")
        #expect(Set(lines).count == lines.count, "each finding once: \(result.err)")
    }

    @Test func aKeyThatCannotBeReadIsNeverReplacedByADefault() throws {
        let directory = TestPaths.temporaryDirectory("mailtui-flask")
        TestFiles.write(directory + "/config.py", Data("import configparser\nparser = configparser.ConfigParser()\nMAIL_SERVER = parser.get('mail', 'host')\nMAIL_PORT = 587\nMAIL_USE_TLS = True\n".utf8))
        let refused = try mailtui(["export", "--format", "swaks", "--flask-config", directory + "/config.py"])
        #expect(refused.status == 2 && refused.out.isEmpty, "\(refused.out)\(refused.err)")
        #expect(refused.err.contains("cannot read MAIL_SERVER (\(directory)/config.py:3)") && refused.err.contains("--server"), "\(refused.err)")
        let given = try mailtui(["export", "--format", "swaks", "--flask-config", directory + "/config.py", "--server", "smtp.example.com"])
        #expect(given.status == 0 && given.out.contains("smtp.example.com:587"), "\(given.out)\(given.err)")
    }
}
