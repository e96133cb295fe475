import MailCore

/// The conversation a stored message keeps: the session's opening (greeting, EHLO, STARTTLS,
/// AUTH) until the first MAIL FROM, then the lines of each transaction since the last message.
/// Lines are the client's `TranscriptLine`s, each given the stage its command started. Bounded
/// (at most `maxLines` of each, `maxLength` characters a line as `tagged` shows it) and made safe
/// for a terminal as it is written.
struct SessionTranscript: Sendable {
    static let maxLines = 200
    static let maxLength = 300

    private(set) var opening: [TranscriptLine] = []
    /// The lines since the opening closed or the last message was stored.
    private(set) var current: [TranscriptLine] = []
    private var openingClosed = false
    /// The stage of the last client command (the greeting before any).
    private(set) var stage = SMTPStage.greeting

    /// Keeps one line: a command, a reply line, or a note such as `(fault rcpt=close)`.
    mutating func note(_ speaker: Speaker, _ text: String, elapsed: Duration = .zero, inTLS: Bool = false) {
        let safe = TerminalSanitizer.sanitize(text, maxLength: Self.maxLength - TranscriptLine.tag(speaker).count)
        if speaker == .client {
            let started = SMTPStage.of(command: text)
            if let started { stage = started }
            // Decided by the line, not by the session's state: MAIL FROM's reply is noted before
            // the command takes effect, and must follow the command, pipelined or not. Verbs are
            // case-blind (smtplib says `mail FROM:`): else the opening never closes, and each
            // message keeps the session's first 200 lines rather than its own transaction.
            if started == .mail { openingClosed = true }
        }
        let line = TranscriptLine(elapsed: elapsed, speaker: speaker, inTLS: inTLS, stage: stage, text: safe)
        if !openingClosed {
            if opening.count < Self.maxLines { opening.append(line) }
        } else if current.count < Self.maxLines {
            current.append(line)
        }
    }

    /// The lines a message stored now keeps; the next message starts from its opening again.
    mutating func takeForMessage() -> [TranscriptLine] {
        defer { current = [] }
        return opening + current
    }
}
