import Foundation
import Testing
import MailCore
import TestSupport

/// mailtui's import of a Flask config against what a real Flask app with Flask-Mail makes of the
/// same file (Tests/Support/flask_mail_settings.py): server, port, security, login, sender, for
/// .env files and Python config modules, defaults included.
@Suite struct FlaskFidelityTests {
    struct Case: Sendable, CustomStringConvertible {
        var kind: FlaskSources.Kind
        var text: String
        var environment: [String: String] = [:]
        var description: String { "\(kind.rawValue): " + text.split(separator: "\n").joined(separator: " | ") }
    }

    static let cases: [Case] = [
        Case(kind: .dotenv, text: "MAIL_SERVER=127.0.0.1\nMAIL_PORT=20025\n"),
        Case(kind: .dotenv, text: ""),
        Case(kind: .dotenv, text: "MAIL_SERVER=smtp.example.com\nMAIL_PORT=587\nMAIL_USE_TLS=True\nMAIL_USERNAME=app@example.com\nMAIL_PASSWORD=s3cret\nMAIL_DEFAULT_SENDER=App <app@example.com>\n"),
        Case(kind: .dotenv, text: "MAIL_SERVER=smtp.example.com\nMAIL_USE_TLS=False\nMAIL_USE_SSL=0\n"),
        Case(kind: .dotenv, text: "MAIL_USE_SSL=1\n"),
        Case(kind: .dotenv, text: "export MAIL_SERVER='smtp.example.com' # the relay\nMAIL_PORT = 465\nMAIL_USE_SSL=\"yes\"\nMAIL_USERNAME=u\n"),
        Case(kind: .dotenv, text: "MAIL_HOST=smtp.example.com\nEMAIL_PORT=587\nMAIL_USERNAME=u\nMAIL_PASSWORD=\"p w\"\n"),
        Case(kind: .dotenv, text: "MAIL_USE_TLS=\nMAIL_PORT=2525\nMAIL_TIMEOUT=10\n"),
        Case(kind: .python, text: "MAIL_SERVER = 'smtp.example.com'\nMAIL_PORT = 465\nMAIL_USE_SSL = True\nMAIL_DEFAULT_SENDER = ('Flasky Admin', 'admin@example.com')\n"),
        Case(kind: .python, text: "import os\nMAIL_SERVER = os.environ.get('MAIL_SERVER', 'smtp.googlemail.com')\nMAIL_PORT = int(os.environ.get('MAIL_PORT', '587'))\nMAIL_USE_TLS = os.environ.get('MAIL_USE_TLS', 'true').lower() in ['true', 'on', '1']\nMAIL_USERNAME = os.environ.get('MAIL_USERNAME')\nMAIL_PASSWORD = os.environ.get('MAIL_PASSWORD')\n",
             environment: ["MAIL_USERNAME": "me@example.com", "MAIL_PASSWORD": "pw"]),
        Case(kind: .python, text: "import os\nMAIL_SERVER = os.environ.get('MAIL_SERVER', 'localhost')\nMAIL_PORT = int(os.environ.get('MAIL_PORT') or 25)\nMAIL_USE_TLS = os.environ.get('MAIL_USE_TLS') is not None\n",
             environment: ["MAIL_PORT": "2525", "MAIL_USE_TLS": ""]),
        Case(kind: .python, text: "MAIL_USE_TLS = 'False'\nMAIL_PORT = 587\n"),
    ]

    @Test(arguments: cases)
    func importMatchesARealFlaskMailApp(_ c: Case) throws {
        let directory = TestPaths.temporaryDirectory()
        let path = directory + (c.kind == .dotenv ? "/.env" : "/config.py")
        try c.text.write(toFile: path, atomically: true, encoding: .utf8)
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("MAIL_") }
        environment.merge(c.environment) { $1 }
        let result = try Program.run("/usr/bin/env", ["python3", TestPaths.support("flask_mail_settings.py"), c.kind.rawValue, path], environment: environment)
        #expect(result.status == 0, "\(result.err)")
        let app = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any], "\(result.out)")
        let source = c.kind == .dotenv ? FlaskSources.dotenv(c.text, path: path) : FlaskSources.pythonConfig(c.text, path: path, environment: c.environment)
        let imported = FlaskImport(source)
        let s = imported.settings
        #expect(app["error"] is NSNull, "\(app)")
        #expect(s.host == app["server"] as? String, "server: app \(app["server"] ?? "?"), mailtui \(s.host)")
        #expect(s.port == app["port"] as? Int, "port: app \(app["port"] ?? "?"), mailtui \(String(describing: s.port))")
        let appSecurity: SecurityMode = (app["use_ssl"] as? Bool) == true ? .tls : (app["use_tls"] as? Bool) == true ? .starttls : .none
        #expect(s.security == appSecurity, "security: app \(appSecurity), mailtui \(s.security)")
        #expect(s.username == app["username"] as? String, "username")
        let passwordSet = imported.password != nil || (imported.passwordSource != nil && c.environment["MAIL_PASSWORD"] != nil)
        #expect(passwordSet == (app["password_set"] as? Bool), "password set")
        #expect(imported.sender == app["default_sender"] as? String, "sender: app \(app["default_sender"] ?? "?"), mailtui \(imported.sender ?? "nil")")
    }

    /// A value Flask-Mail cannot take stops the app at start-up; the import says so.
    @Test func aMailDebugThatCrashesTheAppIsAProblem() throws {
        let path = TestPaths.temporaryDirectory() + "/.env"
        try "MAIL_DEBUG=False\n".write(toFile: path, atomically: true, encoding: .utf8)
        let result = try Program.python("flask_mail_settings.py", ["dotenv", path])
        #expect(result.out.contains("\"error\": \"ValueError\""), "\(result.out) \(result.err)")
        let imported = FlaskImport(FlaskSources.dotenv("MAIL_DEBUG=False\n", path: path))
        #expect(imported.findings.contains { $0.severity == .problem && $0.message.contains("ValueError") })
    }
}
