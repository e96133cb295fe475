/// Takes a session's connection once libcurl has connected, greeted, secured and logged in, and
/// speaks the rest command by command: `mailtui relay` forwards MAIL, RCPT and DATA as its own
/// client sends them, so each reply comes back at the stage where the server gave it.
public protocol ConversationDriver: Sendable {
    /// Runs on the session's own thread, blocking it; the session says QUIT when it returns. The
    /// conversation is valid only during this call.
    func converse(_ conversation: Conversation)
}

/// Why a conversation cannot go on (no reply in time, the connection closed, a reply past the
/// limit), with `send`'s diagnosis of it.
public struct ConversationFailure: Error, Sendable, Equatable {
    public var failure: SessionFailure
    /// In a few words: `no reply within the time limit`, `the connection closed`.
    public var words: String
    /// The libcurl-style code the session ends with.
    var code: Int
}

/// The live connection a `ConversationDriver` speaks over: every command and reply goes through
/// the session's transcript (credentials hidden, timings, TLS marks) exactly as a send's do, and
/// every wait is bounded by the session's reply limit and total limit.
public final class Conversation {
    private let connection: Connection
    private let context: TransferContext
    /// Set once the connection failed: nothing more is said on it.
    public private(set) var broken: ConversationFailure?

    init(connection: Connection, context: TransferContext) {
        self.connection = connection
        self.context = context
    }

    /// EHLO keywords with their parameters (after STARTTLS where there was one).
    public var extensions: [String] { context.record.facts.extensions }
    /// The last reply of libcurl's part: the login's 235, or EHLO's reply without a login.
    public var lastReply: ServerReply? { context.record.facts.lastReply }
    public var authenticated: Bool { context.record.facts.authenticated }
    /// What is left of the session's total limit.
    public var remaining: Duration {
        context.record.start + .milliseconds(context.request.settings.timeouts.total.saturatingMilliseconds) - context.record.now
    }

    /// Whether the last EHLO offered this extension (`SIZE 1000` offers SIZE).
    public func offers(_ keyword: String) -> Bool {
        context.record.facts.capabilities.offers(keyword.uppercased())
    }

    /// The largest message the server takes (`SIZE n` with n > 0), nil when it names none.
    public var sizeLimit: Int? {
        for line in extensions {
            let words = line.split(separator: " ")
            if words.first?.uppercased() == "SIZE", words.count > 1, let limit = Int(words[1]), limit > 0 { return limit }
        }
        return nil
    }

    /// Sends one command line and reads its whole reply.
    public func command(_ line: String) -> Result<ServerReply, ConversationFailure> {
        if let broken { return .failure(broken) }
        do throws(Connection.Failure) {
            try connection.say(SMTPCommand(parsing: line))
            return .success(try connection.reply())
        } catch {
            return .failure(fail(error))
        }
    }

    /// Sends a message (as received: not dot-stuffed) after a 354, with the end-of-data line, and
    /// reads the reply to it.
    public func message(_ octets: [UInt8]) -> Result<ServerReply, ConversationFailure> {
        if let broken { return .failure(broken) }
        var stuffer = DotStuffer()
        var wire = stuffer.stuff(octets)
        wire += stuffer.end()
        context.record.facts.uploaded(octets.count)
        do throws(Connection.Failure) {
            try connection.send(wire)
            return .success(try connection.reply())
        } catch {
            return .failure(fail(error))
        }
    }

    /// `send`'s diagnosis of a refusal at `stage`: the provider's words explained, and what to change.
    public func diagnose(_ reply: ServerReply, at stage: SMTPStage, from: String, recipients: Int, messageBytes: Int) -> SessionFailure {
        context.record.facts.blame(reply, at: stage)
        var evidence = context.evidence(curlCode: FailureClassifier.sendError, message: "", cancelled: false)
        evidence.envelopeFrom = from
        evidence.recipientCount = recipients
        evidence.messageBytes = messageBytes
        return context.diagnose(evidence)
    }

    /// Forgets one transaction's recipients and refusal, so that the next starts clean.
    public func endTransaction() { context.record.facts.forgetTransaction() }

    /// A note of mailtui's own in the transcript.
    public func note(_ text: String) { context.record.note(text) }

    private func fail(_ error: Connection.Failure) -> ConversationFailure {
        context.record.error(error.words)
        var cancelled = false
        if case .cancelled = error { cancelled = true }
        let evidence = context.evidence(curlCode: error.code, message: error.words, cancelled: cancelled)
        let failure = ConversationFailure(failure: context.diagnose(evidence), words: error.words, code: error.code)
        broken = failure
        return failure
    }
}

extension MailTransaction {
    /// Hands the connection to the driver, then says QUIT unless the connection broke.
    func converse(with driver: any ConversationDriver) -> Int {
        // The driver hears every line as it comes; the report keeps the opening and the first of
        // the rest, so that a relay connection's memory stays flat over thousands of messages.
        context.record.transcript.keptLineLimit = context.record.transcript.lines.count + Self.loadKeptLines
        let conversation = Conversation(connection: connection, context: context)
        driver.converse(conversation)
        if let broken = conversation.broken { return broken.code }
        do throws(Connection.Failure) {
            try connection.say(.quit)
            _ = try? connection.reply()
        } catch {
            return error.code
        }
        return 0
    }
}
