/// A past send or probe as a report to paste into an issue or a support ticket: the settings, the
/// transcript, the diagnosis, the versions, and the same attempt as swaks and curl commands. No
/// password and no base64 of one: the transcript's login exchange was hidden when it was recorded,
/// and anything a client said during AUTH other than the mechanism is dropped again here.
public enum ShareReport {
    /// The compose screen writes `mailtui-report-<id>.md` in the current directory.
    public static let fileNamePrefix = "mailtui-report-"

    /// The report as Markdown. `mailtui` is mailtui's version line, `client` libcurl's and OpenSSL's.
    public static func render(_ entry: HistoryEntry, mailtui: String, client: String, time: String) -> String {
        let s = entry.settings
        var out: [String] = []
        let outcome = entry.succeeded ? "succeeded" : "failed" + (entry.failureStage.flatMap(SMTPStage.init(rawValue:)).map { " at \($0.displayName)" } ?? "")
        out.append("## mailtui report: \(entry.kind.rawValue) \(outcome)")
        out.append("")
        out.append("Written by `mailtui history show \(entry.id) --share`. It holds no password; check the addresses before posting it.")
        out.append("")
        out.append("### Settings")
        out.append("- server: `\(s.host):\(s.effectivePort)`, \(s.security.displayName)" + (s.connectAddress.map { ", connected to \($0)" } ?? ""))
        out.append("- certificate: " + (s.security == .none ? "no TLS" : s.verifyCertificate ? "verified" + (s.caFile.map { " against \($0)" } ?? " against the system's CAs") : "NOT verified (--insecure)"))
        let chosen = s.authMechanism == .auto ? usedMechanism(entry.transcript).map { " (libcurl chose \($0.rawValue))" } ?? "" : ""
        out.append("- login: " + (s.username.map { "`\($0)` with \(s.authMechanism.rawValue)" + chosen } ?? "none"))
        out.append("- EHLO name: \(s.heloName ?? "this machine's name"); limits: connect \(s.timeouts.connect.plainText) s, each reply \(s.timeouts.response.plainText) s")
        if let draft = entry.draft {
            out.append("- from `\(draft.from)` to \(entry.recipients.map { "`\($0)`" }.joined(separator: ", ")); subject \"\(draft.subject)\"")
        }
        if let provider = Provider.recognise(host: s.host) { out.append("- provider: \(provider.name)") }
        out.append("- when: \(time)")
        out.append("")
        out.append("### Result")
        out.append(entry.succeeded ? "OK: \(entry.result)" : "FAILED: \(entry.result)")
        if let faults = entry.faults, !faults.isEmpty {
            out.append("")
            out.append((entry.succeeded ? "Faults were" : "This failure was injected: faults were") + " in force on mailtui's own test server, which answers as they say: "
                       + faults.map { "`\($0)`" }.joined(separator: ", ") + ". No real server refused anything.")
        }
        if let explanation = entry.explanation {
            out.append("")
            out.append(explanation)
        }
        for suggestion in entry.suggestions { out.append("- try: \(suggestion)") }
        out.append("")
        out.append("### Transcript")
        out.append("```")
        // One line each, whatever the history file holds: a line break cannot end the code block.
        out += safeTranscript(entry.transcript).map { TerminalSanitizer.sanitize($0.plainText, maxLength: Int.max) }
        out.append("```")
        out.append("")
        out.append("### Versions")
        out.append("- \(mailtui)")
        out.append("- \(client)")
        out.append("")
        out.append("### The same with other tools")
        out.append("```sh")
        let sender = entry.draft?.from
        // The same login as the send: with "auto", the mechanism libcurl chose, read from the transcript.
        var same = s
        if same.authMechanism == .auto, let used = usedMechanism(entry.transcript) { same.authMechanism = used }
        for format in [SettingsExport.Format.swaks, .curl] {
            var text = SettingsExport.render(format, settings: same, sender: sender, passwordSource: nil)
            if !entry.recipients.isEmpty {
                let quoted = entry.recipients.map { SettingsExport.shellQuote($0) }
                text = text.replacing("--to RECIPIENT@example.com", with: "--to " + SettingsExport.shellQuote(entry.recipients.joined(separator: ",")))
                    .replacing("--mail-rcpt RECIPIENT@example.com", with: quoted.map { "--mail-rcpt \($0)" }.joined(separator: " "))
            }
            out.append(text.hasSuffix("\n") ? String(text.dropLast()) : text)
        }
        out.append("```")
        return out.joined(separator: "\n") + "\n"
    }

    /// The mechanism of the transcript's `AUTH` command (`AUTH CRAM-MD5`), if it had one.
    static func usedMechanism(_ lines: [TranscriptLine]) -> AuthMechanism? {
        for line in lines where line.speaker == .client && line.stage == .auth {
            let words = line.text.split(separator: " ")
            guard words.count >= 2, words[0].uppercased() == "AUTH" else { continue }
            return AuthMechanism(rawValue: words[1].lowercased())
        }
        return nil
    }

    /// The transcript with nothing but the mechanism kept of what the client said during AUTH.
    static func safeTranscript(_ lines: [TranscriptLine]) -> [TranscriptLine] {
        lines.map { line in
            guard line.speaker == .client, line.stage == .auth else { return line }
            let words = line.text.split(separator: " ")
            var safe = line
            if words.first?.uppercased() == "AUTH" {
                safe.text = words.prefix(2).joined(separator: " ") + (words.count > 2 ? " " + Redactor.placeholder : "")
            } else {
                safe.text = Redactor.placeholder
            }
            return safe
        }
    }
}
