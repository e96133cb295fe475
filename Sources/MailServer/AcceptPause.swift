import NIOCore
#if canImport(Glibc)
import Glibc
#endif

/// On a listening channel: when accepting fails for want of descriptors or memory (EMFILE,
/// ENFILE, ENOBUFS, ENOMEM), stops accepting for a while. NIO keeps the listening socket after
/// such an error and still wants to read from it, and a waiting connection keeps it readable, so
/// without a pause accept fails again at once, at full CPU, until a descriptor frees. (NIO's
/// `AcceptBackoffHandler` delays the next read request, but the one already made stays pending.)
final class AcceptPause: ChannelInboundHandler {
    typealias InboundIn = Any

    private let pause: TimeAmount
    private var paused = false
    /// How many times accepting paused (for tests).
    private(set) var pauses = 0

    init(pause: TimeAmount = .seconds(1)) {
        self.pause = pause
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        guard let code = (error as? IOError)?.errnoCode, [EMFILE, ENFILE, ENOBUFS, ENOMEM].contains(code) else {
            context.fireErrorCaught(error)
            return
        }
        guard !paused else { return }
        paused = true
        pauses += 1
        // Turning autoRead off drops the pending read and stops watching the socket.
        try? context.channel.syncOptions?.setOption(ChannelOptions.autoRead, value: false)
        context.eventLoop.assumeIsolated().scheduleTask(in: pause) { [self] in
            paused = false
            try? context.channel.syncOptions?.setOption(ChannelOptions.autoRead, value: true)
        }
    }
}
