/// The kinds of text libcurl's debug callback delivers (curl_infotype), as far as SMTP needs them.
enum DebugKind {
    /// libcurl's own narration.
    case text
    /// A reply line from the server.
    case headerIn
    /// A command mailtui sent.
    case headerOut
    /// Message bytes being uploaded.
    case dataOut
    /// Anything else (raw TLS records, downloaded data): ignored.
    case other
}

/// Follows one SMTP session through libcurl's debug callback: splits it into transcript lines,
/// redacts credentials, sanitises server text, tracks the stage, and keeps what the server said
/// (greeting, EHLO extensions, replies per command, recipients accepted and refused, TLS facts).
///
/// It is fed plain bytes, so that all of this is tested without a network.
final class TranscriptRecorder {
    private let clock = ContinuousClock()
    let start: ContinuousClock.Instant
    private let emit: (SessionEvent) -> Void
    private let security: SecurityMode
    private let credentialsSet: Bool

    private(set) var stage: SMTPStage = .connect
    /// The stage before QUIT: libcurl sends QUIT after most failures, which must not hide where it failed.
    var failingStage: SMTPStage { stage == .quit ? (stageStarts.dropLast().last(where: { $0.stage != .quit })?.stage ?? .quit) : stage }
    /// The stage in which a line arrived that is not an SMTP reply, if one did.
    private(set) var malformedLineStage: SMTPStage?
    private(set) var inTLS = false
    /// When the server accepted STARTTLS: the handshake starts then.
    private(set) var startTLSAcceptedAt: ContinuousClock.Instant?
    private var redactor = Redactor()
    private(set) var lines: [TranscriptLine] = []
    private(set) var stageStarts: [(stage: SMTPStage, at: ContinuousClock.Instant)] = []

    /// The command the next reply answers: its verb's stage and, for RCPT, the address.
    private var pendingCommand: (stage: SMTPStage, verb: String, argument: String)?
    private var replyLines: [String] = []
    private var awaitingMessageReply = false

    private(set) var greeting: ServerReply?
    /// The last complete reply.
    private(set) var lastReply: ServerReply?
    private(set) var extensions: [String] = []
    private(set) var extensionsBeforeTLS: [String]?
    private var ehloRepliesInTLS: [Bool] = []
    private(set) var authenticated = false
    private(set) var acceptedRecipients: [String] = []
    private(set) var rejectedRecipients: [RejectedRecipient] = []
    private(set) var finalReply: ServerReply?
    /// The most recent negative reply (not to QUIT), with the stage of its command.
    private(set) var failingReply: (reply: ServerReply, stage: SMTPStage)?
    private(set) var tls = TLSInfo()
    private var readingCertificate = false
    private(set) var messageBytes = 0
    private var messageNoted = false
    /// Set when the session must stop before any mail goes out: credentials are set, but the
    /// server's EHLO offered no AUTH where a login could happen.
    private(set) var authMissing = false
    private var tlsReported = false

    init(security: SecurityMode, credentialsSet: Bool, emit: @escaping (SessionEvent) -> Void) {
        self.start = clock.now
        self.security = security
        self.credentialsSet = credentialsSet
        self.emit = emit
        self.inTLS = false
        stageStarts.append((.connect, start))
    }

    var elapsed: Duration { clock.now - start }
    var greetingSeen: Bool { greeting != nil }

    /// How long the current stage has lasted.
    var elapsedInStage: Duration { clock.now - (stageStarts.last?.at ?? start) }

    // MARK: Input

    func handle(_ kind: DebugKind, _ bytes: UnsafeRawBufferPointer) {
        switch kind {
        case .text:
            for line in Self.split(bytes) { narration(line) }
        case .headerOut:
            for line in Self.split(bytes) { command(line) }
        case .headerIn:
            for line in Self.split(bytes) { reply(line) }
        case .dataOut:
            messageBytes += bytes.count
        case .other:
            break
        }
    }

    /// Recipients refused with 452 (too many for one message) that go in a further transaction:
    /// not refused after all.
    func deferRecipients(_ addresses: [String]) {
        rejectedRecipients.removeAll { rejected in addresses.contains(rejected.address) && MailTransaction.tooManyRecipients(rejected.reply) }
        if let failing = failingReply, failing.stage == .rcpt, MailTransaction.tooManyRecipients(failing.reply) { failingReply = nil }
    }

    /// In a pipelined group the first refusal is the cause and the rest follow from it (a refused
    /// MAIL makes every RCPT and DATA fail too): the diagnosis must name the first.
    func blame(_ reply: ServerReply, at stage: SMTPStage) {
        failingReply = (reply, stage)
    }

    /// A note of mailtui's own (not libcurl's), shown distinct from what the server said.
    func note(_ text: String) { append(.note, text) }

    func error(_ text: String) { append(.error, text) }

    // MARK: Client commands

    private func command(_ raw: [UInt8]) {
        let line = String(decoding: raw, as: UTF8.self)
        let wasInExchange = redactor.inExchange
        let shown = redactor.client(line)
        // Lines inside an AUTH exchange are credentials, never commands.
        if !wasInExchange {
            let words = line.split(separator: " ", maxSplits: 1)
            let verb = words.first.map { $0.uppercased() } ?? ""
            let commandStage = SMTPStage.of(command: line)
            if let commandStage { enter(commandStage) }
            pendingCommand = (commandStage ?? stage, verb, words.count > 1 ? String(words[1]) : "")
        }
        append(.client, TerminalSanitizer.sanitize(shown))
    }

    // MARK: Server replies

    private func reply(_ raw: [UInt8]) {
        if stage == .connect || (stage == .tls && !greetingSeen && pendingCommand == nil) {
            enter(.greeting)
        }
        if awaitingMessageReply && !messageNoted {
            messageNoted = true
            note("message sent: \(messageBytes) bytes")
        }
        let text = TerminalSanitizer.sanitize(bytes: raw)
        let parsed = ServerReply.parseLine(String(decoding: raw, as: UTF8.self))
        redactor.server(code: parsed.code, isFinalLine: parsed.isFinal)
        append(.server, text)
        // A line that is not a reply is shown and remembered for the diagnosis, but libcurl skips
        // it and keeps waiting, and so does the reply being assembled.
        guard let code = parsed.code else {
            if malformedLineStage == nil { malformedLineStage = stage }
            return
        }
        replyLines.append(TerminalSanitizer.sanitize(parsed.text))
        guard parsed.isFinal else { return }
        let complete = ServerReply(code: code, lines: replyLines)
        replyLines = []
        completed(complete)
    }

    private func completed(_ reply: ServerReply) {
        lastReply = reply
        guard let command = pendingCommand else {
            greeting = reply
            if !reply.isPositive { failingReply = (reply, .greeting) }
            return
        }
        if !reply.isPositive && command.verb != "QUIT" {
            failingReply = (reply, awaitingMessageReply ? .data : command.stage)
        }
        if awaitingMessageReply {
            awaitingMessageReply = false
            if reply.isPositive { finalReply = reply }
            pendingCommand = nil
            return
        }
        switch command.verb {
        case "EHLO", "HELO":
            if reply.isPositive { ehloCompleted(reply) }
        case "STARTTLS":
            if reply.code == 220 { inTLS = true; startTLSAcceptedAt = clock.now }
        case "AUTH":
            if reply.code == 235 { authenticated = true }
        case "RCPT":
            let address = Self.address(inRcptArgument: command.argument)
            if reply.isPositive { acceptedRecipients.append(address) } else {
                rejectedRecipients.append(RejectedRecipient(address: address, reply: reply))
            }
        case "DATA":
            if reply.code == 354 { awaitingMessageReply = true; return }
        default:
            break
        }
        if command.verb != "AUTH" || reply.code != 334 { pendingCommand = nil }
    }

    private func ehloCompleted(_ reply: ServerReply) {
        let keywords = Array(reply.lines.dropFirst())
        if inTLS, let previousInTLS = ehloRepliesInTLS.last, !previousInTLS {
            extensionsBeforeTLS = extensions
        }
        ehloRepliesInTLS.append(inTLS)
        extensions = keywords
        let loginPossibleNow = security == .none || inTLS
        if credentialsSet && loginPossibleNow && FailureEvidence.authMechanisms(in: keywords).isEmpty {
            authMissing = true
            error("the server offers no AUTH; mailtui stops here rather than send without logging in")
        }
    }

    /// `TO:<a@b> NOTIFY=...` gives `a@b`.
    static func address(inRcptArgument argument: String) -> String {
        guard let open = argument.firstIndex(of: "<"), let close = argument[open...].firstIndex(of: ">") else {
            return argument.replacing("TO:", with: "").trimmingSpaces
        }
        return String(argument[argument.index(after: open)..<close])
    }

    // MARK: libcurl's narration

    private func narration(_ raw: [UInt8]) {
        // libcurl's narration quotes the server's certificate: sanitise before reading facts from it.
        let line = TerminalSanitizer.sanitize(bytes: raw)
        let trimmed = line.trimmingSpaces
        if trimmed.hasPrefix("Connected to ") {
            // The TCP connection is up: next comes the TLS handshake (implicit TLS) or the greeting.
            note(TerminalSanitizer.sanitize(trimmed))
            enter(security == .tls ? .tls : .greeting)
            return
        }
        if trimmed.hasPrefix("SSL connection using ") {
            let facts = trimmed.dropFirst("SSL connection using ".count).split(separator: "/").map { $0.trimmingSpaces }
            tls.version = facts.first
            tls.cipher = facts.count > 1 ? facts[1] : nil
            if security == .tls && stage < .tls { enter(.tls) }
            inTLS = true
            reportTLS()
        } else if trimmed == "Server certificate:" {
            readingCertificate = true
        } else if readingCertificate, let colon = trimmed.firstIndex(of: ":") {
            let key = trimmed[..<colon]
            let value = trimmed[trimmed.index(after: colon)...].trimmingSpaces
            switch key {
            case "subject": tls.subject = value
            case "issuer": tls.issuer = value; readingCertificate = false
            case "start date": tls.notBefore = value
            case "expire date": tls.notAfter = value
            case "subjectAltName": tls.verification = value
            default: break
            }
            reportTLS()
        }
        if trimmed.hasPrefix("SSL certificate verify ok") {
            tls.verified = true
            reportTLS()
        } else if trimmed.hasPrefix("SSL certificate problem") || trimmed.hasPrefix("SSL certificate verify result") {
            tls.verified = false
            tls.verification = trimmed
            reportTLS()
        }
        if Self.isNoise(trimmed) { return }
        append(.note, TerminalSanitizer.sanitize(trimmed))
    }

    /// libcurl lines that say nothing to a person testing mail.
    static func isNoise(_ line: String) -> Bool {
        let prefixes = ["TLSv1", "SSLv", "TLS header", "CAfile:", "CApath:", "ALPN", "Connection #", "Closing connection",
                        "Mark bundle", "Found bundle", "Re-using", "Hostname ", "Expire in", "Curl_", "old SSL session",
                        "Added connection", "Send failure", "Recv failure", "upload completely sent", "We are completely uploaded",
                        "Server certificate:", "subject:", "start date:", "expire date:", "issuer:", "subjectAltName:",
                        "SSL certificate verify", "TCP_NODELAY", "successfully set certificate verify locations", "Uses proxy env",
                        "processing:", "STATE:", "SMTP ", "Using Stream ID", "Closing", "reached "]
        return line.isEmpty || prefixes.contains(where: { line.hasPrefix($0) })
    }

    private func reportTLS() {
        tlsReported = true
        emit(.tls(tls))
    }

    /// Fills in certificate facts read after the handshake (libcurl's CERTINFO).
    func addCertificate(subject: String?, issuer: String?, notBefore: String?, notAfter: String?, names: [String]) {
        if let subject { tls.subject = subject }
        if let issuer { tls.issuer = issuer }
        if let notBefore { tls.notBefore = notBefore }
        if let notAfter { tls.notAfter = notAfter }
        if !names.isEmpty { tls.names = names }
        reportTLS()
    }

    var tlsInfo: TLSInfo? { tlsReported || tls.version != nil ? tls : nil }

    /// What verification would have said (a probe with verification turned off).
    func setVerificationWouldSay(_ words: String) {
        tls.verificationWouldSay = words
        reportTLS()
    }

    /// OpenSSL's verify result, read from libcurl once the handshake is over (or failed).
    func setVerifyResult(_ code: Int) {
        guard tls.version != nil || code != 0 else { return }
        tls.verifyResult = code
        reportTLS()
    }

    // MARK: Plumbing

    func enter(_ next: SMTPStage) {
        guard next != stage else { return }
        stage = next
        stageStarts.append((next, clock.now))
        emit(.stage(next))
    }

    private func append(_ speaker: Speaker, _ text: String) {
        let line = TranscriptLine(elapsed: elapsed, speaker: speaker, inTLS: inTLS, stage: stage, text: text)
        if holding {
            held.append(line)
            return
        }
        if lines.count < keptLineLimit { lines.append(line) }
        emit(.line(line))
    }

    // MARK: Load runs

    /// While true, lines are held back (neither kept nor shown) until `releaseHeld` or `dropHeld`:
    /// a load run keeps a message's lines only when it is refused.
    var holding = false
    private var held: [TranscriptLine] = []
    /// Past this many kept lines, lines are shown (emitted) but not kept for the report: a load
    /// run must not keep every refusal of thousands.
    var keptLineLimit = Int.max
    /// Set when a reply passed libcurl's limit and was not read to its end.
    var replyTooLong = false

    func releaseHeld() {
        for line in held {
            if lines.count < keptLineLimit { lines.append(line) }
            emit(.line(line))
        }
        held = []
    }

    func dropHeld() { held.removeAll(keepingCapacity: true) }

    /// Forgets what one message of a load run left behind, so that memory stays flat over
    /// 100,000 messages: its recipients, its refusal, the stages beyond the last few.
    func forgetTransaction() {
        acceptedRecipients.removeAll(keepingCapacity: true)
        rejectedRecipients.removeAll(keepingCapacity: true)
        failingReply = nil
        finalReply = nil
        messageBytes = 0
        messageNoted = false
        if stageStarts.count > 64 { stageStarts.removeFirst(stageStarts.count - 16) }
    }

    /// Stage durations, each up to the start of the next.
    func stageTimes(until end: ContinuousClock.Instant) -> [StageTime] {
        stageStarts.enumerated().map { index, entry in
            let next = index + 1 < stageStarts.count ? stageStarts[index + 1].at : end
            return StageTime(stage: entry.stage, duration: next - entry.at)
        }
    }

    var now: ContinuousClock.Instant { clock.now }

    /// Splits at CR/LF, dropping empty pieces.
    static func split(_ bytes: UnsafeRawBufferPointer) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        var current: [UInt8] = []
        for byte in bytes {
            if byte == 13 || byte == 10 {
                if !current.isEmpty { lines.append(current); current = [] }
            } else {
                current.append(byte)
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }
}
