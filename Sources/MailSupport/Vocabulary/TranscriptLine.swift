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

    /// What comes before the text in `tagged`: `C: ` for the client, `S: ` for the server.
    public static func tag(_ speaker: Speaker) -> String {
        switch speaker {
        case .client: "C: "
        case .server: "S: "
        case .note, .error: ""
        }
    }

    /// The line as the capture server shows a stored conversation: `C: EHLO x`, `S: 250 2.1.0 Ok`,
    /// a note (`(fault rcpt=close)`) as it is.
    public var tagged: String { Self.tag(speaker) + text }

    /// Reads a line in the `tagged` form, which the capture server's records held before they kept
    /// lines as objects: it carries no time nor TLS, and a client line the stage of its command.
    public init(tagged line: String, stage: SMTPStage = .greeting) {
        if line.hasPrefix("C: ") {
            let text = String(line.dropFirst(3))
            self.init(elapsed: .zero, speaker: .client, inTLS: false, stage: SMTPStage.of(command: text) ?? stage, text: text)
        } else if line.hasPrefix("S: ") {
            self.init(elapsed: .zero, speaker: .server, inTLS: false, stage: stage, text: String(line.dropFirst(3)))
        } else {
            self.init(elapsed: .zero, speaker: .note, inTLS: false, stage: stage, text: line)
        }
    }

    private enum CodingKeys: String, CodingKey { case elapsed, speaker, inTLS, stage, text }

    /// `elapsed` is written as seconds (`0.012`), which people and other tools read; the pair of
    /// integers older versions wrote is still read, and so is a line in the `tagged` string form.
    public init(from decoder: any Decoder) throws {
        if let line = try? decoder.singleValueContainer().decode(String.self) {
            self = TranscriptLine(tagged: line)
            return
        }
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if let seconds = try? c.decode(Double.self, forKey: .elapsed) {
            // Rounded: `0.000003` times a million is a hair under 3 in binary.
            elapsed = .microseconds((seconds * 1_000_000).rounded().saturatingInt)
        } else {
            elapsed = try c.decode(Duration.self, forKey: .elapsed)
        }
        speaker = try c.decode(Speaker.self, forKey: .speaker)
        inTLS = try c.decode(Bool.self, forKey: .inTLS)
        stage = try c.decode(SMTPStage.self, forKey: .stage)
        text = try c.decode(String.self, forKey: .text)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(elapsed.inSeconds, forKey: .elapsed)
        try c.encode(speaker, forKey: .speaker)
        try c.encode(inTLS, forKey: .inTLS)
        try c.encode(stage, forKey: .stage)
        try c.encode(text, forKey: .text)
    }
}
