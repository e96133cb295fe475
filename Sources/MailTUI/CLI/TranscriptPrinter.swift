import MailCore
#if canImport(Glibc)
import Glibc
#endif

/// Prints a session as it happens, readable at a glance like swaks: elapsed time, a direction
/// marker (`->` / `<-`, `~>` / `<~` inside TLS), notes dimmed, errors in red; colour only on a
/// terminal and never with NO_COLOR.
struct TranscriptPrinter {
    var colour: Bool

    static func colourWanted(for fd: Int32) -> Bool {
        let noColor = getenv("NO_COLOR").map { String(cString: $0) } ?? ""
        let term = getenv("TERM").map { String(cString: $0) } ?? ""
        return isatty(fd) == 1 && noColor.isEmpty && term != "dumb"
    }

    func format(_ line: TranscriptLine) -> String {
        let body = "\(line.elapsedText) \(line.marker) \(line.text)"
        guard colour else { return body }
        switch line.speaker {
        case .client: return paint(body, "36")
        case .server: return paint(body, line.text.first == "4" || line.text.first == "5" ? "33" : "32")
        case .note: return paint(body, "2")
        case .error: return paint(body, "1;31")
        }
    }

    func paint(_ text: String, _ code: String) -> String {
        colour ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    /// The closing lines: success with the server's final reply, or the failure explained.
    func summary(_ report: SessionReport, what: String) -> [String] {
        let time = "\(report.elapsed.milliseconds) ms"
        guard let failure = report.failure else {
            var text = "\(what) in \(time)"
            if let reply = report.finalReply { text += ": \(reply)" }
            if !report.rejectedRecipients.isEmpty {
                text += " (refused: " + report.rejectedRecipients.map { "\($0.address) \($0.reply)" }.joined(separator: "; ") + ")"
            }
            return [paint("OK  " + text, "1;32")]
        }
        var lines = [paint("FAILED at \(failure.stage.displayName) after \(time): \(failure.explanation)", "1;31")]
        if let reply = failure.reply { lines.append("  server said: \(reply)") }
        if let code = failure.curlCode, let message = failure.curlMessage { lines.append("  libcurl: \(message) (\(code))") }
        for suggestion in failure.suggestions { lines.append("  try: \(suggestion)") }
        return lines
    }
}

/// Writes to standard output or standard error without buffering surprises.
enum Console {
    static func out(_ text: String) { write(1, text + "\n") }
    static func err(_ text: String) { write(2, text + "\n") }

    static func write(_ fd: Int32, _ text: String) {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n <= 0 { if errno == EINTR { continue }; return }
            offset += n
        }
    }
}
