import Synchronization
import MailCore
#if canImport(Glibc)
import Glibc
#endif

/// Where background work (the send thread) posts events for the UI loop: a locked queue plus a
/// self-pipe, so the loop's `poll` wakes up at once.
final class EventInbox: Sendable {
    private let queue = Mutex<[AppEvent]>([])
    /// The pipe's read end, polled by the loop; the write end is poked by `post`.
    let readEnd: Int32
    private let writeEnd: Int32

    init() {
        let ends = PipeEnds(nonBlocking: true)
        readEnd = ends?.read ?? -1
        writeEnd = ends?.write ?? -1
    }

    deinit {
        close(readEnd)
        close(writeEnd)
    }

    func post(_ event: AppEvent) {
        queue.withLock { $0.append(event) }
        var byte: UInt8 = 1
        _ = write(writeEnd, &byte, 1)
    }

    /// Everything posted so far, in order.
    func drain() -> [AppEvent] {
        var sink = [UInt8](repeating: 0, count: 256)
        while read(readEnd, &sink, sink.count) > 0 {}
        return queue.withLock { events in
            defer { events.removeAll() }
            return events
        }
    }
}

/// SIGTERM, SIGHUP and SIGINT (sent from outside: in raw mode Ctrl-C is a key, not a signal) reach
/// the loop through a pipe, so that it can save the draft and restore the terminal before exiting.
enum TerminationSignals {
    nonisolated(unsafe) static var pipeWrite: Int32 = -1
    nonisolated(unsafe) static var pipeRead: Int32 = -1

    static let handled: [Int32] = [SIGTERM, SIGHUP, SIGINT]

    static func install() {
        guard let ends = PipeEnds(nonBlocking: true) else { return }
        pipeRead = ends.read
        pipeWrite = ends.write
        let handler: @convention(c) (Int32) -> Void = { number in
            var byte = UInt8(truncatingIfNeeded: number)
            _ = write(TerminationSignals.pipeWrite, &byte, 1)
        }
        for number in handled { signal(number, handler) }
    }

    /// The signal that asked the program to stop, if one did.
    static func received() -> Int32? {
        var byte: UInt8 = 0
        guard pipeRead >= 0, read(pipeRead, &byte, 1) > 0 else { return nil }
        return Int32(byte)
    }
}
