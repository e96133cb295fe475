import MailCore
import NIOCore

/// How the message being read is paced by the faults that strike it as it begins: at most so
/// many octets a second (`bandwidth`), and a drop once so many arrived (`close-after`).
struct MessagePace: Sendable {
    var bytesPerSecond: Int?
    var closeAfter: Int?
    /// When the message's content began, the time its octets are measured from.
    var started: NIODeadline
    /// Octets of content taken so far (the dot-stuffed lines with their CRLF, or the chunks).
    var read = 0
}

/// The slow line and the drop partway. A frame that comes before its time waits, held as a
/// delay fault holds the session: the decoder and the socket stop reading meanwhile, so memory
/// stays bounded and the client's sending slows by TCP's own flow control. The wait is a task
/// scheduled on the event loop, which is never blocked.
extension SMTPSessionHandler {
    /// Asks the faults whether they pace the message beginning now.
    func beginPace(_ context: ChannelHandlerContext) {
        let struckNow = server.faults.pace(facts(context))
        guard !struckNow.isEmpty else {
            pace = nil
            return
        }
        var pace = MessagePace(started: context.eventLoop.now)
        for (fault, count) in struckNow {
            struck(fault, count)
            switch fault.action {
            case .bandwidth(let rate): pace.bytesPerSecond = min(pace.bytesPerSecond ?? .max, rate)
            case .closeAfter(let bytes): pace.closeAfter = min(pace.closeAfter ?? .max, bytes)
            default: break
            }
        }
        self.pace = pace
    }

    /// Whether the frame must not be taken now: the connection dropped at `close-after`, or the
    /// frame came before its time and waits (it is taken first when the wait ends).
    func paceHolds(_ frame: SMTPFrame, _ context: ChannelHandlerContext) -> Bool {
        guard var pace else { return false }
        let octets: Int
        switch (mode, frame) {
        case (.data, .line(let line)) where line != [46]: octets = line.count + 2
        case (.chunk, .chunk(let bytes, _)): octets = bytes.count
        default: return false
        }
        if let limit = pace.closeAfter, pace.read + octets > limit {
            ending = "fault: close after \(limit) octets of content"
            note(.note, "(fault: the connection drops after \(limit) octets of the message)")
            finish(context)
            return true
        }
        if let rate = pace.bytesPerSecond {
            let due = pace.started + .nanoseconds(Int64((Double(pace.read + octets) / Double(rate) * 1e9).rounded()))
            if due - context.eventLoop.now > Self.paceSlack {
                let resumeMode = mode
                mode = .paused
                deferred.insert(frame, at: 0)
                context.eventLoop.assumeIsolated().scheduleTask(deadline: due) { [self] in
                    guard case .paused = mode else { return }
                    mode = resumeMode
                    resume(context)
                }
                return true
            }
        }
        pace.read += octets
        self.pace = pace
        return false
    }

    /// How far ahead of its time a frame may be taken: waits shorter than this are not worth a
    /// scheduled task each (the average rate holds all the same, as the times are absolute).
    static var paceSlack: TimeAmount { .milliseconds(10) }
}
