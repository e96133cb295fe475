import MailCore
import NIOCore
import NIOSSL
import Synchronization

/// One SMTP session, server side (RFC 5321, with STARTTLS, AUTH, SIZE, 8BITMIME, SMTPUTF8, DSN,
/// PIPELINING, CHUNKING and ENHANCEDSTATUSCODES). This file holds the connection: its state,
/// reading with backpressure, the time limits and the replies. The parts it uses, each in its own
/// file: `SMTPFrameDecoder`, ahead of it in the pipeline, cuts input into lines with limits (a
/// command line over 512 octets, 12,288 for AUTH, or a message line over 1000 gets 500 5.5.2 and
/// never grows memory) and BDAT chunks, one frame at a time in the mode the session sets;
/// `SMTPCommand` splits a command; `SASLExchange` runs AUTH; `FaultOutcome` says what a fault
/// does to an answer; `SessionTranscript` and `SubjectReader` keep what a stored message shows;
/// a `MessageSink` takes the messages and a `FaultSource` the faults. The commands, the message
/// and the fault handling are extensions in `SMTPSessionHandler+*.swift` (hence the members
/// shared within the module rather than private).
///
/// Memory stays bounded whatever the client does: while replies are not read (or a fault, the
/// gate or the store holds the session), no more input is read or answered, and a line, the
/// replies and the whole session each have a time limit.
final class SMTPSessionHandler: ChannelDuplexHandler {
    typealias InboundIn = SMTPFrame
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    enum Mode {
        case beforeGreeting, command, data, finished
        case auth(SASLExchange)
        /// Waiting out a delay fault: input stays buffered until it ends.
        case paused
        /// Waiting for the gate's answer (`pendingAsk`): input stays buffered until it comes.
        case asking
        /// A hang fault: nothing is ever answered again.
        case hung
        /// Reading a BDAT chunk (RFC 3030): this many octets more, and whether it is the last.
        case chunk(remaining: Int, last: Bool)
    }

    let server: ServerContext
    let implicitTLS: Bool
    /// What each command leads to, decided without I/O.
    let rules: SMTPCommandRules
    var mode = Mode.beforeGreeting
    /// Cuts the input ahead of the session; the session sets its mode and holds it.
    let decoder: SMTPFrameDecoder
    /// The decoder's place in the pipeline, to ask it for the frames it held.
    var decoderContext: ChannelHandlerContext?
    /// Frames that came while the session could not take them (none, as the decoder is held
    /// before each frame returns; kept in case), taken first when it goes on.
    var deferred: [SMTPFrame] = []
    var needsFlush = false
    /// The client's address, as counted against the per-address limit; nil when not admitted.
    var counted: String?
    /// Replies written and not yet taken by the socket, in octets.
    var unsent = 0
    /// Whether the channel asked for a read that waits until the session can take input.
    var readHeld = false
    /// Whether answering stopped because the replies were not read.
    var waitingForReader = false
    /// Runs out when a line started (or replies waiting to be read) take longer than the
    /// per-command limit.
    var lineClock: Scheduled<Void>?
    var sessionClock: Scheduled<Void>?
    /// Set by an AUTH command: lines up to the next known command may be the base64 credentials
    /// a client pipelined behind it (refused with 503 or 538, they arrive as commands), and are
    /// never noted.
    var hidingCredentials = false
    /// Whether the greeting went out: a client must not speak before it.
    var greeted = false
    let started = NIODeadline.now()

    var client = "?"
    var helo: String?
    var inTLS: Bool
    var tlsVersion: String?
    var cipher: String?
    var authUser: String?
    var authMechanism: String?
    var messages = 0
    /// What a stored message keeps of the conversation.
    var transcript = SessionTranscript()
    var faultsHit: [String] = []
    /// The `bandwidth` and `close-after` faults on the message being read.
    var pace: MessagePace?
    var ending = "closed by the client"

    var from: (address: String, parameters: [String])?
    var recipients: [StoredMessage.Recipient] = []
    var receiving: (any IncomingMessage)?
    /// Why the message coming in will be refused, and the reply that says so.
    var messageProblem: (code: Int, lines: [String])?
    /// The Subject of the message coming in.
    var subjectReader = SubjectReader()

    /// The connection's gate when the server has one (`ServerConfiguration.gate`).
    var gateSession: (any GateSession)?
    /// Whether the gate, not the users, decides logins.
    var gateDecidesLogins = false
    /// The question the gate has not answered yet.
    var pendingAsk: PendingAsk?
    /// The message coming in, kept only when a gate will be given it at its end.
    var gateOctets: [UInt8] = []
    /// Recipients of this transaction the gate refused, for the record of an attempt that fails.
    var gateRefusedRecipients: [StoredMessage.Recipient] = []

    init(server: ServerContext, implicitTLS: Bool, decoder: SMTPFrameDecoder) {
        self.server = server
        self.implicitTLS = implicitTLS
        self.inTLS = implicitTLS
        self.decoder = decoder
        rules = SMTPCommandRules(configuration: server.configuration)
    }

    /// The session's handlers, in pipeline order: the frame decoder (its buffer capped at
    /// `inputLimit`) and the session.
    static func handlers(server: ServerContext, implicitTLS: Bool) -> [any ChannelHandler] {
        let decoder = SMTPFrameDecoder()
        return [ByteToMessageHandler(decoder, maximumBufferSize: ServerConfiguration.inputLimit),
                SMTPSessionHandler(server: server, implicitTLS: implicitTLS, decoder: decoder)]
    }

    func handlerAdded(context: ChannelHandlerContext) {
        decoderContext = try? context.pipeline.syncOperations.context(handlerType: ByteToMessageHandler<SMTPFrameDecoder>.self)
    }

    var configuration: ServerConfiguration { server.configuration }

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
        if let gate = configuration.gate {
            gateSession = gate.open(client: client)
            gateDecidesLogins = gate.decidesLogins
        }
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
        dropPendingAsk()
        decoderContext = nil
        if let receiving { server.store.drop(receiving) }
        receiving = nil
        storeFailedAttempt()
        gateSession?.close()
        gateSession = nil
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
        if error is ByteToMessageDecoderError.PayloadTooLargeError, greeted {
            ending = "too much input while the session could not take it"
            reply(context, 421, ["4.7.0 Over \(ServerConfiguration.inputLimit) octets sent without waiting for the replies; closing the connection"])
            finish(context)
            return
        }
        // After our own close (QUIT, a limit, a fault), a client that drops the connection without
        // TLS's close_notify is no error: the session ended as it was already recorded.
        if case .finished = mode {} else { ending = "error: \(error)" }
        context.close(promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
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
            take(frame, context)
            settleDecoder(context)
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

    func holdsInput(_ context: ChannelHandlerContext) -> Bool {
        // Before the greeting, input is read to catch a client that does not wait for it.
        if case .paused = mode, greeted { return true }
        if case .asking = mode { return true }
        return !canAnswer(context)
    }

    /// Whether replies may be written now: the client has read enough of the earlier ones.
    func canAnswer(_ context: ChannelHandlerContext) -> Bool {
        context.channel.isWritable && unsent < ServerConfiguration.outputPause
    }

    /// Goes on with waiting input and reading, once replies drained or a pause ended.
    func resume(_ context: ChannelHandlerContext) {
        switch mode {
        case .finished, .hung, .paused, .asking, .beforeGreeting: return
        default: break
        }
        while !deferred.isEmpty, canTake(context) {
            take(deferred.removeFirst(), context)
        }
        settleDecoder(context)
        if !decoder.holding, let decoderContext, let handler = decoderContext.handler as? ByteToMessageHandler<SMTPFrameDecoder> {
            // The frames the decoder held, now: an empty read makes it cut them.
            handler.channelRead(context: decoderContext, data: NIOAny(ByteBuffer()))
        }
        // Set at a STARTTLS that a fault delayed: it is for what was held then, never for later input.
        decoder.dropBuffered = false
        afterInput(context)
        if readHeld && !holdsInput(context) {
            readHeld = false
            context.read()
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        afterInput(context)
        context.fireChannelReadComplete()
    }

    /// Once the input there is was cut and answered: the clocks, the memory kept, the replies out.
    func afterInput(_ context: ChannelHandlerContext) {
        switch mode {
        case .finished, .hung: return
        default: break
        }
        server.highWater.withLock { $0.input = max($0.input, decoder.buffered) }
        checkLineClock(context)
        flushIfNeeded(context)
    }

    func flushIfNeeded(_ context: ChannelHandlerContext) {
        if needsFlush {
            needsFlush = false
            context.flush()
        }
    }

    func finish(_ context: ChannelHandlerContext) {
        mode = .finished
        decoder.ignoring = true
        deferred = []
        dropPendingAsk()
        needsFlush = false
        lineClock?.cancel()
        sessionClock?.cancel()
        lineClock = nil
        sessionClock = nil
        context.writeAndFlush(wrapOutboundOut(ByteBuffer()), promise: nil)
        context.close(promise: nil)
    }

    // MARK: Time limits

    static func amount(_ seconds: Double) -> TimeAmount {
        .milliseconds(Int64((seconds * 1000).saturatingInt))
    }

    /// 421 4.4.2 and the end, for a time limit.
    func timedOut(_ context: ChannelHandlerContext, ending: String, reply text: String) {
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
    func checkLineClock(_ context: ChannelHandlerContext) {
        let waiting: Bool
        switch mode {
        case .command, .data, .auth: waiting = decoder.partialLine || unsent > 0 && !canAnswer(context)
        case .asking: waiting = true
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
            if case .asking = mode {
                timedOut(context, ending: "the gate did not answer",
                         reply: "4.4.2 No answer came from upstream within \(seconds) s (the per-command time limit); closing the connection")
            } else if !canAnswer(context) {
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

    func reply(_ context: ChannelHandlerContext, _ code: Int, _ texts: [String]) {
        var out = ""
        for (index, text) in texts.enumerated() {
            let line = "\(code)\(index == texts.count - 1 ? " " : "-")\(text)"
            note(.server, line)
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

    /// Keeps a line of the conversation, with the time since the connection came and whether it
    /// travelled inside TLS.
    func note(_ speaker: Speaker, _ text: String) {
        let since = (NIODeadline.now() - started).nanoseconds
        transcript.note(speaker, text, elapsed: .microseconds(since / 1000), inTLS: inTLS)
    }
}
