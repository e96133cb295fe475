/// A command the client sent, with what the session facts need to know of it: the stage it
/// starts and, for RCPT, the address. `MailTransaction` makes these knowing what it sends; the
/// commands libcurl sends are read from its debug text (`init(parsing:)`).
struct SMTPCommand: Sendable, Equatable {
    enum Verb: Sendable, Equatable { case ehlo, starttls, auth, mail, rcpt, data, quit, other }

    /// The line as sent, without its CR LF, credentials and all: the transcript hides them.
    let line: String
    let verb: Verb
    /// The stage the command starts; nil for one that starts none (NOOP, RSET).
    let stage: SMTPStage?
    /// RCPT's address, without its angle brackets and parameters.
    let recipient: String?

    init(line: String, verb: Verb, stage: SMTPStage?, recipient: String? = nil) {
        self.line = line
        self.verb = verb
        self.stage = stage
        self.recipient = recipient
    }

    /// Reads a command line someone else wrote (libcurl's EHLO, STARTTLS, AUTH, QUIT).
    init(parsing line: String) {
        let words = line.split(separator: " ", maxSplits: 1)
        let verb: Verb = switch words.first.map({ $0.uppercased() }) ?? "" {
        case "EHLO", "HELO": .ehlo
        case "STARTTLS": .starttls
        case "AUTH": .auth
        case "MAIL": .mail
        case "RCPT": .rcpt
        case "DATA": .data
        case "QUIT": .quit
        default: .other
        }
        let recipient = verb == .rcpt ? Self.address(inRcptArgument: words.count > 1 ? String(words[1]) : "") : nil
        self.init(line: line, verb: verb, stage: SMTPStage.of(command: line), recipient: recipient)
    }

    /// `TO:<a@b> NOTIFY=...` gives `a@b`.
    static func address(inRcptArgument argument: String) -> String {
        guard let open = argument.firstIndex(of: "<"), let close = argument[open...].firstIndex(of: ">") else {
            return argument.replacing("TO:", with: "").trimmingSpaces
        }
        return String(argument[argument.index(after: open)..<close])
    }

    // MARK: The commands MailTransaction sends

    /// `line` is the whole `MAIL FROM:<...>` with its parameters.
    static func mail(_ line: String) -> SMTPCommand { SMTPCommand(line: line, verb: .mail, stage: .mail) }

    /// `RCPT TO:<address>` followed by `parameters` (the DSN ones, with their leading space).
    static func rcpt(_ address: String, parameters: String = "") -> SMTPCommand {
        SMTPCommand(line: "RCPT TO:<\(address)>" + parameters, verb: .rcpt, stage: .rcpt, recipient: address)
    }

    static let data = SMTPCommand(line: "DATA", verb: .data, stage: .data)
    static let quit = SMTPCommand(line: "QUIT", verb: .quit, stage: .quit)
    static let noop = SMTPCommand(line: "NOOP", verb: .other, stage: nil)
    static let rset = SMTPCommand(line: "RSET", verb: .other, stage: nil)
}
