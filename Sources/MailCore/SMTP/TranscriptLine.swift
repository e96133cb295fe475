/// Who a transcript line comes from.
public enum Speaker: String, Sendable, Codable, Equatable {
    /// A command mailtui sent.
    case client
    /// A reply line from the server.
    case server
    /// mailtui's (and libcurl's) own narration: connecting, TLS facts, a summary of the message sent.
    case note
    /// Something went wrong.
    case error
}

/// One line of the SMTP conversation, already safe to show: credentials redacted and server text
/// sanitised before the line was made.
public struct TranscriptLine: Sendable, Codable, Equatable {
    /// Time since the session started.
    public var elapsed: Duration
    public var speaker: Speaker
    /// Whether the line travelled inside TLS.
    public var inTLS: Bool
    public var stage: SMTPStage
    public var text: String

    public init(elapsed: Duration, speaker: Speaker, inTLS: Bool, stage: SMTPStage, text: String) {
        self.elapsed = elapsed
        self.speaker = speaker
        self.inTLS = inTLS
        self.stage = stage
        self.text = text
    }

    /// swaks-style direction marker: `->` sent, `<-` received, `~>` / `<~` inside TLS, `**` notes.
    public var marker: String {
        switch speaker {
        case .client: inTLS ? "~>" : "->"
        case .server: inTLS ? "<~" : "<-"
        case .note: "  "
        case .error: "!!"
        }
    }

    /// Seconds with millisecond precision, right-aligned, e.g. `  0.012s`.
    public var elapsedText: String {
        let ms = elapsed.milliseconds
        let seconds = ms / 1000
        let fraction = ms % 1000
        let text = "\(seconds).\(fraction < 10 ? "00" : fraction < 100 ? "0" : "")\(fraction)s"
        return String(repeating: " ", count: max(0, 8 - text.count)) + text
    }

    /// The line as plain text: `  0.012s <- 220 mail.example.org ESMTP`.
    public var plainText: String { "\(elapsedText) \(marker) \(text)" }
}
