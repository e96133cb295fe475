import CCurl
#if canImport(Glibc)
import Glibc
#endif

/// The end of a `--quit-after` session. libcurl (in CONNECT_ONLY mode) has done the greeting, EHLO,
/// STARTTLS and AUTH; this speaks MAIL FROM and RCPT TO when asked, then QUIT, over the same
/// connection (inside TLS where there is TLS), feeding every line to the same recorder as libcurl
/// does, so the transcript, redaction and diagnosis work the same. No DATA is ever sent.
struct QuitAfter {
    let easy: UnsafeMutableRawPointer
    let context: TransferContext

    /// Returns a libcurl-style result code: 0, or the error that ended the exchange.
    func finish(after stage: SMTPStage) -> Int {
        guard case .send(let from, let recipients, _) = context.request.purpose else { return say("QUIT") }
        if stage >= .mail {
            let code = say("MAIL FROM:<\(from)>")
            if code != 0 { return code }
            guard let reply = context.recorder.lastReply, reply.isPositive else { return quit() }
        }
        if stage >= .rcpt {
            for address in recipients {
                let code = say("RCPT TO:<\(address)>")
                if code != 0 { return code }
            }
        }
        return quit()
    }

    private func quit() -> Int {
        _ = say("QUIT")
        return 0
    }

    /// Sends one command and reads its complete reply.
    private func say(_ command: String) -> Int {
        let bytes = Array((command + "\r\n").utf8)
        var sent = 0
        while sent < bytes.count {
            var n = 0
            let result = bytes.withUnsafeBytes { curl_easy_send(easy, $0.baseAddress! + sent, bytes.count - sent, &n) }
            if result == CURLE_AGAIN { guard wait(forWriting: true) else { return FailureClassifier.operationTimedOut }; continue }
            if result != CURLE_OK { return Int(result.rawValue) }
            sent += n
        }
        bytes.withUnsafeBytes { context.recorder.handle(.headerOut, $0) }
        var pending: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            while let newline = pending.firstIndex(of: 10) {
                let line = Array(pending[...newline])
                pending.removeSubrange(...newline)
                line.withUnsafeBytes { context.recorder.handle(.headerIn, $0) }
                let parsed = ServerReply.parseLine(String(decoding: line, as: UTF8.self).trimmingSpaces)
                if parsed.isFinal { return 0 }
            }
            var n = 0
            let result = buffer.withUnsafeMutableBytes { curl_easy_recv(easy, $0.baseAddress, $0.count, &n) }
            if result == CURLE_AGAIN { guard wait(forWriting: false) else { return FailureClassifier.operationTimedOut }; continue }
            if result != CURLE_OK { return Int(result.rawValue) }
            if n == 0 { return command == "QUIT" ? 0 : FailureClassifier.recvError }
            pending += buffer[0..<n]
        }
    }

    private func wait(forWriting: Bool) -> Bool {
        var socket: curl_socket_t = -1
        guard mt_getinfo_socket(easy, &socket) == CURLE_OK, socket >= 0 else { return false }
        var fd = pollfd(fd: socket, events: Int16(forWriting ? POLLOUT : POLLIN), revents: 0)
        return poll(&fd, 1, Int32(clamping: context.request.settings.timeouts.response.saturatingMilliseconds)) > 0
    }
}
