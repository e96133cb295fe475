import MailCore

/// What a gate decided the client will be told, word for word: the code and the text of each line.
public struct GateReply: Sendable, Equatable {
    public var code: Int
    public var lines: [String]

    public init(code: Int, lines: [String]) {
        self.code = code
        self.lines = lines
    }
}

/// A login the client finished (PLAIN, LOGIN or XOAUTH2), with what it proved, for a gate that
/// replays it elsewhere. The secret is held only for the session: it is never recorded.
public struct ClientLogin: Sendable {
    /// `PLAIN`, `LOGIN` or `XOAUTH2`.
    public var mechanism: String
    public var user: String
    /// The password, or the bearer token for XOAUTH2.
    public var secret: String

    public init(mechanism: String, user: String, secret: String) {
        self.mechanism = mechanism
        self.user = user
        self.secret = secret
    }
}

/// Asked by a session before it answers the stages of a transaction.
///
/// `serve` has no gate: it answers by its own rules. `relay` answers each stage with what the
/// upstream server said there, so the client sees the provider's words at the provider's stage.
/// Faults strike before a gate is asked.
public protocol TransactionGate: Sendable {
    /// Whether the gate decides logins (pass-through): a session then finishes any PLAIN, LOGIN
    /// or XOAUTH2 exchange and asks `login` for the verdict, not its own user list.
    var decidesLogins: Bool { get }
    /// One gate session per client connection; `client` is the peer's address.
    func open(client: String) -> any GateSession
}

/// A connection's gate. Each call answers once, on any thread, through `done`; the session hops
/// back to its event loop. A `nil` reply means "answer as serve would".
///
/// How the session uses the answers: a reply below 400 takes the step (the sender, the
/// recipient, the login, DATA), 400 and over refuses it. At a message's end the message is
/// stored either way, with `takeLeg()` in its record, and the client gets the gate's reply
/// instead of the store's. A refusal of the first BDAT chunk is sent once the chunk's octets are
/// read. While a call is pending the session reads nothing; past the per-command time limit it
/// closes with 421 and calls `close`, and a late `done` is ignored. `reset` may come after DATA's
/// content in place of `message` (a fault at the data stage, a line or the size over the limits).
public protocol GateSession: AnyObject, Sendable {
    func login(_ login: ClientLogin, done: @escaping @Sendable (GateReply?) -> Void)
    func mail(from: String, parameters: [String], done: @escaping @Sendable (GateReply?) -> Void)
    func rcpt(to: String, parameters: [String], done: @escaping @Sendable (GateReply?) -> Void)
    /// The DATA command (or the first BDAT chunk), before any content.
    func data(done: @escaping @Sendable (GateReply?) -> Void)
    /// The whole message as it will be stored (dot-unstuffed), at its end.
    func message(_ octets: [UInt8], done: @escaping @Sendable (GateReply?) -> Void)
    /// RSET, or a transaction the session abandoned.
    func reset()
    /// The client left: close what the gate holds.
    func close()
    /// The other leg of the message just ended, for its stored record (nil when there is none).
    func takeLeg() -> RelayedLeg?
    /// The other leg of an attempt that failed there and ended with no message (a login or a
    /// sender refused, or a transaction reset or left after a refusal), for the session to store
    /// as an attempt; nil when nothing failed, and then the leg so far is kept.
    func takeFailedLeg() -> RelayedLeg?
}

/// The upstream leg of one relayed message: where it went, how it ended, and the client-side
/// conversation with credentials hidden.
public struct RelayedLeg: Sendable, Equatable, Codable {
    /// `host:port` of the upstream server.
    public var server: String
    /// The stage where the upstream conversation ended (`.quit` when the message was accepted).
    public var stage: SMTPStage
    /// The upstream's last reply, e.g. `250 2.0.0 OK` or `535 5.7.8 Username and Password not accepted`.
    public var reply: String
    public var delivered: Bool
    /// The diagnosis's one-line explanation and what to change, when it failed.
    public var diagnosis: String?
    public var transcript: [TranscriptLine]

    public init(server: String, stage: SMTPStage, reply: String, delivered: Bool, diagnosis: String?, transcript: [TranscriptLine]) {
        self.server = server
        self.stage = stage
        self.reply = reply
        self.delivered = delivered
        self.diagnosis = diagnosis
        self.transcript = transcript
    }
}
