/// What mailtui says once libcurl has connected, secured and logged in (CONNECT_ONLY): the mail
/// transaction (MAIL FROM, RCPT TO, DATA with the message dot-stuffed), or NOOP for a probe, then
/// QUIT; or less, for `--quit-after`. The stage is known at each step, not inferred.
///
/// - PIPELINING, when offered: MAIL, every RCPT and DATA go in one write and their replies are
///   read in order; the transcript still pairs each command with its reply.
/// - Recipients refused with 452 (too many for one message) go in a further transaction.
/// - SMTPUTF8 is used when an address needs it, and the send stops, naming the address, when the
///   server does not offer it.
struct MailTransaction {
    let connection: Connection
    let context: TransferContext

    private var request: SessionRequest { context.request }
    private var record: SessionRecord { context.record }

    /// 0, or the libcurl-style code that ended the session.
    func run() -> Int {
        do throws(Connection.Failure) {
            return try speak()
        } catch {
            return error.code
        }
    }

    private func speak() throws(Connection.Failure) -> Int {
        // A login was asked for and did not happen (no AUTH offered): nothing of the mail leaves.
        if request.logsIn && !record.facts.authenticated {
            try quit()
            return 0
        }
        if let driver = request.driver { return converse(with: driver) }
        guard case .send(let from, let recipients, let stream) = request.purpose else {
            if request.quitAfter == nil {
                try connection.say(.noop)
                try connection.reply()
            }
            try quit()
            return 0
        }
        if let stage = request.quitAfter, stage < .mail {
            // After the connect nothing is read; after the greeting, only the greeting.
            if stage == .connect {
                try connection.say(.quit)
                connection.drainQuietly()
                return 0
            }
            if stage == .greeting {
                let greeting = try connection.reply()
                guard greeting.isPositive else { try quit(); return FailureClassifier.sendError }
            }
            try quit()
            return 0
        }
        let utf8 = ([from] + recipients).first { address in address.utf8.contains { $0 >= 0x80 } }
        if utf8 != nil || request.needsSMTPUTF8, !offers("SMTPUTF8") {
            return try refuseBeforeMail("The address \(utf8 ?? "in the Reply-To") is not ASCII: it needs SMTPUTF8, which this server does not offer (write the domain in punycode, or use an ASCII address)")
        }
        if request.notifications != nil && !offers("DSN") {
            return try refuseBeforeMail("Delivery notifications were asked for (--dsn-notify, --dsn-ret or --envid), but this server does not offer DSN: leave them out")
        }
        var parameters = offers("SIZE") ? " SIZE=\(stream.totalSize)" : ""
        if utf8 != nil || request.needsSMTPUTF8 { parameters += " SMTPUTF8" }
        parameters += request.notifications?.mailParameters ?? ""

        let mail = SMTPCommand.mail("MAIL FROM:<\(from)>" + parameters)
        if let load = request.load {
            try run(load, mail: mail, to: recipients)
            try quit()
            return 0
        }
        var remaining = recipients
        while !remaining.isEmpty {
            let outcome = try transaction(mail: mail, to: remaining, rcpts: rcptCommands(remaining), stream: stream)
            switch outcome {
            case .stop(let code):
                return code
            case .delivered(let deferred):
                // 452 4.5.3: the server takes so many recipients per message; the rest go next.
                guard !deferred.isEmpty, deferred.count < remaining.count else { break }
                record.note("\(deferred.count) recipient\(deferred.count == 1 ? "" : "s") deferred with 452: sending to them in a further transaction")
                remaining = deferred
                continue
            }
            break
        }
        try quit()
        return 0
    }

    /// Stops before MAIL FROM for a reason of mailtui's own (the server lacks what the message
    /// needs), said in the transcript and the failure.
    private func refuseBeforeMail(_ problem: String) throws(Connection.Failure) -> Int {
        context.problem = problem
        record.error(problem)
        try quit()
        return FailureClassifier.sendError
    }

    /// A load run: message after message on this connection, each timed and reported; a refused
    /// one is followed by RSET and the next. Lines are kept as the plan asks.
    ///
    /// With PIPELINING, the next message's MAIL, RCPT and DATA go in the same write as this one's
    /// end of data (RFC 2920 3.1 lets a group start with the message content): one write and one
    /// read a message instead of three and two. Not when paced, where the next must wait its turn.
    private func run(_ load: LoadPlan, mail: SMTPCommand, to recipients: [String]) throws(Connection.Failure) {
        let begin = record.now
        // The commands are made once for the whole run, not once a message.
        let rcpts = rcptCommands(recipients)
        let group = offers("PIPELINING") && load.interval == nil ? Self.wire([mail] + rcpts + [SMTPCommand.data]) : nil
        var groupSent = false
        // The report keeps the first lines of the run (each at most a few KB, sanitised); the
        // rest is only shown, so that memory stays flat over 100,000 refusals.
        record.transcript.keptLineLimit = record.transcript.lines.count + Self.loadKeptLines
        for index in 0..<load.count {
            if let interval = load.interval {
                // Paced (--rate): wait for this message's turn, cancellably.
                try connection.pause(until: begin + interval * index)
            }
            let number = load.firstNumber + index
            let keepAll = load.transcript == .all || (load.transcript == .first && index == 0)
            record.transcript.held.holding = !keepAll
            let start = record.now
            let outcome: Outcome
            let sentBefore = groupSent
            do throws(Connection.Failure) {
                outcome = try transaction(mail: mail, to: recipients, rcpts: rcpts, stream: load.message(number), afterRefusal: .reset,
                                          groupSent: sentBefore, nextGroup: index + 1 < load.count ? group : nil, nextGroupSent: &groupSent)
            } catch {
                // The connection is gone: this message failed, and the session ends.
                if record.transcript.held.holding && load.transcript != .none { record.transcript.releaseHeld() }
                record.transcript.held.holding = false
                context.onEvent(.loadOutcome(LoadOutcome(number: number, latency: record.now - start, code: nil, failedStage: record.facts.failingStage,
                                                         example: error.words)))
                throw error
            }
            let latency = record.now - start
            switch outcome {
            case .delivered:
                context.onEvent(.loadOutcome(LoadOutcome(number: number, latency: latency, code: record.facts.finalReply?.code ?? 250, failedStage: nil, example: nil)))
                record.transcript.dropHeld()
            case .stop:
                let failing = record.facts.failingReply
                context.onEvent(.loadOutcome(LoadOutcome(number: number, latency: latency, code: failing?.reply.code,
                                                         failedStage: failing?.stage ?? record.facts.failingStage, example: failing?.reply.description)))
                if load.transcript == .none { record.transcript.dropHeld() } else { record.transcript.releaseHeld() }
            }
            record.transcript.held.holding = false
            record.facts.forgetTransaction()
        }
    }

    /// How many lines a load run's report keeps.
    static let loadKeptLines = 2_000

    /// A RCPT TO for each recipient, with the DSN parameters asked for.
    private func rcptCommands(_ recipients: [String]) -> [SMTPCommand] {
        let notify = request.notifications?.rcptParameters ?? ""
        return recipients.map { SMTPCommand.rcpt($0, parameters: notify) }
    }

    /// Commands as one pipelined write.
    private static func wire(_ commands: [SMTPCommand]) -> [UInt8] {
        Array(commands.map { $0.line + "\r\n" }.joined().utf8)
    }

    /// What follows a refused transaction: QUIT (one message), or RSET and go on (a load run).
    private enum AfterRefusal { case quit, reset }

    private enum Outcome {
        /// The message went; these recipients were deferred (452) for another transaction.
        case delivered(deferred: [String])
        /// The session ends with this code (0 for a `--quit-after` that went as far as asked).
        case stop(Int)
    }

    /// One transaction. In a pipelined load run, `groupSent` says that this one's MAIL, RCPT and
    /// DATA already went with the previous message's end; `nextGroup` goes with this one's end if
    /// it gets that far, and `nextGroupSent` then says so.
    /// `rcpts` are the RCPT commands for `recipients`, in the same order.
    private func transaction(mail: SMTPCommand, to recipients: [String], rcpts: [SMTPCommand], stream: MessageStream,
                             afterRefusal: AfterRefusal = .quit, groupSent: Bool = false, nextGroup: [UInt8]? = nil) throws(Connection.Failure) -> Outcome {
        var unused = false
        return try transaction(mail: mail, to: recipients, rcpts: rcpts, stream: stream, afterRefusal: afterRefusal, groupSent: groupSent,
                               nextGroup: nextGroup, nextGroupSent: &unused)
    }

    private func transaction(mail: SMTPCommand, to recipients: [String], rcpts allRcpts: [SMTPCommand], stream: MessageStream, afterRefusal: AfterRefusal,
                             groupSent: Bool, nextGroup: [UInt8]?, nextGroupSent: inout Bool) throws(Connection.Failure) -> Outcome {
        nextGroupSent = false
        func endRefused() throws(Connection.Failure) {
            switch afterRefusal {
            case .quit: try quit()
            case .reset:
                try connection.say(.rset)
                try connection.reply()
            }
        }
        let quitAfter = request.quitAfter
        let rcpts = quitAfter == .mail ? [] : allRcpts
        let sendsData = quitAfter == nil
        var replies: [ServerReply] = []
        replies.reserveCapacity(rcpts.count + 2)
        if groupSent || offers("PIPELINING") {
            // A pipelined load run sent this group with the previous message's end.
            if !groupSent { try connection.send(Self.wire([mail] + rcpts + (sendsData ? [SMTPCommand.data] : []))) }
            // Each command is recorded just before its reply, so the transcript pairs them.
            connection.sent(mail)
            replies.append(try connection.reply())
            for rcpt in rcpts {
                connection.sent(rcpt)
                replies.append(try connection.reply())
            }
            if sendsData {
                connection.sent(.data)
                replies.append(try connection.reply())
            }
        } else {
            for (index, command) in ([mail] + rcpts).enumerated() {
                try connection.say(command)
                let reply = try connection.reply()
                replies.append(reply)
                // As libcurl does: a refused MAIL, or a refused recipient unless some may be, ends it.
                if !reply.isPositive && (index == 0 || !(request.allowPartial || Self.tooManyRecipients(reply))) { break }
                if Self.tooManyRecipients(reply) { break }
            }
        }
        let mailReply = replies[0]
        let rcptReplies = Array(replies.dropFirst().prefix(rcpts.count))
        let dataReply: ServerReply? = replies.count > 1 + rcpts.count ? replies.last : nil
        var deferred: [String] = []
        for (index, reply) in rcptReplies.enumerated() where Self.tooManyRecipients(reply) {
            deferred.append(recipients[index])
        }
        // Recipients never asked for (a 452 stopped the list) are deferred too.
        if rcptReplies.count < rcpts.count, let last = rcptReplies.last, Self.tooManyRecipients(last) { deferred += recipients[rcptReplies.count...] }
        let accepted = rcptReplies.filter(\.isPositive).count
        if !deferred.isEmpty && accepted > 0 { record.facts.deferRecipients(deferred) }
        // A 452 is a deferral while some recipient was accepted, else a refusal like any other.
        let refused = rcptReplies.filter { !$0.isPositive && (!Self.tooManyRecipients($0) || accepted == 0) }.count

        if let quitAfter, quitAfter <= .rcpt {
            if !mailReply.isPositive { record.facts.blame(mailReply, at: .mail) }
            try quit()
            return .stop(mailReply.isPositive && (quitAfter == .mail || refused == 0) ? 0 : FailureClassifier.sendError)
        }
        let mustStop = !mailReply.isPositive || accepted == 0 || (refused > 0 && !request.allowPartial)
        if !mailReply.isPositive {
            record.facts.blame(mailReply, at: .mail)
        } else if let first = rcptReplies.first(where: { !$0.isPositive }), mustStop {
            record.facts.blame(first, at: .rcpt)
        }
        if mustStop {
            if dataReply?.code == 354 {
                // The message was asked for in the pipelined group, but must not go: closing the
                // connection before its end keeps it from being delivered.
                record.note("closing the connection: DATA was accepted, but the message must not be sent")
                if afterRefusal == .reset { throw .closed }
                return .stop(FailureClassifier.sendError)
            }
            try endRefused()
            return .stop(FailureClassifier.sendError)
        }
        var started = dataReply
        if started == nil {
            try connection.say(.data)
            started = try connection.reply()
        }
        guard started?.code == 354 else {
            try endRefused()
            return .stop(FailureClassifier.sendError)
        }
        if let code = try sendMessage(stream, then: nextGroup ?? []) {
            if afterRefusal == .reset { throw .curl(code) }
            return .stop(code)
        }
        nextGroupSent = nextGroup != nil
        let final = try connection.reply()
        guard final.isPositive else {
            // The transaction is over either way: the next may start at once.
            if afterRefusal == .quit { try quit() }
            return .stop(FailureClassifier.sendError)
        }
        return .delivered(deferred: accepted > 0 ? deferred : [])
    }

    /// The message, dot-stuffed, then the end-of-data line and `trailer` (the next pipelined group)
    /// in the same write as the last piece. A file that cannot be read stops the session without
    /// the end line, so that nothing partial is delivered.
    private func sendMessage(_ stream: MessageStream, then trailer: [UInt8]) throws(Connection.Failure) -> Int? {
        stream.rewind()
        var stuffer = DotStuffer()
        if connection.messageBuffer.isEmpty { connection.messageBuffer = [UInt8](repeating: 0, count: 64 * 1024) }
        var sent = 0
        var lastProgress = record.now
        // Each piece waits for the next read, so that the last goes out with the end.
        var waiting: [UInt8] = []
        while true {
            let n = connection.messageBuffer.withUnsafeMutableBytes { stream.read(into: $0) }
            if n < 0 { return FailureClassifier.readError }
            if n == 0 { break }
            if !waiting.isEmpty { try connection.send(waiting) }
            connection.messageBuffer.withUnsafeBytes { chunk in waiting = stuffer.stuff(chunk[0..<n]) }
            record.facts.uploaded(n)
            sent += n
            if record.now - lastProgress > .milliseconds(100) || sent == stream.totalSize {
                lastProgress = record.now
                context.onEvent(.progress(sent: sent, total: stream.totalSize))
            }
        }
        try connection.send(waiting + stuffer.end() + trailer)
        return nil
    }

    /// 452 4.5.3 (RFC 5321 4.5.3.1.10): this message takes no more recipients; others may follow
    /// in another transaction. Not a 452 4.2.2 (mailbox full), which is a refusal for now.
    static func tooManyRecipients(_ reply: ServerReply) -> Bool {
        reply.code == 452 && (reply.enhancedStatus == "4.5.3" || reply.lines.joined(separator: " ").lowercased().contains("too many recipients"))
    }

    private func quit() throws(Connection.Failure) {
        try connection.say(.quit)
        // The server may close without answering: the session is over either way.
        _ = try? connection.reply()
    }

    /// Whether the last EHLO offered an extension (`SIZE 1000` offers SIZE).
    private func offers(_ keyword: String) -> Bool { record.facts.capabilities.offers(keyword) }
}

/// RFC 5321 4.5.2: a line that starts with "." gets another, and the message ends with
/// CRLF "." CRLF. Works across chunks.
struct DotStuffer {
    private var atLineStart = true

    mutating func stuff(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 16)
        for byte in bytes {
            if atLineStart && byte == UInt8(ascii: ".") { out.append(byte) }
            out.append(byte)
            atLineStart = byte == 10
        }
        return out
    }

    /// The end-of-data line, after a line break if the message did not end with one.
    func end() -> [UInt8] {
        (atLineStart ? [] : [13, 10]) + Array(".\r\n".utf8)
    }
}
