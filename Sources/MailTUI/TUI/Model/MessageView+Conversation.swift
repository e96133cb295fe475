import MailCore
import MailServer

extension MessageView {
    /// The Conversation tab: the client's session with mailtui; for a message `relay` passed on,
    /// then mailtui's session with the upstream, its outcome and, when it failed, the diagnosis.
    static func conversation(_ record: StoredMessage) -> [String] {
        var lines = record.transcript.isEmpty ? ["(No conversation was recorded.)"] : record.transcript.map(\.tagged)
        guard let leg = record.relayed else { return lines }
        lines += ["", "Upstream: mailtui to \(leg.server), as `send` records it  \(leg.outcome)"] + leg.transcript.map(\.tagged)
        if let diagnosis = leg.diagnosis { lines.append("Diagnosis: " + diagnosis) }
        return lines
    }
}
