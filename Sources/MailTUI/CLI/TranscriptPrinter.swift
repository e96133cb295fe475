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

    /// One line for the terminal: its text made safe, then coloured.
    func format(_ line: TranscriptLine) -> String {
        let body = Console.safe("\(line.elapsedText) \(line.marker) \(line.text)")
        guard colour else { return body }
        switch line.speaker {
        case .client: return paint(body, "36")
        case .server: return paint(body, line.text.first == "4" || line.text.first == "5" ? "33" : "32")
        case .note: return paint(body, "2")
        case .error: return paint(body, "1;31")
        }
    }

    /// The text made safe, then wrapped in the colour's escape codes (the only ones that reach the terminal).
    func paint(_ text: String, _ code: String) -> String {
        colour ? "\u{1B}[\(code)m\(Console.safe(text))\u{1B}[0m" : Console.safe(text)
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
        if let cause = failure.transportCause { lines.append("  libcurl: \(cause)") }
        for suggestion in failure.suggestions { lines.append("  try: \(suggestion)") }
        return lines.map(Console.safe)
    }
}

/// Writes to standard output or standard error without buffering surprises.
///
/// Everything printed goes through `TerminalSanitizer`, whatever its source (a server, a file name,
/// an option, the history), newlines included: outside text with a line break in it cannot forge a
/// line of its own. Text mailtui made of several lines goes through `outLines`/`errLines`, which
/// keep its breaks and make each line safe; only `outFormatted`, for lines whose escape codes
/// mailtui made itself around text it made safe, prints as it is.
enum Console {
    static func out(_ text: String) { write(1, safe(text) + "\n") }
    static func err(_ text: String) { write(2, safe(text) + "\n") }
    /// Our own text of several lines (help, a list, a report): its line breaks kept, each line made safe.
    static func outLines(_ text: String) { write(1, safeLines(text) + "\n") }
    static func errLines(_ text: String) { write(2, safeLines(text) + "\n") }
    static func outFormatted(_ text: String) { write(1, text + "\n") }
    /// Our own text to standard error as it is (a progress line that redraws itself).
    static func errRaw(_ text: String) { write(2, text) }

    /// A JSON line, with whatever could steer a terminal written as JSON escapes (JSONEncoder
    /// already escapes C0 controls, not DEL, C1 controls or bidirectional overrides).
    static func json(_ text: String) {
        // A line of ASCII (the usual one: JSON escaped its control characters) needs nothing more.
        if text.utf8.allSatisfy({ $0 < 0x7F }) {
            write(1, text + "\n")
            return
        }
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x7F, 0x80...0x9F, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        write(1, out + "\n")
    }

    /// The text as one line made safe: control characters, newlines included, as visible escapes; nothing cut.
    static func safe(_ text: String) -> String {
        TerminalSanitizer.sanitize(text, maxLength: Int.max)
    }

    /// Each line made safe, the line breaks of text mailtui made kept, nothing cut.
    static func safeLines(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { safe(String($0)) }.joined(separator: "\n")
    }

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
