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

    var words: String {
        switch self {
        case .reply(let code, let text): "\(code) \(text)"
        case .delay(let seconds): "delay \(seconds.plainText) s"
        case .close: "close"
        case .hang: "hang"
        case .tlsFail: "tls-fail"
        }
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

    public init(stage: SMTPStage, occurrence: Int? = nil, action: FaultAction) {
        self.stage = stage
        self.occurrence = occurrence
        self.action = action
    }

    public var description: String { "\(stage.faultWord)\(occurrence.map { "@\($0)" } ?? "")=\(action.words)" }

    /// Parses `rcpt@2=550 5.1.1 No such user`, `greeting=delay 3`, `data=close`, `starttls=tls-fail`.
    public init(parsing text: String) throws(FaultError) {
        guard let equals = text.firstIndex(of: "=") else { throw FaultError(text: text, reason: "expected STAGE[@N]=ACTION") }
        let left = text[..<equals].trimmingSpaces
        let right = String(text[text.index(after: equals)...]).trimmingSpaces
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
                throw FaultError(text: text, reason: "the action must be a reply (CODE TEXT), delay SECONDS, close, hang or tls-fail")
            }
            let reply = words.count == 2 ? words[1] : ""
            guard !reply.contains(where: { $0 == "\r" || $0 == "\n" }) else { throw FaultError(text: text, reason: "a reply is one line") }
            action = .reply(code: code, text: reply)
        case nil:
            throw FaultError(text: text, reason: "no action after '='")
        }
        self.init(stage: stage, occurrence: occurrence, action: action)
    }
}

extension Fault {
    private enum CodingKeys: String, CodingKey { case stage, occurrence, action }

    /// The stage is written as its fault word, `starttls`, as it always was.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(stage.faultWord, forKey: .stage)
        try c.encodeIfPresent(occurrence, forKey: .occurrence)
        try c.encode(action, forKey: .action)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(stage: try c.decode(SMTPStage.self, forKey: .stage), occurrence: try c.decodeIfPresent(Int.self, forKey: .occurrence),
                  action: try c.decode(FaultAction.self, forKey: .action))
    }
}

public struct FaultError: Error, Sendable, CustomStringConvertible {
    public var text: String
    public var reason: String
    public var description: String { "--fault '\(text)': \(reason)" }
}

/// The faults in force and how often each stage was reached since the server started (shared by
/// all connections), so that `rcpt@2` strikes the second recipient whichever session it is in.
/// The compose screen's fault panel changes them while the server runs.
public final class FaultBook: Sendable {
    /// A fault in force; a `once` fault goes when it has struck.
    struct Armed: Sendable {
        var fault: Fault
        var once: Bool
    }

    private let state: Mutex<(faults: [Armed], counts: [SMTPStage: Int])>

    public init(_ faults: [Fault] = []) { state = Mutex((faults.map { Armed(fault: $0, once: false) }, [:])) }

    /// Counts one more arrival at `stage` and returns the fault that strikes it, if one does.
    func reach(_ stage: SMTPStage) -> (fault: Fault, occurrence: Int)? {
        state.withLock { state in
            let count = (state.counts[stage] ?? 0) + 1
            state.counts[stage] = count
            guard let index = state.faults.firstIndex(where: { $0.fault.stage == stage && ($0.fault.occurrence == nil || $0.fault.occurrence == count) }) else {
                return nil
            }
            let armed = state.faults[index]
            if armed.once { state.faults.remove(at: index) }
            return (armed.fault, count)
        }
    }

    /// Puts these faults in force instead of any before, counting `@N` from now; `once` faults
    /// strike a single time (the next message), the others until cleared.
    public func replace(with faults: [Fault], once: Bool) {
        state.withLock { state in
            state.faults = faults.map { Armed(fault: $0, once: once) }
            state.counts = [:]
        }
    }

    /// The faults in force, as `--fault` writes them, `(once)` marked.
    public var active: [String] {
        state.withLock { state in state.faults.map { $0.fault.description + ($0.once ? " (once)" : "") } }
    }
}
