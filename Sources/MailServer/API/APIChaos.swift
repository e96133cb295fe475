import MailCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `GET/PUT /api/v1/chaos`: Mailpit's chaos triggers (its swagger's `ChaosTriggers`), kept as
/// ordinary faults in the running server's `FaultBook`, so that `GET /api/v1/faults`, the F12
/// panel and the transcript see them as any fault:
///
/// - `Sender` is `mail=CODE Chaos sender error ~P%`,
/// - `Recipient` is `rcpt=CODE Chaos recipient error ~P%`,
/// - `Authentication` is `auth=CODE Chaos authentication error ~P%`
///
/// with Mailpit's reply words, so a test that reads them sees what Mailpit says. A fault of that
/// exact form, however it was set (`--fault`, the panel), is the trigger `GET` shows; `PUT`
/// replaces only those three and leaves every other fault in force.
///
/// Unlike Mailpit, chaos needs no `--enable-chaos` (faults are always there), a trigger at 0% is
/// no fault at all (`GET` then shows its default code), and an unknown key is refused rather than
/// ignored (a misspelt trigger would otherwise be reset without a word).
enum Chaos {
    /// Mailpit's three triggers.
    enum Trigger: String, CaseIterable {
        case sender = "Sender"
        case recipient = "Recipient"
        case authentication = "Authentication"

        /// The stage whose answer it replaces: MAIL FROM, RCPT TO, the end of AUTH.
        var stage: SMTPStage {
            switch self {
            case .sender: .mail
            case .recipient: .rcpt
            case .authentication: .auth
            }
        }

        /// Mailpit's code when none is given.
        var defaultCode: Int { self == .authentication ? 535 : 451 }

        /// Mailpit's reply text after the code.
        var words: String { "Chaos \(self == .authentication ? "authentication" : rawValue.lowercased()) error" }
    }

    /// Mailpit's `ChaosTrigger`: a code from 400 to 599 and a whole percentage.
    struct Setting: Codable, Equatable {
        var ErrorCode: Int
        var Probability: Int
    }

    /// Mailpit's `ChaosTriggers`, the body of both answers.
    struct Settings: Codable, Equatable {
        var Sender: Setting
        var Recipient: Setting
        var Authentication: Setting

        subscript(trigger: Trigger) -> Setting {
            get {
                switch trigger {
                case .sender: Sender
                case .recipient: Recipient
                case .authentication: Authentication
                }
            }
            set {
                switch trigger {
                case .sender: Sender = newValue
                case .recipient: Recipient = newValue
                case .authentication: Authentication = newValue
                }
            }
        }

        /// Every trigger at its default code and 0%: what `PUT {}` sets.
        static let off = Settings(Sender: Setting(ErrorCode: 451, Probability: 0), Recipient: Setting(ErrorCode: 451, Probability: 0),
                                  Authentication: Setting(ErrorCode: 535, Probability: 0))
    }

    /// The trigger a fault stands for, or nil: at its stage every time, Mailpit's words, and a
    /// chance (none is 100%).
    static func trigger(of fault: Fault) -> Trigger? {
        guard fault.occurrence == nil, case .reply(let code, let text) = fault.action, (400...599).contains(code) else { return nil }
        return Trigger.allCases.first { $0.stage == fault.stage && $0.words == text }
    }

    /// The triggers as the faults in force make them (the first of each kind counts).
    static func settings(_ faults: [Fault]) -> Settings {
        var settings = Settings.off
        var seen = Set<String>()
        for fault in faults {
            guard let trigger = trigger(of: fault), seen.insert(trigger.rawValue).inserted, case .reply(let code, _) = fault.action else { continue }
            settings[trigger] = Setting(ErrorCode: code, Probability: Int(((fault.probability ?? 1) * 100).rounded()))
        }
        return settings
    }

    /// The faults that make these triggers: one per trigger above 0%.
    static func faults(_ settings: Settings) -> [Fault] {
        Trigger.allCases.compactMap { trigger in
            let setting = settings[trigger]
            guard setting.Probability > 0 else { return nil }
            return Fault(stage: trigger.stage, action: .reply(code: setting.ErrorCode, text: trigger.words), probability: Double(setting.Probability) / 100)
        }
    }

    /// Why a `PUT` body is refused.
    struct Problem: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    static let example = "send {\"Sender\": {\"ErrorCode\": 451, \"Probability\": 5}, \"Recipient\": {...}, \"Authentication\": {...}} "
        + "(a trigger left out is reset to 0%; {} resets them all)"

    /// A `PUT` body read as Go's decoder reads Mailpit's (keys in any case; a trigger or field
    /// left out or null is 0, a code of 0 is the default one), and checked as Mailpit checks it:
    /// a code from 400 to 599, a whole percentage from 0 to 100.
    static func read(_ body: [UInt8]) -> Result<Settings, Problem> {
        guard let object = try? JSONDecoder().decode([String: [String: Double?]?].self, from: Data(body)) else {
            return .failure(Problem("the body is not a JSON object of triggers with numbers: " + example))
        }
        var settings = Settings.off
        var named: Set<Trigger> = []
        // Sorted: a dictionary's order changes from run to run, and the answer must not.
        for (key, fields) in object.sorted(by: { $0.key < $1.key }) {
            guard let trigger = Trigger.allCases.first(where: { $0.rawValue.lowercased() == key.lowercased() }) else {
                return .failure(Problem("no chaos trigger \"\(key)\": the triggers are Sender, Recipient and Authentication"))
            }
            // Keys match in any case, so `Sender` and `sender` are one trigger named twice: which
            // one counts would be a guess.
            guard named.insert(trigger).inserted else {
                return .failure(Problem("the trigger \(trigger.rawValue) is given twice (keys match in any case): give it once"))
            }
            var code = 0
            var probability = 0
            var fieldNames: Set<String> = []
            for (name, value) in (fields ?? [:]).sorted(by: { $0.key < $1.key }) {
                guard fieldNames.insert(name.lowercased()).inserted else {
                    return .failure(Problem("\(trigger.rawValue).\(name) is given twice (names match in any case): give it once"))
                }
                let number = value ?? 0
                guard number.isFinite, number == number.rounded(), abs(number) < 1e9 else {
                    return .failure(Problem("\(trigger.rawValue).\(name) takes a whole number, not \(number)"))
                }
                switch name.lowercased() {
                case "errorcode": code = Int(number)
                case "probability": probability = Int(number)
                default: return .failure(Problem("\(trigger.rawValue) has no field \"\(name)\": it takes ErrorCode and Probability"))
                }
            }
            if code == 0 { code = trigger.defaultCode }
            guard (400...599).contains(code) else {
                return .failure(Problem("\(trigger.rawValue).ErrorCode must be from 400 to 599 (an SMTP error), not \(code)"))
            }
            guard (0...100).contains(probability) else {
                return .failure(Problem("\(trigger.rawValue).Probability must be from 0 to 100 (a percentage), not \(probability)"))
            }
            settings[trigger] = Setting(ErrorCode: code, Probability: probability)
        }
        return .success(settings)
    }
}

extension APIResponder {
    func chaos(_ method: String, body: [UInt8]) -> APIResponse {
        guard let book = attachedFaults else { return .text(503, "the SMTP server is not running yet: try again") }
        guard method == "PUT" else { return .json(Chaos.settings(book.inForce)) }
        switch Chaos.read(body) {
        case .failure(let problem):
            return .text(400, "chaos not changed: \(problem.description)")
        case .success(let settings):
            book.exchange(leaving: { Chaos.trigger(of: $0) != nil }, for: Chaos.faults(settings))
            return .json(Chaos.settings(book.inForce))
        }
    }
}
