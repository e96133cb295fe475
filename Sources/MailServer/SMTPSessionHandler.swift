import MailCore
import NIOCore
import NIOSSL
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// One SMTP session, server side (RFC 5321, with STARTTLS, AUTH, SIZE, 8BITMIME, SMTPUTF8, DSN,
/// PIPELINING and ENHANCEDSTATUSCODES). Input is split into lines here, with limits: a command
/// line over 512 octets (12,288 for AUTH) or a message line over 1000 gets 500 5.5.2 and never
/// grows memory, and a message is streamed to the store. Faults from the `FaultBook` replace
/// answers at their stage.
///
/// Memory stays bounded whatever the client does: while replies are not read (or a fault or the
/// store holds the session), no more input is read or answered, and a line, the replies and the
/// whole session each have a time limit.
final class SMTPSessionHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private enum Mode {
        case beforeGreeting, command, data, finished
        case auth(SASLExchange)
        /// Waiting out a delay fault: input stays buffered until it ends.
        case paused
        /// A hang fault: nothing is ever answered again.
        case hung
        /// Reading a BDAT chunk (RFC 3030): this many octets more, and whether it is the last.
        case chunk(remaining: Int, last: Bool)
    }

    private let server: ServerContext
    private let implicitTLS: Bool
    private var mode = Mode.beforeGreeting
    private var input = ByteBuffer()
    private var framer = SMTPFramer()
    private var needsFlush = false
    /// The client's address, as counted against the per-address limit; nil when not admitted.
    private var counted: String?
    /// Replies written and not yet taken by the socket, in octets.
    private var unsent = 0
    /// Whether the channel asked for a read that waits until the session can take input.
    private var readHeld = false
    /// Whether answering stopped because the replies were not read.
    private var waitingForReader = false
    /// Runs out when a line started (or replies waiting to be read) take longer than the
    /// per-command limit.
    private var lineClock: Scheduled<Void>?
    private var sessionClock: Scheduled<Void>?
    /// Set by an AUTH command: lines up to the next known command may be the base64 credentials
    /// a client pipelined behind it (refused with 503 or 538, they arrive as commands), and are
    /// never noted.
    private var hidingCredentials = false
    /// Whether the greeting went out: a client must not speak before it.
    private var greeted = false
    private let started = NIODeadline.now()

    private var client = "?"
    private var helo: String?
    private var inTLS: Bool
    private var tlsVersion: String?
    private var cipher: String?
    private var authUser: String?
    private var authMechanism: String?
    private var messages = 0
    /// What a stored message keeps of the conversation.
    private var transcript = SessionTranscript()
    private var faultsHit: [String] = []
    private var ending = "closed by the client"

    private var from: (address: String, parameters: [String])?
    private var recipients: [StoredMessage.Recipient] = []
    private var receiving: (any IncomingMessage)?
    private var messageProblem: (code: Int, text: String)?
    /// The Subject of the message coming in.
    private var subjectReader = SubjectReader()

    init(server: ServerContext, implicitTLS: Bool) {
        self.server = server
        self.implicitTLS = implicitTLS
        self.inTLS = implicitTLS
    }

    private var configuration: ServerConfiguration { server.configuration }

    // MARK: Connection

    func channelActive(context: ChannelHandlerContext) {
        client = context.remoteAddress.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" } ?? "?"
        let address = context.remoteAddress?.ipAddress ?? "?"
        if let refusal = server.connections.admit(address) {
            ending = refusal.ending
            reply(context, 421, [refusal.reply])
            finish(context)
            return
        }
        counted = address
        sessionClock = context.eventLoop.assumeIsolated().scheduleTask(in: Self.amount(configuration.sessionSeconds)) { [self] in
            timedOut(context, ending: "session time limit",
                     reply: "4.4.2 The session lasted \(configuration.sessionSeconds.plainText) s, the longest this server allows; closing the connection")
        }
        answer(.connect, context, lines: nil, then: .greet)
        flushIfNeeded(context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let counted { server.connections.release(counted) }
        counted = nil
        lineClock?.cancel()
        sessionClock?.cancel()
        lineClock = nil
        sessionClock = nil
        if let receiving { server.store.drop(receiving) }
        receiving = nil
        let seconds = Double((NIODeadline.now() - started).nanoseconds) / 1e9
        server.emit(.session(SessionSummary(client: client, helo: helo, tls: tlsVersion ?? (inTLS ? "TLS" : nil), authUser: authUser,
                                            messages: messages, ending: ending, seconds: seconds)))
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let chosen = event as? CipherChosen {
            cipher = chosen.name
            return
        }
        if event is IdleStateHandler.IdleStateEvent {
            ending = "idle timeout"
            reply(context, 421, ["4.4.2 Idle for too long, closing the connection"])
            finish(context)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        // After our own close (QUIT, a limit, a fault), a client that drops the connection without
        // TLS's close_notify is no error: the session ended as it was already recorded.
        if case .finished = mode {} else { ending = "error: \(error)" }
        context.close(promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        switch mode {
        case .finished, .hung:
            return
        case _ where !greeted:
            // A client that talks before the greeting is not speaking SMTP (or is a spammer's).
            ending = "spoke before the greeting"
            reply(context, 554, ["5.5.1 Commands were sent before the greeting"])
            finish(context)
            return
        default:
            input.writeBuffer(&bytes)
            server.highWater.withLock { $0.input = max($0.input, input.readableBytes) }
            process(context)
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            // Not from inside the flush that drained the output: from the event loop, next.
            context.eventLoop.assumeIsolated().execute { [self] in resume(context) }
        }
        context.fireChannelWritabilityChanged()
    }

    /// Reads wait while the session cannot take input: replies pile up unread, or a fault or the
    /// store holds it. `resume` asks again.
    func read(context: ChannelHandlerContext) {
        if holdsInput(context) {
            readHeld = true
        } else {
            context.read()
        }
    }

    private func holdsInput(_ context: ChannelHandlerContext) -> Bool {
        // Before the greeting, input is read to catch a client that does not wait for it.
        if case .paused = mode, greeted { return true }
        return !canAnswer(context)
    }

    /// Whether replies may be written now: the client has read enough of the earlier ones.
    private func canAnswer(_ context: ChannelHandlerContext) -> Bool {
        context.channel.isWritable && unsent < ServerConfiguration.outputPause
    }

    /// Goes on with waiting input and reading, once replies drained or a pause ended.
    private func resume(_ context: ChannelHandlerContext) {
        switch mode {
        case .finished, .hung, .paused, .beforeGreeting: return
        default: break
        }
        process(context)
        flushIfNeeded(context)
        if readHeld && !holdsInput(context) {
            readHeld = false
            context.read()
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        flushIfNeeded(context)
        context.fireChannelReadComplete()
    }

    private func flushIfNeeded(_ context: ChannelHandlerContext) {
        if needsFlush {
            needsFlush = false
            context.flush()
        }
    }

    private func finish(_ context: ChannelHandlerContext) {
        mode = .finished
        needsFlush = false
        lineClock?.cancel()
        sessionClock?.cancel()
        lineClock = nil
        sessionClock = nil
        context.writeAndFlush(wrapOutboundOut(ByteBuffer()), promise: nil)
        context.close(promise: nil)
    }

    // MARK: Time limits

    private static func amount(_ seconds: Double) -> TimeAmount {
        .milliseconds(Int64((seconds * 1000).saturatingInt))
    }

    /// 421 4.4.2 and the end, for a time limit.
    private func timedOut(_ context: ChannelHandlerContext, ending: String, reply text: String) {
        switch mode {
        case .finished: return
        default: break
        }
        self.ending = ending
        reply(context, 421, [text])
        finish(context)
    }

    /// Starts the per-command clock when the session waits for the rest of a line or for its
    /// replies to be read, and stops it when it waits for nothing (then the idle time applies).
    private func checkLineClock(_ context: ChannelHandlerContext) {
        let waiting: Bool
        switch mode {
        case .command, .data, .auth: waiting = input.readableBytes > 0 || framer.discarding || unsent > 0 && !canAnswer(context)
        default: waiting = false
        }
        guard waiting else {
            lineClock?.cancel()
            lineClock = nil
            return
        }
        guard lineClock == nil else { return }
        let seconds = configuration.commandSeconds.plainText
        lineClock = context.eventLoop.assumeIsolated().scheduleTask(in: Self.amount(configuration.commandSeconds)) { [self] in
            lineClock = nil
            if !canAnswer(context) {
                timedOut(context, ending: "the client did not read the replies",
                         reply: "4.4.2 The replies were not read within \(seconds) s (the per-command time limit); closing the connection")
            } else if case .data = mode {
                timedOut(context, ending: "line time limit",
                         reply: "4.4.2 A line of the message took over \(seconds) s (the per-command time limit); closing the connection")
            } else {
                timedOut(context, ending: "command time limit",
                         reply: "4.4.2 A command line took over \(seconds) s (the per-command time limit); closing the connection")
            }
        }
    }

    // MARK: Lines

    /// Handles every complete line in the input, in order (PIPELINING: replies come in order),
    /// as far as the client reads the replies; then checks the clocks and the input kept.
    private func process(_ context: ChannelHandlerContext) {
        processLines(context)
        switch mode {
        case .finished, .hung: return
        default: break
        }
        if unsent > ServerConfiguration.outputLimit {
            ending = "the client did not read the replies"
            reply(context, 421, ["4.7.0 Over \(ServerConfiguration.outputLimit) octets of replies were not read; closing the connection"])
            finish(context)
            return
        }
        if input.readableBytes > ServerConfiguration.inputLimit {
            ending = "too much input while the session could not take it"
            reply(context, 421, ["4.7.0 Over \(ServerConfiguration.inputLimit) octets sent without waiting for the replies; closing the connection"])
            finish(context)
            return
        }
        checkLineClock(context)
    }

    private func processLines(_ context: ChannelHandlerContext) {
        while true {
            if case .chunk(let remaining, let last) = mode {
                guard chunkBytes(remaining, last: last, context) else { return }
                continue
            }
            guard canAnswer(context) else {
                // The client is not reading: send what can go, and wait until it drains.
                waitingForReader = true
                flushIfNeeded(context)
                return
            }
            let frameMode: SMTPFrameMode
            switch mode {
            case .command: frameMode = .command
            case .data: frameMode = .data
            case .auth: frameMode = .auth
            default: return
            }
            guard let frame = framer.nextLine(frameMode, from: &input) else { return }
            // A whole line came: its clock starts again at the next one.
            lineClock?.cancel()
            lineClock = nil
            guard case .line(let line) = frame else {
                lineTooLong(context)
                continue
            }
            switch mode {
            case .data: dataLine(line, context)
            case .auth(let exchange): authLine(line, exchange, context)
            case .command: command(line, context)
            default: return
            }
        }
    }

    private func lineTooLong(_ context: ChannelHandlerContext) {
        switch mode {
        case .data:
            messageProblem = messageProblem ?? (500, "5.5.2 A line of the message is longer than 1000 octets; it was not stored")
        case .auth:
            mode = .command
            reply(context, 500, ["5.5.2 Line too long"])
        default:
            note("C: (a line over \(ServerConfiguration.commandLineLimit) octets)")
            reply(context, 500, ["5.5.2 Line too long"])
        }
    }

    // MARK: Commands

    private func command(_ raw: [UInt8], _ context: ChannelHandlerContext) {
        let command = SMTPCommand(String(decoding: raw, as: UTF8.self))
        let (verb, argument) = (command.verb, command.argument)
        if command.isKnown { hidingCredentials = verb == "AUTH" }
        if hidingCredentials && verb != "AUTH" {
            // A client that pipelined its login behind a refused AUTH: its base64 lines arrive
            // as commands, and are credentials all the same.
            note("C: [credentials hidden]")
        } else {
            note("C: " + command.noted)
        }
        if raw.contains(0) { reply(context, 500, ["5.5.2 NUL bytes are not allowed in commands"]); return }
        if configuration.requireTLS && !inTLS && !["EHLO", "HELO", "STARTTLS", "QUIT", "NOOP"].contains(verb) {
            reply(context, 530, ["5.7.0 Must issue a STARTTLS command first"])
            return
        }
        switch verb {
        case "EHLO", "HELO": hello(verb, argument, context)
        case "STARTTLS": startTLS(argument, context)
        case "AUTH": auth(argument, context)
        case "MAIL": mail(argument, context)
        case "RCPT": rcpt(argument, context)
        case "DATA": data(argument, context)
        case "BDAT": bdat(argument, context)
        case "RSET":
            resetTransaction()
            reply(context, 250, ["2.0.0 Ok"])
        case "NOOP": reply(context, 250, ["2.0.0 Ok"])
        case "VRFY": reply(context, 252, ["2.1.5 Cannot verify the user, but will take the message"])
        case "HELP": reply(context, 214, ["2.0.0 mailtui test server: EHLO STARTTLS AUTH MAIL RCPT DATA RSET NOOP VRFY QUIT"])
        case "QUIT":
            answer(.quit, context, lines: (221, ["2.0.0 Bye"]), then: .quit)
        case "": reply(context, 500, ["5.5.2 Empty command"])
        default: reply(context, 500, ["5.5.2 Command not recognized"])
        }
    }

    private var authOffered: Bool { inTLS || configuration.authBeforeTLS }

    private func hello(_ verb: String, _ argument: String, _ context: ChannelHandlerContext) {
        let name = argument.trimmingSpaces
        guard !name.isEmpty, !name.contains(" ") else { reply(context, 501, ["5.5.4 Syntax: \(verb) hostname"]); return }
        var lines = [configuration.hostname + " greets " + String(name.prefix(64))]
        if verb == "EHLO" {
            lines += ["SIZE \(configuration.maxMessageSize)", "8BITMIME", "SMTPUTF8", "PIPELINING", "ENHANCEDSTATUSCODES", "DSN", "CHUNKING"]
            if !inTLS && server.sslContext != nil { lines.append("STARTTLS") }
            if authOffered { lines.append("AUTH " + SASLExchange.offered) }
        }
        answer(.ehlo, context, lines: (250, lines), then: .hello(name))
    }

    private func startTLS(_ argument: String, _ context: ChannelHandlerContext) {
        guard let sslContext = server.sslContext else { reply(context, 454, ["4.7.0 TLS not available"]); return }
        guard !inTLS else { reply(context, 503, ["5.5.1 Already in TLS"]); return }
        guard argument.isEmpty else { reply(context, 501, ["5.5.4 Syntax: STARTTLS"]); return }
        if let (fault, count) = server.faults.reach(.starttls) {
            guard fault.action == .tlsFail else {
                inject(fault, count, normal: (220, ["2.0.0 Ready to start TLS"]), then: .upgrade(sslContext), context)
                return
            }
            struck(fault, count)
            reply(context, 220, ["2.0.0 Ready to start TLS"])
            flushIfNeeded(context)
            mode = .hung
            // Then no handshake: once the client has begun one, plain text where it expects the
            // server's hello, and the connection closed.
            context.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(100)) { [self] in
                context.write(wrapOutboundOut(ByteBuffer(string: "this is not a TLS handshake\r\n")), promise: nil)
                ending = "fault: tls-fail"
                finish(context)
            }
            return
        }
        reply(context, 220, ["2.0.0 Ready to start TLS"])
        upgrade(sslContext, context)
    }

    private func upgrade(_ sslContext: NIOSSLContext, _ context: ChannelHandlerContext) {
        // Whatever the client sent after STARTTLS in the clear is thrown away (RFC 3207).
        input.clear()
        flushIfNeeded(context)
        do {
            try context.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: sslContext), position: .first)
            try context.pipeline.syncOperations.addHandler(CipherSniffer(), position: .first)
        } catch {
            ending = "TLS could not start: \(error)"
            finish(context)
            return
        }
        inTLS = true
        helo = nil
        authUser = nil
        authMechanism = nil
        resetTransaction()
    }

    private func tlsFacts(_ context: ChannelHandlerContext) {
        guard inTLS, tlsVersion == nil, let handler = try? context.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self) else { return }
        tlsVersion = handler.tlsVersion.map { version in
            switch version {
            case .tlsv13: "TLSv1.3"
            case .tlsv12: "TLSv1.2"
            case .tlsv11: "TLSv1.1"
            case .tlsv1: "TLSv1"
            }
        }
    }

    private func mail(_ argument: String, _ context: ChannelHandlerContext) {
        guard helo != nil else { reply(context, 503, ["5.5.1 Send EHLO or HELO first"]); return }
        guard from == nil else { reply(context, 503, ["5.5.1 A transaction is already open (RSET first)"]); return }
        if configuration.requireAuth && authUser == nil { reply(context, 530, ["5.7.0 Authentication required"]); return }
        guard let (address, parameters) = SMTPCommand.path(argument, prefix: "FROM:") else {
            reply(context, 501, ["5.5.4 Syntax: MAIL FROM:<address> [parameters]"])
            return
        }
        if let size = parameters.first(where: { $0.uppercased().hasPrefix("SIZE=") }).flatMap({ Int($0.dropFirst(5)) }), size > configuration.maxMessageSize {
            reply(context, 552, ["5.3.4 The message is larger than the \(configuration.maxMessageSize) bytes this server takes"])
            return
        }
        answer(.mail, context, lines: (250, ["2.1.0 Ok"]), then: .mailFrom(address, parameters))
    }

    private func rcpt(_ argument: String, _ context: ChannelHandlerContext) {
        guard from != nil else { reply(context, 503, ["5.5.1 Send MAIL FROM first"]); return }
        guard let (address, parameters) = SMTPCommand.path(argument, prefix: "TO:"), !address.isEmpty else {
            reply(context, 501, ["5.5.4 Syntax: RCPT TO:<address> [parameters]"])
            return
        }
        guard recipients.count < configuration.maxRecipients else {
            reply(context, 452, ["4.5.3 Too many recipients (at most \(configuration.maxRecipients) a message)"])
            return
        }
        answer(.rcpt, context, lines: (250, ["2.1.5 Ok"]), then: .recipient(StoredMessage.Recipient(address: address, parameters: parameters)))
    }

    private func data(_ argument: String, _ context: ChannelHandlerContext) {
        guard from != nil else { reply(context, 503, ["5.5.1 Send MAIL FROM first"]); return }
        guard !recipients.isEmpty else { reply(context, 554, ["5.5.1 No valid recipients"]); return }
        guard argument.isEmpty else { reply(context, 501, ["5.5.4 Syntax: DATA"]); return }
        guard receiving == nil else { reply(context, 503, ["5.5.1 DATA cannot follow BDAT in one transaction"]); return }
        reply(context, 354, ["End data with <CR><LF>.<CR><LF>"])
        receiving = server.store.begin()
        messageProblem = nil
        subjectReader = SubjectReader()
        mode = .data
    }

    // MARK: BDAT

    /// `BDAT SIZE [LAST]`: the next SIZE octets are message content, taken as they are.
    private func bdat(_ argument: String, _ context: ChannelHandlerContext) {
        let words = argument.split(separator: " ")
        guard let size = words.first.flatMap({ Int($0) }), size >= 0, words.count <= 2,
              words.count == 1 || words[1].uppercased() == "LAST" else {
            // The chunk's length is unknown, so the octets after this command cannot be told
            // from commands: the session cannot go on (RFC 3030, 4.2).
            ending = "BDAT without a valid size"
            reply(context, 501, ["5.5.4 Syntax: BDAT size [LAST]; closing the connection"])
            finish(context)
            return
        }
        let last = words.count == 2
        // The chunk is read (and dropped) even when refused, to keep in step with the client.
        if from == nil || recipients.isEmpty {
            messageProblem = from == nil ? (503, "5.5.1 Send MAIL FROM first") : (554, "5.5.1 No valid recipients")
        } else if receiving == nil {
            receiving = server.store.begin()
            messageProblem = nil
            subjectReader = SubjectReader()
        }
        mode = .chunk(remaining: size, last: last)
    }

    /// Takes what has arrived of the chunk; false when it needs more input.
    private func chunkBytes(_ remaining: Int, last: Bool, _ context: ChannelHandlerContext) -> Bool {
        guard case .chunk(let bytes, let final)? = framer.nextChunk(remaining: remaining, from: &input) else { return false }
        if !bytes.isEmpty, let receiving, messageProblem == nil {
            if receiving.bytes + bytes.count > configuration.maxMessageSize {
                messageProblem = (552, "5.3.4 The message is larger than the \(configuration.maxMessageSize) bytes this server takes")
            } else {
                receiving.append(bytes)
                subjectReader.octets(bytes)
            }
        }
        guard final else {
            mode = .chunk(remaining: remaining - bytes.count, last: last)
            return false
        }
        mode = .command
        guard let receiving else {
            // A refused chunk: say why, once the octets are read.
            let (code, text) = messageProblem ?? (503, "5.5.1 Send MAIL FROM first")
            messageProblem = nil
            reply(context, code, [text])
            return true
        }
        if !last {
            if let (code, text) = messageProblem {
                reply(context, code, [text])
                resetTransaction()
            } else {
                reply(context, 250, ["2.0.0 \(receiving.bytes) octets received"])
            }
            return true
        }
        endOfMessage(receiving, context)
        return true
    }

    private func dataLine(_ line: [UInt8], _ context: ChannelHandlerContext) {
        guard let receiving else { return }
        if line == [46] {
            endOfMessage(receiving, context)
            return
        }
        let content = line.first == 46 ? line.dropFirst() : line[...]
        subjectReader.line(content)
        if receiving.bytes + content.count + 2 > configuration.maxMessageSize {
            messageProblem = messageProblem ?? (552, "5.3.4 The message is larger than the \(configuration.maxMessageSize) bytes this server takes")
            return
        }
        guard messageProblem == nil else { return }
        receiving.append(content)
        receiving.append([13, 10] as [UInt8])
    }

    private func endOfMessage(_ receiving: any IncomingMessage, _ context: ChannelHandlerContext) {
        mode = .command
        self.receiving = nil
        if let (code, text) = messageProblem {
            server.store.drop(receiving)
            reply(context, code, [text])
            resetTransaction()
            return
        }
        tlsFacts(context)
        answer(.data, context, lines: nil, then: .store(receiving))
    }

    /// Hands the message to the sink with its record; commands pipelined behind it wait until it
    /// is stored and answered.
    private func store(_ receiving: any IncomingMessage, _ context: ChannelHandlerContext) {
        let record = StoredMessage(id: receiving.id, path: server.store.path(of: receiving.id), from: from?.address ?? "",
                                   fromParameters: from?.parameters ?? [], recipients: recipients, helo: helo, client: client,
                                   tls: tlsVersion ?? (inTLS ? "TLS" : nil), cipher: cipher, authUser: authUser, authMechanism: authMechanism,
                                   time: Self.now(), bytes: receiving.bytes,
                                   subject: subjectReader.subject, transcript: transcript.takeForMessage(), faults: faultsHit)
        resetTransaction()
        // Commands pipelined behind the message wait until it is stored and answered.
        mode = .paused
        let promise = context.eventLoop.makePromise(of: StoredMessage.self)
        server.store.commit(receiving, record) { promise.completeWith($0.mapError { $0 as any Error }) }
        promise.futureResult.assumeIsolated().whenComplete { [self] result in
            guard case .paused = mode else { return }
            mode = .command
            switch result {
            case .success(let stored):
                messages += 1
                reply(context, 250, ["2.0.0 Ok: queued as \(stored.id)"])
                server.emit(.message(stored))
            case .failure(let error):
                reply(context, 451, ["4.3.0 \((error as? MessageStoreError)?.reason ?? "\(error)")"])
            }
            resume(context)
        }
    }

    private func resetTransaction() {
        from = nil
        recipients = []
        if let receiving { server.store.drop(receiving) }
        receiving = nil
        messageProblem = nil
    }

    static func now() -> Int {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int(now.tv_sec)
    }

    // MARK: AUTH

    private func auth(_ argument: String, _ context: ChannelHandlerContext) {
        guard helo != nil else { reply(context, 503, ["5.5.1 Send EHLO first"]); return }
        guard authUser == nil else { reply(context, 503, ["5.5.1 Already authenticated"]); return }
        guard authOffered else { reply(context, 538, ["5.7.11 Encryption required: STARTTLS first"]); return }
        let words = argument.split(separator: " ").map(String.init)
        guard let mechanism = words.first?.uppercased() else { reply(context, 501, ["5.5.4 Syntax: AUTH mechanism"]); return }
        guard let (exchange, step) = SASLExchange.start(mechanism: mechanism, initial: words.count > 1 ? words[1] : nil, users: configuration.users,
                                                        cramChallenge: "<\(UInt32.random(in: 0...UInt32.max)).\(Self.now())@\(configuration.hostname)>") else {
            reply(context, 504, ["5.5.4 Unrecognized authentication mechanism"])
            return
        }
        authMechanism = mechanism
        authStep(step, exchange, context)
    }

    private func authLine(_ raw: [UInt8], _ exchange: SASLExchange, _ context: ChannelHandlerContext) {
        note("C: [credentials hidden]")
        mode = .command
        var exchange = exchange
        let step = exchange.respond(String(decoding: raw, as: UTF8.self))
        authStep(step, exchange, context)
    }

    /// Sends what the exchange says: a challenge, or the verdict. A fault at the auth stage
    /// answers instead of a success.
    private func authStep(_ step: SASLExchange.Step, _ exchange: SASLExchange, _ context: ChannelHandlerContext) {
        switch step {
        case .challenge(let text):
            mode = .auth(exchange)
            reply(context, 334, [text])
        case .cancelled:
            authMechanism = nil
            reply(context, 501, ["5.0.0 Authentication cancelled"])
        case .refused:
            authMechanism = nil
            reply(context, 535, ["5.7.8 Authentication credentials invalid"])
        case .accepted(let user):
            answer(.auth, context, lines: (235, ["2.7.0 Authentication successful"]), then: .login(user))
        }
    }

    // MARK: Answers and faults

    /// What an answer leads to once it went out as normal (after a delay, later).
    private enum AfterAnswer {
        case greet, greeted
        case hello(String)
        case upgrade(NIOSSLContext)
        case mailFrom(String, [String])
        case recipient(StoredMessage.Recipient)
        case login(String)
        case store(any IncomingMessage)
        case quit
    }

    /// Sends the normal answer for `stage` (none when `lines` is nil) and goes on with `next`,
    /// unless a fault strikes: then its outcome.
    private func answer(_ stage: FaultStage, _ context: ChannelHandlerContext, lines: (Int, [String])?, then next: AfterAnswer) {
        guard let (fault, count) = server.faults.reach(stage) else {
            if let (code, texts) = lines { reply(context, code, texts) }
            carryOut(next, context)
            return
        }
        inject(fault, count, normal: lines, then: next, context)
    }

    /// Carries out a fault that struck: its reply (and `next` dropped), the normal answer later,
    /// a close or a hang.
    private func inject(_ fault: Fault, _ count: Int, normal: (Int, [String])?, then next: AfterAnswer, _ context: ChannelHandlerContext) {
        struck(fault, count)
        switch FaultOutcome(fault) {
        case .replace(let code, let text, let ends):
            reply(context, code, [text])
            abandon(next)
            if ends {
                ending = "fault: \(code)"
                finish(context)
            } else if case .paused = mode {
                mode = .command
            }
        case .delay(let seconds):
            let resume = mode
            mode = .paused
            context.eventLoop.assumeIsolated().scheduleTask(in: Self.amount(seconds)) { [self] in
                guard case .paused = mode else { return }
                mode = resume
                if let (code, texts) = normal { reply(context, code, texts) }
                carryOut(next, context)
                // Whatever came meanwhile, and reading again (whichever mode the input led to).
                self.resume(context)
                flushIfNeeded(context)
            }
        case .close:
            abandon(next)
            ending = "fault: close at \(fault.stage.rawValue)"
            finish(context)
        case .hang:
            abandon(next)
            ending = "fault: hang at \(fault.stage.rawValue)"
            mode = .hung
        case .tlsFail:
            break
        }
    }

    /// What a normal answer leads to.
    private func carryOut(_ next: AfterAnswer, _ context: ChannelHandlerContext) {
        switch next {
        case .greet:
            answer(.greeting, context, lines: (220, ["\(configuration.hostname) ESMTP mailtui test server ready"]), then: .greeted)
        case .greeted:
            greeted = true
            mode = .command
            process(context)
        case .hello(let name):
            helo = String(name.prefix(255))
            resetTransaction()
            process(context)
        case .upgrade(let sslContext):
            upgrade(sslContext, context)
        case .mailFrom(let address, let parameters):
            from = (address, parameters)
            process(context)
        case .recipient(let recipient):
            recipients.append(recipient)
            process(context)
        case .login(let user):
            authUser = String(user.prefix(255))
            process(context)
        case .store(let receiving):
            store(receiving, context)
        case .quit:
            ending = "quit"
            finish(context)
        }
    }

    /// What a fault reply, close or hang undoes: a message is not stored, a login not taken.
    private func abandon(_ next: AfterAnswer) {
        switch next {
        case .store(let receiving):
            server.store.drop(receiving)
            resetTransaction()
        case .login:
            authMechanism = nil
        default:
            break
        }
    }

    private func struck(_ fault: Fault, _ count: Int) {
        faultsHit.append(fault.description)
        note("(fault \(fault.description))")
        server.emit(.fault(FaultReport(stage: fault.stage, occurrence: count, action: fault.action.words, client: client)))
    }

    private func reply(_ context: ChannelHandlerContext, _ code: Int, _ texts: [String]) {
        var out = ""
        for (index, text) in texts.enumerated() {
            let line = "\(code)\(index == texts.count - 1 ? " " : "-")\(text)"
            note("S: " + line)
            out += line + "\r\n"
        }
        let size = out.utf8.count
        unsent += size
        server.highWater.withLock { $0.unsent = max($0.unsent, unsent) }
        let written = context.eventLoop.makePromise(of: Void.self)
        written.futureResult.assumeIsolated().whenComplete { [self] _ in
            unsent -= size
            guard waitingForReader, canAnswer(context) else { return }
            waitingForReader = false
            // Not from inside the flush that completed this write: from the event loop, next.
            context.eventLoop.assumeIsolated().execute { [self] in resume(context) }
        }
        context.write(wrapOutboundOut(ByteBuffer(string: out)), promise: written)
        needsFlush = true
    }

    private func note(_ line: String) { transcript.note(line) }
}
