import Foundation
import Testing
@testable import MailCore

/// The reader of Flask config code and the review's consistency: typos by meaning, no finding
/// that contradicts another, nothing asserted from a key that could not be read, and what the
/// config means where the app reads it otherwise.
@Suite struct FlaskReaderTests {
    func imported(python text: String, environment: [String: String] = [:]) -> FlaskImport {
        FlaskImport(FlaskSources.pythonConfig(text, path: "config.py", environment: environment))
    }

    @Test func typoSuggestionsFollowTheMeaning() {
        #expect(FlaskKeys.meant("MAIL_USE_TSL") == "MAIL_USE_TLS", "the same letters swapped: TLS, not SSL")
        #expect(FlaskKeys.meant("MAIL_PROT") == "MAIL_PORT")
        #expect(FlaskKeys.meant("MAL_USE_TLS") == "MAIL_USE_TLS", "a typo in the MAIL_ part too")
        #expect(FlaskKeys.meant("SECRET_KEY") == nil && FlaskKeys.meant("MAIL_USE_XYZ") == nil)
        let all = imported(python: "MAIL_SERVER = 'smtp.example.com'\nMAIL_PROT = 587\nMAL_USE_TLS = True\n").findings.map(\.description)
        #expect(all.contains("config.py:2: MAIL_PROT is not read by Flask-Mail: did you mean MAIL_PORT? (it is not set, so the default applies)"), "\(all)")
        #expect(all.contains { $0.hasPrefix("config.py:3: MAL_USE_TLS is not read by Flask-Mail: did you mean MAIL_USE_TLS?") }, "\(all)")
    }

    @Test func neitherLoginKeyGivenSaysNothingAboutTheLogin() {
        let neither = imported(python: "import os\nMAIL_SERVER = 'localhost'\nMAIL_USERNAME = os.environ.get('MAIL_USERNAME')\nMAIL_PASSWORD = os.environ.get('MAIL_PASSWORD')\n")
        #expect(!neither.findings.contains { $0.message.contains("MAIL_PASSWORD is set") || $0.message.contains("MAIL_PASSWORD is empty") }, "\(neither.findings)")
        let placeholder = FlaskImport(FlaskSources.dotenv("MAIL_USERNAME=u\nMAIL_PASSWORD=CHANGE-ME\n", path: ".env"))
        #expect(placeholder.findings.contains { $0.message.contains("still the placeholder") })
        #expect(!placeholder.findings.contains { $0.message.contains("is empty") }, "a placeholder is not also empty")
    }

    @Test func aKeyThatCannotBeReadIsToldAndNothingDependsOnIt() throws {
        let r = imported(python: "from helpers import tls_flag\nMAIL_SERVER = 'smtp.example.com'\nMAIL_PORT = 587\nMAIL_USE_TLS = tls_flag()\nMAIL_USERNAME = 'u'\nMAIL_PASSWORD = 'p'\n")
        let told = try #require(r.findings.first { $0.message.hasPrefix("cannot read MAIL_USE_TLS at config.py:4:") })
        #expect(told.line == 4 && told.file == "config.py" && told.description.hasPrefix("cannot read MAIL_USE_TLS at config.py:4"))
        #expect(!r.findings.contains { $0.message.contains("587 with MAIL_USE_TLS off") || $0.message.contains("in the clear") }, "\(r.findings)")
        #expect(r.unknownKeys == ["MAIL_USE_TLS"])
    }

    @Test func whatTheConfigMeansWhereTheAppReadsItOtherwise() {
        let falseStrings = FlaskImport(FlaskSources.dotenv("MAIL_SERVER=smtp.example.com\nMAIL_PORT=2525\nMAIL_USE_TLS=False\nMAIL_USE_SSL=False\n", path: ".env"))
        #expect(falseStrings.settings.security == .tls && falseStrings.bothTLSModes, "the app: both strings are true")
        #expect(falseStrings.intended.security == SecurityMode.none && falseStrings.intendedChanges.count == 2)
        let exported = SettingsExport.render(.dotenv, settings: falseStrings.intended, sender: nil, passwordSource: nil)
        #expect(exported.contains("MAIL_USE_TLS=\nMAIL_USE_SSL=\n") && exported.contains("MAIL_PORT=2525"), "\(exported)")
        let both = FlaskImport(FlaskSources.dotenv("MAIL_PORT=465\nMAIL_USE_TLS=1\nMAIL_USE_SSL=1\n", path: ".env"))
        #expect(both.intended.security == .tls && both.findings.contains { $0.message.contains("STARTTLS extension not supported by server") })
        let submission = FlaskImport(FlaskSources.dotenv("MAIL_PORT=587\nMAIL_USE_TLS=1\nMAIL_USE_SSL=1\n", path: ".env"))
        #expect(submission.intended.security == .starttls)
    }

    @Test func aDotenvIsReadAsPythonDotenvReadsIt() {
        let v = FlaskSources.dotenv("\u{FEFF}MAIL_SERVER=a.example.com\r\nMAIL_USE_TLS=\"True\",\r\nMAIL_USERNAME=\"\"\r\nexport MAIL_PORT = 587 # c\r\nMAIL_X\r\nMAIL_DEFAULT_SENDER=\"App\nName <a@example.com>\"\n", path: ".env")
        #expect(v.values["MAIL_SERVER"] == nil && v.unreadable.contains { $0.line == 1 && $0.text.contains("byte-order mark") })
        #expect(v.values["MAIL_USE_TLS"] == nil && v.unreadable.contains { $0.line == 2 && $0.text.contains("python-dotenv cannot parse") })
        #expect(v.values["MAIL_USERNAME"] == .string(""))
        #expect(v.values["MAIL_PORT"] == .string("587") && v.lines["MAIL_PORT"] == 4)
        #expect(v.values["MAIL_X"] == nil)
        #expect(v.values["MAIL_DEFAULT_SENDER"] == .string("App\nName <a@example.com>") && v.lines["MAIL_DEFAULT_SENDER"] == 6)
    }

    @Test func hostileCodeEndsAndIsBounded() {
        let recursive = imported(python: "def f(x):\n    return f(x)\nMAIL_SERVER = f(1)\n")
        #expect(recursive.unknownKeys.contains("MAIL_SERVER"))
        let loop = imported(python: "def f():\n    f()\n    return 1\ndef g():\n    return f()\napp_thing = f()\nMAIL_PORT = 25\n")
        #expect(loop.settings.port == 25)
        let nested = String(repeating: "(", count: 50_000) + "1" + String(repeating: ")", count: 50_000)
        #expect(imported(python: "MAIL_PORT = " + nested + "\n").unknownKeys.contains("MAIL_PORT"))
        let unclosed = imported(python: "MAIL_SERVER = 'a\nMAIL_PORT = (1,\n" + String(repeating: "[", count: 10_000))
        _ = unclosed.findings
    }

    /// Reading is linear: twice the lines take about twice the time.
    @Test func readingTimeGrowsLinearly() {
        func time(_ n: Int) -> Double {
            var text = "import os\nclass Config:\n"
            for i in 0..<n { text += "    MAIL_KEY_\(i) = os.environ.get('V\(i)', 'x') or 'y'\n" }
            let start = ContinuousClock.now
            _ = FlaskSources.pythonConfig(text, path: "config.py", environment: [:])
            let d = ContinuousClock.now - start
            return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
        }
        _ = time(500)
        let small = time(2000), large = time(4000)
        #expect(large / max(small, 1e-6) < 4, "2000 lines: \(small) s, 4000 lines: \(large) s")
    }
}
