import MailCore

/// `mailtui send --json`: the conversation as JSON lines, one object per transcript line, then one
/// object for the result, so a script reads every line of standard output with a JSON parser.
/// The `event` key tells them apart, as in `serve --json`.
enum SendJSON {
    /// One transcript line.
    struct Line: Encodable {
        var event = "line"
        /// Seconds since the session started.
        var elapsed: Double
        var speaker: Speaker
        var tls: Bool
        var stage: SMTPStage
        var text: String

        init(_ line: TranscriptLine) {
            let parts = line.elapsed.components
            elapsed = Double(parts.seconds) + Double(parts.attoseconds) / 1e18
            speaker = line.speaker
            tls = line.inTLS
            stage = line.stage
            text = line.text
        }
    }

    /// The end: success with the server's final reply, or the failure explained.
    struct Result: Encodable {
        struct Refused: Encodable {
            var address: String
            var reply: String
        }
        var event = "result"
        var ok: Bool
        /// What was done (`sent to 1 recipient`), as the text output says it.
        var what: String
        /// The stage that failed, or null.
        var stage: SMTPStage?
        var seconds: Double
        var reply: String?
        var accepted: [String]
        var refused: [Refused]
        var explanation: String?
        var suggestions: [String]
        var curl_code: Int?
        var curl_message: String?
        /// The process's exit status (see `mailtui send --help`).
        var exit_status: Int32

        init(_ report: SessionReport, what: String) {
            let parts = report.elapsed.components
            ok = report.failure == nil
            self.what = what
            stage = report.failure?.stage
            seconds = Double(parts.seconds) + Double(parts.attoseconds) / 1e18
            reply = (report.failure?.reply ?? report.finalReply)?.description
            accepted = report.acceptedRecipients
            refused = report.rejectedRecipients.map { Refused(address: $0.address, reply: $0.reply.description) }
            explanation = report.failure?.explanation
            suggestions = report.failure?.suggestions ?? []
            curl_code = report.failure?.curlCode
            curl_message = report.failure?.curlMessage
            exit_status = report.failure.map { ExitStatus(failure: $0).rawValue } ?? ExitStatus.sent.rawValue
        }
    }

    /// One object as one line (keys sorted, nulls kept out by the encoder's optionals).
    static func text(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return "{\"event\":\"error\",\"text\":\"could not encode JSON\"}" }
        return String(decoding: data, as: UTF8.self)
    }
}
