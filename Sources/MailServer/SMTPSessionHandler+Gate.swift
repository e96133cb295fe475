import MailCore
import NIOCore

/// What a session asks its gate (`ServerConfiguration.gate`), after its own checks and after the
/// faults: the gate's reply goes to the client word for word, and nil means the session answers
/// as `serve` does.
enum GateQuestion {
    case login(ClientLogin)
    case mail(String, [String])
    case rcpt(String, [String])
    /// DATA, or the first BDAT chunk of a message.
    case data
    /// The message as it is stored.
    case message([UInt8])
}

/// A question the gate has not answered yet, with what its answer decides.
struct PendingAsk {
    /// The reply `serve` would give, sent when the gate answers nil.
    let normal: (Int, [String])?
    let next: SMTPSessionHandler.AfterAnswer
    /// The mode to go back to when the answer comes.
    let resume: SMTPSessionHandler.Mode
    /// Completed by the gate, or with nil by the session when it stops waiting, so that it never
    /// leaks.
    let answer: EventLoopPromise<GateReply?>
}

extension SMTPSessionHandler {
    /// Asks the gate when there is one and a question, else answers at once. While the gate
    /// thinks, nothing is read or answered (as while the store commits), and the per-command
    /// clock runs: a gate that never answers gets the session closed with 421.
    func proceed(normal: (Int, [String])?, then next: AfterAnswer, ask question: GateQuestion?, _ context: ChannelHandlerContext) {
        guard let question, let gateSession else {
            settle(normal, then: next, context)
            return
        }
        let promise = context.eventLoop.makePromise(of: GateReply?.self)
        pendingAsk = PendingAsk(normal: normal, next: next, resume: mode, answer: promise)
        mode = .asking
        // What was answered before the question goes out while the gate thinks.
        flushIfNeeded(context)
        checkLineClock(context)
        promise.futureResult.assumeIsolated().whenSuccess { [self] reply in gateAnswered(reply, context) }
        let done: @Sendable (GateReply?) -> Void = { promise.succeed($0) }
        switch question {
        case .login(let login): gateSession.login(login, done: done)
        case .mail(let address, let parameters): gateSession.mail(from: address, parameters: parameters, done: done)
        case .rcpt(let address, let parameters): gateSession.rcpt(to: address, parameters: parameters, done: done)
        case .data: gateSession.data(done: done)
        case .message(let octets): gateSession.message(octets, done: done)
        }
    }

    /// The gate's answer: its reply decides, positive (below 400) or not, as a normal one would.
    /// At a message's end the message is stored either way, with the gate's words as the reply
    /// (the relayed leg says how it went); at a first BDAT chunk a refusal waits for the chunk.
    func gateAnswered(_ gateReply: GateReply?, _ context: ChannelHandlerContext) {
        guard let pending = pendingAsk, case .asking = mode else { return }
        pendingAsk = nil
        lineClock?.cancel()
        lineClock = nil
        mode = pending.resume
        let given = gateReply.map { ($0.code, Self.safeLines($0.lines)) }
        switch pending.next {
        case .store(let receiving):
            store(receiving, context, answer: given)
        case .enterChunk(let size, let last) where (given?.0 ?? 250) >= 400:
            // The chunk's octets are still read, and dropped, to keep in step with the client.
            messageProblem = given.map { (code: $0.0, lines: $0.1) }
            mode = .chunk(remaining: size, last: last)
        case .enterChunk:
            carryOut(pending.next, context)
        default:
            settle(given ?? pending.normal, then: pending.next, context)
            if let code = given?.0, code >= 400 { gateRefused(pending.next) }
        }
        resume(context)
    }

    /// What a refusal by the gate ends: a refused login or sender ends the attempt, stored then;
    /// a refused recipient is kept for the record of the transaction, if it fails.
    func gateRefused(_ next: AfterAnswer) {
        switch next {
        case .login: storeFailedAttempt()
        case .mailFrom(let address, let parameters): storeFailedAttempt(sender: (address, parameters))
        case .recipient(let recipient) where gateRefusedRecipients.count < Self.refusedRecipientsKept:
            gateRefusedRecipients.append(recipient)
        default: break
        }
    }

    /// A client may go on giving refused recipients: the record keeps this many.
    static let refusedRecipientsKept = 100

    /// Stops waiting for the gate (the session ends): what the answer would have led to is
    /// dropped, and a late answer finds nothing to do.
    func dropPendingAsk() {
        guard let pending = pendingAsk else { return }
        pendingAsk = nil
        pending.answer.succeed(nil)
        abandon(pending.next)
    }

    /// Reply lines as the protocol can carry them: one line each, at least one.
    static func safeLines(_ lines: [String]) -> [String] {
        let safe = lines.map { String($0.map { $0 == "\r" || $0 == "\n" ? " " : $0 }) }
        return safe.isEmpty ? [""] : safe
    }
}
