import MailCore

/// The conversation a stored message keeps: the session's opening (greeting, EHLO, STARTTLS,
/// AUTH) until the first MAIL FROM, then the lines of each transaction since the last message.
/// Bounded (at most `maxLines` of each, `maxLength` characters a line) and made safe for a
/// terminal as it is written.
struct SessionTranscript: Sendable {
    static let maxLines = 200
    static let maxLength = 300

    private(set) var opening: [String] = []
    /// The lines since the opening closed or the last message was stored.
    private(set) var current: [String] = []
    private var openingClosed = false

    /// Keeps one line: "C: " for the client, "S: " for the server, "(…)" for a note.
    mutating func note(_ line: String) {
        let safe = TerminalSanitizer.sanitize(line, maxLength: Self.maxLength)
        // Decided by the line, not by the session's state: MAIL FROM's reply is noted before the
        // command takes effect, and must follow the command, pipelined or not.
        if line.hasPrefix("C: MAIL") { openingClosed = true }
        if !openingClosed {
            if opening.count < Self.maxLines { opening.append(safe) }
        } else if current.count < Self.maxLines {
            current.append(safe)
        }
    }

    /// The lines a message stored now keeps; the next message starts from its opening again.
    mutating func takeForMessage() -> [String] {
        defer { current = [] }
        return opening + current
    }
}
