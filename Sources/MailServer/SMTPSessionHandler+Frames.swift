import NIOCore

/// The frames the decoder cuts, taken one at a time in the session's mode, and the decoder set
/// (or held) for the next one.
extension SMTPSessionHandler {
    /// Whether the session takes a frame now: not while a fault, the gate or the store holds it,
    /// nor while the client leaves its replies unread (a chunk's octets are taken all the same).
    func canTake(_ context: ChannelHandlerContext) -> Bool {
        switch mode {
        case .command, .data, .auth: return canAnswer(context)
        case .chunk: return true
        default: return false
        }
    }

    /// Handles one frame in the session's mode. PIPELINING: one at a time, so replies come in
    /// order, and the next one is cut in the mode this one leads to.
    func take(_ frame: SMTPFrame, _ context: ChannelHandlerContext) {
        guard canTake(context) else {
            switch mode {
            case .finished, .hung: break
            default: deferred.append(frame)
            }
            return
        }
        if paceHolds(frame, context) { return }
        // A whole line came: its clock starts again at the next one.
        lineClock?.cancel()
        lineClock = nil
        switch (mode, frame) {
        case (.chunk(let remaining, let last), .chunk(let bytes, let final)):
            chunkBytes(bytes, final: final, remaining: remaining, last: last, context)
        case (.chunk, _), (_, .chunk):
            // The decoder cuts in the session's mode: a chunk comes exactly when one is read.
            return
        case (_, .tooLong): lineTooLong(context)
        case (.data, .line(let line)): dataLine(line, context)
        case (.auth(let exchange), .line(let line)): authLine(line, exchange, context)
        case (_, .line(let line)): command(line, context)
        }
    }

    /// Sets the decoder for the next frame: the session's mode, or held while the session cannot
    /// take one (before the greeting it is not held, to catch a client that does not wait).
    func settleDecoder(_ context: ChannelHandlerContext) {
        switch mode {
        case .command: decoder.mode = .command
        case .data: decoder.mode = .data
        case .auth: decoder.mode = .auth
        case .chunk(let remaining, _): decoder.mode = .chunk(remaining: remaining)
        case .finished, .hung: decoder.ignoring = true
        case .beforeGreeting, .paused, .asking: break
        }
        decoder.holding = greeted && !canTake(context)
        if !canAnswer(context) {
            // The client is not reading: send what can go, and wait until it drains.
            waitingForReader = true
            flushIfNeeded(context)
        }
        if unsent > ServerConfiguration.outputLimit {
            ending = "the client did not read the replies"
            reply(context, 421, ["4.7.0 Over \(ServerConfiguration.outputLimit) octets of replies were not read; closing the connection"])
            finish(context)
        }
    }

    func lineTooLong(_ context: ChannelHandlerContext) {
        switch mode {
        case .data:
            messageProblem = messageProblem ?? (500, ["5.5.2 A line of the message is longer than 1000 octets; it was not stored"])
        case .auth:
            mode = .command
            reply(context, 500, ["5.5.2 Line too long"])
        default:
            note(.client, "(a line over \(ServerConfiguration.commandLineLimit) octets)")
            reply(context, 500, ["5.5.2 Line too long"])
        }
    }
}
