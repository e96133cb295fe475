/// The conversation as a person reads it: one line per protocol line, timed from the start,
/// marked by speaker, stage and TLS, credentials hidden and server text sanitised. It consumes
/// what the session reports and holds no protocol state: the stage and TLS of each line are
/// given by the session facts.
struct Transcript {
    let start: ContinuousClock.Instant
    private let emit: (SessionEvent) -> Void
    private var redactor = Redactor()
    /// The lines kept for the report.
    private(set) var lines: [TranscriptLine] = []
    /// Past this many kept lines, lines are shown (emitted) but not kept for the report: a load
    /// run must not keep every refusal of thousands.
    var keptLineLimit = Int.max
    /// A load run's lines of the message under way.
    var held = HeldLines()

    init(start: ContinuousClock.Instant, emit: @escaping (SessionEvent) -> Void) {
        self.start = start
        self.emit = emit
    }

    /// Whether the client's next line is part of a login exchange (a credential, not a command).
    var inLoginExchange: Bool { redactor.inExchange }

    /// A line the client sent, credentials hidden.
    mutating func client(_ line: String, stage: SMTPStage, inTLS: Bool) {
        append(.client, TerminalSanitizer.sanitize(redactor.client(line)), stage: stage, inTLS: inTLS)
    }

    /// A line from the server, as received (without its line end); its code and whether it ends
    /// a reply tell the redaction when a login is over.
    mutating func server(_ raw: [UInt8], code: Int?, isFinal: Bool, stage: SMTPStage, inTLS: Bool) {
        let text = TerminalSanitizer.sanitize(bytes: raw)
        redactor.server(code: code, isFinalLine: isFinal)
        append(.server, text, stage: stage, inTLS: inTLS)
    }

    /// A note of mailtui's own (or libcurl's narration), shown distinct from what the server said.
    mutating func note(_ text: String, stage: SMTPStage, inTLS: Bool) { append(.note, text, stage: stage, inTLS: inTLS) }

    mutating func error(_ text: String, stage: SMTPStage, inTLS: Bool) { append(.error, text, stage: stage, inTLS: inTLS) }

    private mutating func append(_ speaker: Speaker, _ text: String, stage: SMTPStage, inTLS: Bool) {
        let line = TranscriptLine(elapsed: ContinuousClock.now - start, speaker: speaker, inTLS: inTLS, stage: stage, text: text)
        if held.holding {
            held.hold(line)
            return
        }
        keep(line)
    }

    private mutating func keep(_ line: TranscriptLine) {
        if lines.count < keptLineLimit { lines.append(line) }
        emit(.line(line))
    }

    // MARK: Load runs

    /// Keeps and shows the lines held back.
    mutating func releaseHeld() {
        for line in held.lines { keep(line) }
        held.drop()
    }

    mutating func dropHeld() { held.drop() }
}
