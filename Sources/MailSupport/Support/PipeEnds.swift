#if canImport(Glibc)
import Glibc
#endif

/// A pipe with both ends close-on-exec, made in one place (glibc's `pipe2` is not visible to
/// Swift): a wake pipe, a signal pipe or a child's output, so that no process mailtui starts
/// inherits an end it was not handed.
public struct PipeEnds: Sendable {
    public let read: Int32
    public let write: Int32

    /// nil when the process has no descriptors left. `nonBlocking` for self-pipes, whose reads
    /// drain and whose writes must never stall a signal handler or the sender.
    public init?(nonBlocking: Bool) {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { return nil }
        for fd in ends {
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            if nonBlocking { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        }
        (read, write) = (ends[0], ends[1])
    }

    /// Closes both ends.
    public func closeBoth() {
        close(read)
        close(write)
    }
}
