import Foundation
import Testing
@testable import MailCore
@testable import MailAppData
import TestSupport

/// Every configuration of Tests/Fixtures/flask-corpus (modeled on public Flask projects, each
/// with its SOURCE) against the real Flask-Mail: the test loads each as its app does
/// (flask_mail_settings.py case DIR), reads Flask-Mail's resolved state, and demands that mailtui
/// reads each key exactly the same, or says "cannot read MAIL_X at file:line". A key read wrong
/// (a silent fallback to a default included) fails the case.
@Suite struct FlaskCorpusTests {
    static let corpus = TestPaths.root + "/Tests/Fixtures/flask-corpus"

    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var config: String?
        var envFile: String?
        var environment: [String: String] = [:]
        /// Words a finding must contain, and words no finding may contain.
        var expected: [String] = []
        var refused: [String] = []
        var description: String { name }

        init(name: String, text: String) {
            self.name = name
            for line in text.split(separator: "\n") {
                guard let colon = line.firstRange(of: ": ") else { continue }
                let key = String(line[..<colon.lowerBound]), value = String(line[colon.upperBound...])
                switch key {
                case "config": config = value
                case "env-file": envFile = value
                case "env":
                    let parts = value.split(separator: "=", maxSplits: 1).map(String.init)
                    environment[parts[0]] = parts.count > 1 ? parts[1] : ""
                case "expect": expected.append(value)
                case "refute": refused.append(value)
                default: break
                }
            }
        }
    }

    static let cases: [Case] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: corpus))?.sorted() ?? []
        return names.compactMap { name in
            guard let text = try? String(contentsOfFile: corpus + "/" + name + "/case", encoding: .utf8) else { return nil }
            return Case(name: name, text: text)
        }
    }()

    /// One key's outcome.
    enum Outcome: Equatable {
        case exact
        case told
        case wrong(String)
    }

    static let keys = ["MAIL_SERVER", "MAIL_PORT", "MAIL_USE_TLS", "MAIL_USE_SSL", "MAIL_USERNAME", "MAIL_PASSWORD", "MAIL_DEFAULT_SENDER"]

    /// What mailtui reads of a case, and the outcome of each key against the app's own answer.
    static func judge(_ c: Case) throws -> (outcomes: [String: Outcome], imported: FlaskImport, app: [String: Any]) {
        let directory = corpus + "/" + c.name
        let oracle = try Program.run("/usr/bin/env", ["python3", TestPaths.support("flask_mail_settings.py"), "case", directory])
        let app = try #require(try JSONSerialization.jsonObject(with: oracle.stdout) as? [String: Any], "\(oracle.out) \(oracle.err)")
        // A copy, so that no file above the case (a .env of this checkout) is ever found.
        let copy = TestPaths.temporaryDirectory("flask-case") + "/app"
        try FileManager.default.copyItem(atPath: directory, toPath: copy)
        let values: FlaskSources.Values
        if let config = c.config {
            values = FlaskSources.app(entry: copy + "/" + config, environment: c.environment, dotenvFile: c.envFile.map { copy + "/" + $0 })
        } else {
            let path = copy + "/" + (c.envFile ?? ".env")
            // The bytes as they are (Foundation's String(contentsOfFile:) would drop a BOM).
            values = FlaskSources.dotenv(String(decoding: try #require(FileManager.default.contents(atPath: path)), as: UTF8.self), path: path)
        }
        let imported = FlaskImport(values)
        var outcomes: [String: Outcome] = [:]
        if let error = app["error"] as? String {
            let said = imported.findings.contains { $0.severity == .problem && $0.message.contains("fails") }
            for key in keys { outcomes[key] = said ? .told : .wrong("the app fails at start-up (\(error)) and mailtui does not say so") }
            return (outcomes, imported, app)
        }
        func nonEmpty(_ s: String?) -> String? { s.flatMap { $0.isEmpty ? nil : $0 } }
        let password = imported.password?.value ?? {
            if case .environment(let name)? = imported.passwordSource { return c.environment[name] }
            return nil
        }()
        let mine: [String: String?] = [
            "MAIL_SERVER": imported.settings.host,
            "MAIL_PORT": imported.settings.port.map(String.init),
            "MAIL_USE_TLS": String(values.values["MAIL_USE_TLS"]?.truthy ?? false),
            "MAIL_USE_SSL": String(values.values["MAIL_USE_SSL"]?.truthy ?? false),
            "MAIL_USERNAME": nonEmpty(imported.settings.username),
            "MAIL_PASSWORD": nonEmpty(password),
            "MAIL_DEFAULT_SENDER": imported.sender,
        ]
        let theirs: [String: String?] = [
            "MAIL_SERVER": app["server"] as? String,
            "MAIL_PORT": app["port"] as? String,
            "MAIL_USE_TLS": String((app["use_tls"] as? Bool) ?? false),
            "MAIL_USE_SSL": String((app["use_ssl"] as? Bool) ?? false),
            "MAIL_USERNAME": nonEmpty(app["username"] as? String),
            "MAIL_PASSWORD": nonEmpty(app["password"] as? String),
            "MAIL_DEFAULT_SENDER": app["default_sender"] as? String,
        ]
        for key in keys {
            let told = imported.findings.contains { $0.message.hasPrefix("cannot read \(key) at ") && $0.file != nil && $0.line != nil }
            let a = mine[key] ?? nil, b = theirs[key] ?? nil
            if told {
                outcomes[key] = .told
            } else if a == b {
                outcomes[key] = .exact
            } else {
                outcomes[key] = .wrong("\(key): the app has \(b ?? "None"), mailtui read \(a ?? "None")" + (key == "MAIL_PASSWORD" ? " (values of the corpus, not real passwords)" : ""))
            }
        }
        return (outcomes, imported, app)
    }

    @Test(arguments: cases)
    func eachKeyIsReadExactlyOrTold(_ c: Case) throws {
        let (outcomes, imported, _) = try Self.judge(c)
        let all = imported.findings.map(\.description).joined(separator: "\n")
        for key in Self.keys {
            if case .wrong(let why)? = outcomes[key] { Issue.record("\(c.name): \(why)\nfindings:\n\(all)") }
        }
        for words in c.expected {
            #expect(imported.findings.contains { $0.description.contains(words) }, "\(c.name): no finding with \"\(words)\" in:\n\(all)")
        }
        for words in c.refused {
            #expect(!imported.findings.contains { $0.description.contains(words) }, "\(c.name): a finding says \"\(words)\":\n\(all)")
        }
        // Nothing is asserted from a key that was not read.
        for key in imported.unknownKeys {
            let dependent = imported.findings.filter {
                !$0.message.hasPrefix("cannot read") && $0.message.hasPrefix(key + " ") && !$0.message.contains("is not read by Flask-Mail") && $0.severity != .note
            }
            #expect(dependent.isEmpty, "\(c.name): \(key) was not read, yet: \(dependent.map(\.description))")
        }
    }

    @Test func scoreboard() throws {
        var exact = 0, told = 0, wrong: [String] = []
        for c in Self.cases {
            let outcomes = try Self.judge(c).outcomes.values
            let anyWrong = outcomes.contains { if case .wrong = $0 { return true }; return false }
            if anyWrong { wrong.append(c.name) } else if outcomes.allSatisfy({ $0 == .exact }) { exact += 1 } else { told += 1 }
        }
        print("Flask corpus: \(exact) of \(Self.cases.count) read exactly, \(told) told (cannot read MAIL_X at file:line), \(wrong.count) wrong\(wrong.isEmpty ? "" : ": " + wrong.joined(separator: ", "))")
        #expect(Self.cases.count >= 40)
        #expect(wrong.isEmpty)
    }
}
