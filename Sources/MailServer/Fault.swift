import MailCore
import Synchronization

/// What a fault does at its stage.
public enum FaultAction: Sendable, Equatable, Codable {
    /// Answer with this reply instead of the normal one (`550 5.1.1 No such user`).
    case reply(code: Int, text: String)
    /// Wait, then go on normally.
    case delay(seconds: Double)
    /// Drop the connection.
    case close
    /// Never answer.
    case hang
    /// STARTTLS only: say 220, then break the handshake.
    case tlsFail
    /// A rate limit: past `count` messages in `seconds` (per login or per sender), this reply.
    case throttle(count: Int, seconds: Double, scope: ThrottleScope, code: Int, text: String)
    /// Greylisting: this reply the first time for each (client address, sender, recipient), then
    /// the normal answer once `seconds` have passed since.
    case greylist(seconds: Double)
    /// The message is read at this many octets a second at most.
    case bandwidth(bytesPerSecond: Int)
    /// The connection drops once this many octets of the message's content were read.
    case closeAfter(bytes: Int)

    var words: String {
        switch self {
        case .reply(let code, let text): "\(code) \(text)"
        case .delay(let seconds): "delay \(seconds.plainText) s"
        case .close: "close"
        case .hang: "hang"
        case .tlsFail: "tls-fail"
        case .throttle(let count, let seconds, let scope, let code, let text):
            "throttle \(count)/\(ThrottleScope.periodWord(seconds)) \(scope.word) \(code) \(text)"
        case .greylist(let seconds): "greylist \(seconds.plainText)"
        case .bandwidth(let rate): "bandwidth \(rate.plainRate)"
        case .closeAfter(let bytes): "close-after \(bytes)"
        }
    }

    /// Whether it acts on how the message is read (`data` only) rather than on an answer.
    var pacesTheMessage: Bool {
        switch self {
        case .bandwidth, .closeAfter: true
        default: false
        }
    }
}

/// Whose messages a rate limit counts together.
public enum ThrottleScope: String, Sendable, Equatable, Codable {
    /// The login name (sessions without one share a count).
    case login
    /// The MAIL FROM address.
    case sender

    var word: String { "per-\(rawValue)" }

    /// `s`, `min`, `h` or `d` for the periods they name, else seconds.
    static func periodWord(_ seconds: Double) -> String {
        switch seconds {
        case 1: "s"
        case 60: "min"
        case 3600: "h"
        case 86400: "d"
        default: "\(seconds.plainText)s"
        }
    }

    static func period(_ word: Substring) -> Double? {
        switch word.lowercased() {
        case "s", "sec", "second": 1
        case "m", "min", "minute": 60
        case "h", "hour": 3600
        case "d", "day": 86400
        default: word.hasSuffix("s") ? Double(word.dropLast()).flatMap { $0 > 0 && $0 <= 86400 ? $0 : nil } : nil
        }
    }
}

extension Int {
    /// `20kB/s`, `1MB/s` or `500B/s`.
    var plainRate: String {
        if self % 1_000_000 == 0 { return "\(self / 1_000_000)MB/s" }
        if self % 1000 == 0 { return "\(self / 1000)kB/s" }
        return "\(self)B/s"
    }
}

/// `--fault 'STAGE[@N]=ACTION'`: at a stage, on its Nth occurrence since the server started (or
/// every time), do something other than the normal reply. The stage is the client's `SMTPStage`,
/// named by its `faultWord` (`starttls` for `.tls`); `data` is the reply after the message content.
public struct Fault: Sendable, Equatable, Codable, CustomStringConvertible {
    public var stage: SMTPStage
    /// 1-based: `rcpt@2` is the second recipient since start; nil is every time.
    public var occurrence: Int?
    public var action: FaultAction
    /// From 0 to 1: it strikes with this chance each time it could (`~30%`); nil is always.
    public var probability: Double?

    public init(stage: SMTPStage, occurrence: Int? = nil, action: FaultAction, probability: Double? = nil) {
        self.stage = stage
        self.occurrence = occurrence
        self.action = action
        self.probability = probability
    }

    public var description: String {
        "\(stage.faultWord)\(occurrence.map { "@\($0)" } ?? "")=\(action.words)" + (probability.map { " ~\(($0 * 100).plainText)%" } ?? "")
    }

    /// Parses `rcpt@2=550 5.1.1 No such user`, `greeting=delay 3`, `data=close`, `starttls=tls-fail`.
    public init(parsing text: String) throws(FaultError) {
        guard let equals = text.firstIndex(of: "=") else { throw FaultError(text: text, reason: "expected STAGE[@N]=ACTION") }
        let left = text[..<equals].trimmingSpaces
        var right = String(text[text.index(after: equals)...]).trimmingSpaces
        var probability: Double?
        if let tilde = right.lastIndex(of: "~"), right[tilde...].hasSuffix("%") {
            // `~30%` at the end: a chance, Mailpit's chaos style.
            guard let percent = Double(right[right.index(after: tilde)..<right.index(before: right.endIndex)]), percent >= 0, percent <= 100 else {
                throw FaultError(text: text, reason: "~P% takes a percentage from 0 to 100")
            }
            probability = percent / 100
            right = String(right[..<tilde]).trimmingSpaces
        }
        let parts = left.split(separator: "@", maxSplits: 1).map(String.init)
        guard let stageName = parts.first, let stage = SMTPStage(faultWord: stageName) else {
            throw FaultError(text: text, reason: "the stage must be one of \(SMTPStage.allCases.map(\.faultWord).joined(separator: ", "))")
        }
        var occurrence: Int?
        if parts.count == 2 {
            guard let n = Int(parts[1]), n >= 1, n <= 1_000_000_000 else { throw FaultError(text: text, reason: "@N takes a whole number from 1") }
            occurrence = n
        }
        let words = right.split(separator: " ", maxSplits: 1).map(String.init)
        let action: FaultAction
        switch words.first?.lowercased() {
        case "close": action = .close
        case "hang": action = .hang
        case "tls-fail":
            guard stage == .tls else { throw FaultError(text: text, reason: "tls-fail is for the starttls stage only") }
            action = .tlsFail
        case "throttle", "greylist", "bandwidth", "close-after":
            action = try Self.limit(words, stage: stage, text: text)
        case "delay":
            guard words.count == 2, let seconds = Double(words[1]), seconds.isFinite, seconds >= 0, seconds <= 3600 else {
                throw FaultError(text: text, reason: "delay takes seconds, from 0 to 3600")
            }
            action = .delay(seconds: seconds)
        case let first? where first.count > 4 && first.prefix(3).allSatisfy({ ("0"..."9").contains($0) }) && first.dropFirst(3).first == "-":
            // `550-5.1.1`: in SMTP a dash after the code marks a reply line that more follow.
            let code = first.prefix(3)
            let rest = String(first.dropFirst(4)) + (words.count == 2 ? " " + words[1] : "")
            throw FaultError(text: text, reason: "a dash after the code marks a continuation line, and a fault answers with one line: write '\(code) \(rest)' with a space")
        case let first?:
            guard first.count == 3, let code = Int(first), (200...599).contains(code) else {
                throw FaultError(text: text, reason: "the action must be a reply (CODE TEXT), delay SECONDS, close, hang, tls-fail, throttle N/min, greylist SECONDS, bandwidth RATE or close-after OCTETS")
            }
            let reply = words.count == 2 ? words[1] : ""
            guard !reply.contains(where: { $0 == "\r" || $0 == "\n" }) else { throw FaultError(text: text, reason: "a reply is one line") }
            action = .reply(code: code, text: reply)
        case nil:
            throw FaultError(text: text, reason: "no action after '='")
        }
        self.init(stage: stage, occurrence: occurrence, action: action, probability: probability)
    }
}

extension Fault {
    private enum CodingKeys: String, CodingKey { case stage, occurrence, action, probability }

    /// The stage is written as its fault word, `starttls`, as it always was.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(stage.faultWord, forKey: .stage)
        try c.encodeIfPresent(occurrence, forKey: .occurrence)
        try c.encode(action, forKey: .action)
        try c.encodeIfPresent(probability, forKey: .probability)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(stage: try c.decode(SMTPStage.self, forKey: .stage), occurrence: try c.decodeIfPresent(Int.self, forKey: .occurrence),
                  action: try c.decode(FaultAction.self, forKey: .action), probability: try c.decodeIfPresent(Double.self, forKey: .probability))
    }
}

public struct FaultError: Error, Sendable, CustomStringConvertible {
    public var text: String
    public var reason: String
    public var description: String { "--fault '\(text)': \(reason)" }
}

