import MailCore

/// A reply as the session sends it: a code and the text of each line.
struct SMTPReply: Sendable, Equatable {
    var code: Int
    var lines: [String]

    init(_ code: Int, _ lines: [String]) {
        self.code = code
        self.lines = lines
    }
}

/// What the session knows when a command comes: its state, as a value.
struct ServerSessionState: Sendable, Equatable {
    var helo: String?
    var inTLS = false
    /// Whether STARTTLS can be offered (the server has a certificate).
    var tlsAvailable = false
    var authUser: String?
    var transactionOpen = false
    var recipients = 0
    /// A message is coming in by BDAT chunks.
    var receivingChunks = false
    var gateDecidesLogins = false
}

/// What a command leads to, decided with no I/O: the session handler carries it out (a reply,
/// a stage's answer that faults and the gate may change, or a step that needs the connection).
enum CommandDecision: Sendable, Equatable {
    /// Just this reply.
    case reply(SMTPReply)
    /// The stage's normal answer and what it leads to once given; `stage` nil when no fault
    /// strikes there (DATA's 354); `ask` what the gate is asked.
    case answer(SMTPStage?, SMTPReply, then: Next, ask: GateAsk?)
    /// Steps that need the connection, the SASL exchange or the message sink.
    case startTLS(argument: String)
    case auth(argument: String)
    case bdat(argument: String)
    case reset

    enum Next: Sendable, Equatable {
        case hello(String)
        case mailFrom(String, [String])
        case recipient(StoredMessage.Recipient)
        case enterData
        case quit
    }

    enum GateAsk: Sendable, Equatable {
        case mail(String, [String])
        case rcpt(String, [String])
        case data
    }
}

/// The rules of the commands that need no I/O (RFC 5321's order of EHLO, MAIL, RCPT and DATA,
/// the limits, the login and TLS the configuration requires): a command and the session's facts
/// in, a decision out.
struct SMTPCommandRules: Sendable {
    let configuration: ServerConfiguration

    func decide(_ command: SMTPCommand, hasNUL: Bool, _ facts: ServerSessionState) -> CommandDecision {
        let (verb, argument) = (command.verb, command.argument)
        if hasNUL { return .reply(SMTPReply(500, ["5.5.2 NUL bytes are not allowed in commands"])) }
        if configuration.requireTLS && !facts.inTLS && !["EHLO", "HELO", "STARTTLS", "QUIT", "NOOP"].contains(verb) {
            return .reply(SMTPReply(530, ["5.7.0 Must issue a STARTTLS command first"]))
        }
        switch verb {
        case "EHLO", "HELO": return hello(verb, argument, facts)
        case "STARTTLS": return .startTLS(argument: argument)
        case "AUTH": return .auth(argument: argument)
        case "MAIL": return mail(argument, facts)
        case "RCPT": return rcpt(argument, facts)
        case "DATA": return data(argument, facts)
        case "BDAT": return .bdat(argument: argument)
        case "RSET": return .reset
        case "NOOP": return .reply(SMTPReply(250, ["2.0.0 Ok"]))
        case "VRFY": return .reply(SMTPReply(252, ["2.1.5 Cannot verify the user, but will take the message"]))
        case "HELP": return .reply(SMTPReply(214, ["2.0.0 mailtui test server: EHLO STARTTLS AUTH MAIL RCPT DATA RSET NOOP VRFY QUIT"]))
        case "QUIT": return .answer(.quit, SMTPReply(221, ["2.0.0 Bye"]), then: .quit, ask: nil)
        case "": return .reply(SMTPReply(500, ["5.5.2 Empty command"]))
        default: return .reply(SMTPReply(500, ["5.5.2 Command not recognized"]))
        }
    }

    func authOffered(_ facts: ServerSessionState) -> Bool { facts.inTLS || configuration.authBeforeTLS }

    private func hello(_ verb: String, _ argument: String, _ facts: ServerSessionState) -> CommandDecision {
        let name = argument.trimmingSpaces
        guard !name.isEmpty, !name.contains(" ") else { return .reply(SMTPReply(501, ["5.5.4 Syntax: \(verb) hostname"])) }
        var lines = [configuration.hostname + " greets " + String(name.prefix(64))]
        if verb == "EHLO" {
            lines += ["SIZE \(configuration.maxMessageSize)", "8BITMIME", "SMTPUTF8", "PIPELINING", "ENHANCEDSTATUSCODES", "DSN", "CHUNKING"]
            if !facts.inTLS && facts.tlsAvailable { lines.append("STARTTLS") }
            if authOffered(facts) { lines.append("AUTH " + (facts.gateDecidesLogins ? SASLExchange.handedOver : SASLExchange.offered)) }
        }
        return .answer(.ehlo, SMTPReply(250, lines), then: .hello(name), ask: nil)
    }

    /// An escape or another control character in an address (RFC 5321 allows none): stored, it
    /// would name another mailbox than the one the client meant.
    static func holdsControl(_ address: String) -> Bool {
        address.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
    }

    private func mail(_ argument: String, _ facts: ServerSessionState) -> CommandDecision {
        guard facts.helo != nil else { return .reply(SMTPReply(503, ["5.5.1 Send EHLO or HELO first"])) }
        guard !facts.transactionOpen else { return .reply(SMTPReply(503, ["5.5.1 A transaction is already open (RSET first)"])) }
        if configuration.requireAuth && facts.authUser == nil { return .reply(SMTPReply(530, ["5.7.0 Authentication required"])) }
        guard let (address, parameters) = SMTPCommand.path(argument, prefix: "FROM:") else {
            return .reply(SMTPReply(501, ["5.5.4 Syntax: MAIL FROM:<address> [parameters]"]))
        }
        if Self.holdsControl(address) { return .reply(SMTPReply(501, ["5.1.7 Bad sender address syntax: a control character in the address"])) }
        if let size = parameters.first(where: { $0.uppercased().hasPrefix("SIZE=") }).flatMap({ Int($0.dropFirst(5)) }), size > configuration.maxMessageSize {
            return .reply(SMTPReply(552, ["5.3.4 The message is larger than the \(configuration.maxMessageSize) bytes this server takes"]))
        }
        return .answer(.mail, SMTPReply(250, ["2.1.0 Ok"]), then: .mailFrom(address, parameters), ask: .mail(address, parameters))
    }

    private func rcpt(_ argument: String, _ facts: ServerSessionState) -> CommandDecision {
        guard facts.transactionOpen else { return .reply(SMTPReply(503, ["5.5.1 Send MAIL FROM first"])) }
        guard let (address, parameters) = SMTPCommand.path(argument, prefix: "TO:"), !address.isEmpty else {
            return .reply(SMTPReply(501, ["5.5.4 Syntax: RCPT TO:<address> [parameters]"]))
        }
        if Self.holdsControl(address) { return .reply(SMTPReply(501, ["5.1.3 Bad recipient address syntax: a control character in the address"])) }
        guard facts.recipients < configuration.maxRecipients else {
            return .reply(SMTPReply(452, ["4.5.3 Too many recipients (at most \(configuration.maxRecipients) a message)"]))
        }
        return .answer(.rcpt, SMTPReply(250, ["2.1.5 Ok"]), then: .recipient(StoredMessage.Recipient(address: address, parameters: parameters)),
                       ask: .rcpt(address, parameters))
    }

    private func data(_ argument: String, _ facts: ServerSessionState) -> CommandDecision {
        guard facts.transactionOpen else { return .reply(SMTPReply(503, ["5.5.1 Send MAIL FROM first"])) }
        guard facts.recipients > 0 else { return .reply(SMTPReply(554, ["5.5.1 No valid recipients"])) }
        guard argument.isEmpty else { return .reply(SMTPReply(501, ["5.5.4 Syntax: DATA"])) }
        guard !facts.receivingChunks else { return .reply(SMTPReply(503, ["5.5.1 DATA cannot follow BDAT in one transaction"])) }
        return .answer(nil, SMTPReply(354, ["End data with <CR><LF>.<CR><LF>"]), then: .enterData, ask: .data)
    }
}
