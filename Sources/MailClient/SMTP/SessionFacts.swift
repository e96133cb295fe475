/// What is known of one SMTP session, as a value: the stage and when each began, what the
/// server said (greeting, extensions, the reply to each command), recipients accepted and
/// refused, the login, where a failure happened. Both speakers update it with typed facts (a
/// command sent, a reply complete), never by having text re-read; the transcript, the report
/// and the diagnosis read it.
struct SessionFacts {
    typealias StageStart = (stage: SMTPStage, at: ContinuousClock.Instant)

    let security: SecurityMode
    let credentialsSet: Bool

    private(set) var stage: SMTPStage = .connect
    private(set) var stageStarts: [StageStart]
    /// The stage before QUIT: libcurl sends QUIT after most failures, which must not hide where it failed.
    var failingStage: SMTPStage { stage == .quit ? (stageStarts.dropLast().last(where: { $0.stage != .quit })?.stage ?? .quit) : stage }
    /// The stage in which a line arrived that is not an SMTP reply, if one did.
    private(set) var malformedLineStage: SMTPStage?
    /// Whether the conversation now travels inside TLS.
    private(set) var inTLS = false
    /// When the server accepted STARTTLS: the handshake starts then.
    private(set) var startTLSAcceptedAt: ContinuousClock.Instant?

    /// The command the next reply answers, and the stage it was sent in.
    private var pending: (command: SMTPCommand, stage: SMTPStage)?
    /// DATA was accepted with 354: the next reply is the verdict on the message.
    private(set) var awaitingMessageReply = false

    private(set) var greeting: ServerReply?
    var greetingSeen: Bool { greeting != nil }
    /// The last complete reply.
    private(set) var lastReply: ServerReply?
    /// What the last EHLO offered.
    private(set) var capabilities = Capabilities()
    /// What EHLO offered before STARTTLS, when STARTTLS was used.
    private(set) var capabilitiesBeforeTLS: Capabilities?
    private var ehloRepliesInTLS: [Bool] = []
    private(set) var authenticated = false
    private(set) var acceptedRecipients: [String] = []
    private(set) var rejectedRecipients: [RejectedRecipient] = []
    /// The server's verdict on the message, when positive.
    private(set) var finalReply: ServerReply?
    /// The most recent negative reply (not to QUIT), with the stage of its command.
    private(set) var failingReply: (reply: ServerReply, stage: SMTPStage)?
    /// Message bytes handed over (before dot-stuffing).
    private(set) var messageBytes = 0
    /// Whether the transcript has said how many bytes the message had.
    private var messageNoted = false
    /// Set when the session must stop before any mail goes out: credentials are set, but the
    /// server's EHLO offered no AUTH where a login could happen.
    private(set) var authMissing = false
    /// Set when a reply passed the limit and was not read to its end.
    var replyTooLong = false

    init(security: SecurityMode, credentialsSet: Bool, start: ContinuousClock.Instant) {
        self.security = security
        self.credentialsSet = credentialsSet
        stageStarts = [(.connect, start)]
    }

    var extensions: [String] { capabilities.lines }
    var extensionsBeforeTLS: [String]? { capabilitiesBeforeTLS?.lines }

    // MARK: Stages

    /// Moves to `next`; false when the session was already there.
    @discardableResult
    mutating func enter(_ next: SMTPStage, at now: ContinuousClock.Instant) -> Bool {
        guard next != stage else { return false }
        stage = next
        stageStarts.append((next, now))
        return true
    }

    /// How long the current stage has lasted.
    func elapsedInStage(now: ContinuousClock.Instant) -> Duration { now - (stageStarts.last?.at ?? now) }

    /// Stage durations, each up to the start of the next.
    func stageTimes(until end: ContinuousClock.Instant) -> [StageTime] {
        stageStarts.enumerated().map { index, entry in
            let next = index + 1 < stageStarts.count ? stageStarts[index + 1].at : end
            return StageTime(stage: entry.stage, duration: next - entry.at)
        }
    }

    // MARK: What libcurl did

    /// The TCP connection is up: next comes the TLS handshake (implicit TLS) or the greeting.
    mutating func connected(at now: ContinuousClock.Instant) {
        enter(security == .tls ? .tls : .greeting, at: now)
    }

    mutating func tlsEstablished(at now: ContinuousClock.Instant) {
        if security == .tls && stage < .tls { enter(.tls, at: now) }
        inTLS = true
    }

    // MARK: Commands and replies

    /// A command went out. Lines inside a login exchange are credentials, not commands: the
    /// caller says so, and they change nothing here.
    mutating func sent(_ command: SMTPCommand, at now: ContinuousClock.Instant) {
        if let commandStage = command.stage { enter(commandStage, at: now) }
        pending = (command, stage)
    }

    /// A line from the server is arriving: before any command it is the greeting's.
    mutating func lineArrives(at now: ContinuousClock.Instant) {
        if stage == .connect || (stage == .tls && !greetingSeen && pending == nil) {
            enter(.greeting, at: now)
        }
    }

    /// The first line of the reply to the message: time to say how many bytes went (once).
    mutating func takeMessageNote() -> Bool {
        guard awaitingMessageReply && !messageNoted else { return false }
        messageNoted = true
        return true
    }

    /// A line that is not a reply line: remembered for the diagnosis.
    mutating func malformedLine() {
        if malformedLineStage == nil { malformedLineStage = stage }
    }

    mutating func uploaded(_ count: Int) { messageBytes += count }

    /// A reply is complete: what it answers decides what it means. Returns true when it shows
    /// that the login the user asked for cannot happen (an EHLO without AUTH where it should be).
    mutating func completed(_ reply: ServerReply, at now: ContinuousClock.Instant) -> Bool {
        lastReply = reply
        guard let answered = pending else {
            greeting = reply
            if !reply.isPositive { failingReply = (reply, .greeting) }
            return false
        }
        let command = answered.command
        if !reply.isPositive && command.verb != .quit {
            failingReply = (reply, awaitingMessageReply ? .data : answered.stage)
        }
        if awaitingMessageReply {
            awaitingMessageReply = false
            if reply.isPositive { finalReply = reply }
            pending = nil
            return false
        }
        var loginImpossible = false
        switch command.verb {
        case .ehlo:
            if reply.isPositive { loginImpossible = ehloCompleted(reply) }
        case .starttls:
            if reply.code == 220 { inTLS = true; startTLSAcceptedAt = now }
        case .auth:
            if reply.code == 235 { authenticated = true }
        case .rcpt:
            let address = command.recipient ?? ""
            if reply.isPositive { acceptedRecipients.append(address) } else {
                rejectedRecipients.append(RejectedRecipient(address: address, reply: reply))
            }
        case .data:
            if reply.code == 354 { awaitingMessageReply = true; return false }
        case .mail, .quit, .other:
            break
        }
        if command.verb != .auth || reply.code != 334 { pending = nil }
        return loginImpossible
    }

    private mutating func ehloCompleted(_ reply: ServerReply) -> Bool {
        if inTLS, let previousInTLS = ehloRepliesInTLS.last, !previousInTLS {
            capabilitiesBeforeTLS = capabilities
        }
        ehloRepliesInTLS.append(inTLS)
        capabilities = Capabilities(ehlo: reply)
        let loginPossibleNow = security == .none || inTLS
        guard credentialsSet && loginPossibleNow && capabilities.authMechanisms.isEmpty else { return false }
        authMissing = true
        return true
    }

    // MARK: What MailTransaction decides

    /// Recipients refused with 452 (too many for one message) that go in a further transaction:
    /// not refused after all.
    mutating func deferRecipients(_ addresses: [String]) {
        rejectedRecipients.removeAll { rejected in addresses.contains(rejected.address) && MailTransaction.tooManyRecipients(rejected.reply) }
        if let failing = failingReply, failing.stage == .rcpt, MailTransaction.tooManyRecipients(failing.reply) { failingReply = nil }
    }

    /// In a pipelined group the first refusal is the cause and the rest follow from it (a refused
    /// MAIL makes every RCPT and DATA fail too): the diagnosis must name the first.
    mutating func blame(_ reply: ServerReply, at stage: SMTPStage) {
        failingReply = (reply, stage)
    }

    /// Forgets what one message of a load run left behind, so that memory stays flat over
    /// 100,000 messages: its recipients, its refusal, the stages beyond the last few.
    mutating func forgetTransaction() {
        acceptedRecipients.removeAll(keepingCapacity: true)
        rejectedRecipients.removeAll(keepingCapacity: true)
        failingReply = nil
        finalReply = nil
        messageBytes = 0
        messageNoted = false
        if stageStarts.count > 64 { stageStarts.removeFirst(stageStarts.count - 16) }
    }
}
