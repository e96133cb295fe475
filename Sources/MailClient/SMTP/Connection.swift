import CCurl
#if canImport(Glibc)
import Glibc
#endif

/// The connection libcurl opened (CONNECT_ONLY: TCP, greeting, EHLO, STARTTLS and the login done),
/// spoken over with `curl_easy_send` and `curl_easy_recv`, so that TLS stays libcurl's. Every wait
/// is a poll on the socket and on the session's wake pipe, so a cancel ends it at once; each
/// wait is bounded by the reply limit and by the session's total limit.
final class Connection {
    enum Failure: Error {
        case timedOut, cancelled, closed
        /// A reply past libcurl's limit, in one line or in many: read no further.
        case replyTooLong
        case curl(Int)

        /// As a libcurl result code, for the classifier.
        var code: Int {
            switch self {
            case .timedOut: FailureClassifier.operationTimedOut
            case .cancelled: FailureClassifier.abortedByCallback
            case .closed, .replyTooLong: FailureClassifier.recvError
            case .curl(let code): code
            }
        }

        /// What happened, in a few words (a load run's example of a failed message).
        var words: String {
            switch self {
            case .timedOut: "no reply within the time limit"
            case .cancelled: "cancelled"
            case .closed: "the connection closed"
            case .replyTooLong: "a reply longer than \(FailureClassifier.replyByteLimit / 1024) KiB"
            case .curl(let code): "the connection failed (libcurl error \(code))"
            }
        }
    }

    private let easy: UnsafeMutableRawPointer
    private let record: SessionRecord
    private let wake: Int32
    private let replyLimit: Duration
    private let deadline: ContinuousClock.Instant
    private let isCancelled: () -> Bool
    /// Bytes received and not yet part of a reply (a pipelined group's replies come together).
    private var pending: [UInt8] = []
    /// Where each read lands, allocated once (a load run reads once a message).
    private var readBuffer = [UInt8](repeating: 0, count: 16 * 1024)
    /// Where the message is read into on its way out: allocated at the first message, then used
    /// in place (a copy of it would be copied again at the first write into it).
    var messageBuffer: [UInt8] = []

    init(easy: UnsafeMutableRawPointer, record: SessionRecord, wake: Int32, replyLimit: Duration,
         deadline: ContinuousClock.Instant, isCancelled: @escaping () -> Bool) {
        self.easy = easy
        self.record = record
        self.wake = wake
        self.replyLimit = replyLimit
        self.deadline = deadline
        self.isCancelled = isCancelled
    }

    /// Sends all of `bytes`.
    func send(_ bytes: [UInt8]) throws(Failure) {
        var sent = 0
        while sent < bytes.count {
            if isCancelled() { throw .cancelled }
            var n = 0
            let result = bytes.withUnsafeBytes { curl_easy_send(easy, $0.baseAddress! + sent, bytes.count - sent, &n) }
            if result == CURLE_AGAIN { try wait(writing: true); continue }
            if result != CURLE_OK { throw .curl(Int(result.rawValue)) }
            sent += n
        }
    }

    /// Sends a command line, recorded first (credentials never pass here).
    func say(_ command: SMTPCommand) throws(Failure) {
        record.sent(command)
        try send(Array((command.line + "\r\n").utf8))
    }

    /// Records a command that went out in an earlier write (a pipelined group), just before its reply is read.
    func sent(_ command: SMTPCommand) {
        record.sent(command)
    }

    /// Reads one complete reply (all its lines), each line recorded (and so shown and parsed, once)
    /// as it comes. The whole reply, however many lines it has, is capped at libcurl's limit, so
    /// that a server cannot fill memory with one endless reply; each byte is searched for a line
    /// end once.
    @discardableResult
    func reply() throws(Failure) -> ServerReply {
        // Bytes of this reply's lines already taken, and where the search for a line end resumes.
        var taken = 0
        var searched = 0
        while true {
            while let newline = pending[searched...].firstIndex(of: 10) {
                taken += newline + 1
                if taken > FailureClassifier.replyByteLimit { throw tooLong() }
                let reply = record.received(bytes: pending[...newline])
                pending.removeSubrange(...newline)
                searched = 0
                if let reply { return reply }
            }
            searched = pending.count
            // A reply that never ends is not a reply: stop at the classifier's limit.
            if taken + pending.count > FailureClassifier.replyByteLimit { throw tooLong() }
            var n = 0
            let result = readBuffer.withUnsafeMutableBytes { curl_easy_recv(easy, $0.baseAddress, $0.count, &n) }
            if result == CURLE_AGAIN {
                // Acknowledge at once what arrives: a server that writes each pipelined reply on its
                // own, with Nagle's algorithm on, holds the second until the first is acknowledged,
                // and a delayed acknowledgement costs 40 ms a time.
                quickAck()
                try wait(writing: false)
                continue
            }
            if result != CURLE_OK { throw .curl(Int(result.rawValue)) }
            if n == 0 { throw .closed }
            pending += readBuffer[0..<n]
        }
    }

    /// Gives up on a reply past the limit, and says so to the diagnosis.
    private func tooLong() -> Failure {
        pending.removeAll()
        record.facts.replyTooLong = true
        return .replyTooLong
    }

    /// Waits until `instant` (a paced load run), waking at once for a cancel.
    func pause(until instant: ContinuousClock.Instant) throws(Failure) {
        while true {
            if isCancelled() { throw .cancelled }
            let left = instant - record.now
            guard left > .zero else { return }
            var fd = pollfd(fd: wake, events: Int16(POLLIN), revents: 0)
            _ = poll(&fd, wake >= 0 ? 1 : 0, Int32(clamping: max(1, left.milliseconds)))
        }
    }

    /// Reads and drops whatever the server still sends, until it closes or a short while passes:
    /// closing with unread bytes would reset the connection, and the server might lose what was
    /// said last (a QUIT sent before its greeting was read).
    func drainQuietly() {
        let until = record.now + .milliseconds(500)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while record.now < until {
            var n = 0
            let result = buffer.withUnsafeMutableBytes { curl_easy_recv(easy, $0.baseAddress, $0.count, &n) }
            if result == CURLE_AGAIN {
                var socket: curl_socket_t = -1
                guard mt_getinfo_socket(easy, &socket) == CURLE_OK, socket >= 0 else { return }
                var fd = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
                if poll(&fd, 1, 100) < 0 { return }
                continue
            }
            if result != CURLE_OK || n == 0 { return }
        }
    }

    private func quickAck() {
        var socket: curl_socket_t = -1
        guard mt_getinfo_socket(easy, &socket) == CURLE_OK, socket >= 0 else { return }
        var on: Int32 = 1
        setsockopt(socket, Int32(IPPROTO_TCP), TCP_QUICKACK, &on, socklen_t(MemoryLayout<Int32>.size))
    }

    private func wait(writing: Bool) throws(Failure) {
        var socket: curl_socket_t = -1
        guard mt_getinfo_socket(easy, &socket) == CURLE_OK, socket >= 0 else { throw .closed }
        let limit = min(record.now + replyLimit, deadline)
        while true {
            if isCancelled() { throw .cancelled }
            let left = limit - record.now
            guard left > .zero else { throw .timedOut }
            var fds = [pollfd(fd: socket, events: Int16(writing ? POLLOUT : POLLIN), revents: 0),
                       pollfd(fd: wake, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, nfds_t(wake >= 0 ? 2 : 1), Int32(clamping: max(1, left.milliseconds)))
            if ready > 0 && fds[0].revents != 0 { return }
            if ready < 0 && errno != EINTR { throw .closed }
        }
    }
}
