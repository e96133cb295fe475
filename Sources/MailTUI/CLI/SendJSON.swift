import MailCore

/// `mailtui send --json`: the conversation as JSON lines, one object per
/// transcript line (`event: line`, the line's own keys as the store's records write them), then
/// one object for the result, so a script reads every line of standard output with a JSON parser.
/// The `event` key tells them apart, as in `serve --json`. Fields: docs/json.md.
enum SendJSON {
    /// One transcript line: `elapsed` (seconds), `speaker`, `inTLS`, `stage`, `text`.
    static func line(_ line: TranscriptLine) -> String {
        JSONLine.text(JSONLine.Event(event: "line", body: line))
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
        /// The stage that failed; absent on success.
        var stage: SMTPStage?
        var seconds: Double
        var reply: String?
        var accepted: [String]
        var refused: [Refused]
        var explanation: String?
        var suggestions: [String]
        var curlCode: Int?
        var curlMessage: String?
        /// The process's exit status (see `mailtui send --help`).
        var exitStatus: Int32

        init(_ report: SessionReport, what: String) {
            ok = report.failure == nil
            self.what = what
            stage = report.failure?.stage
            seconds = report.elapsed.inSeconds
            reply = (report.failure?.reply ?? report.finalReply)?.description
            accepted = report.acceptedRecipients
            refused = report.rejectedRecipients.map { Refused(address: $0.address, reply: $0.reply.description) }
            explanation = report.failure?.explanation
            suggestions = report.failure?.suggestions ?? []
            curlCode = report.failure?.curlCode
            curlMessage = report.failure?.curlMessage
            exitStatus = report.failure.map { ExitStatus(failure: $0).rawValue } ?? ExitStatus.sent.rawValue
        }
    }
}
