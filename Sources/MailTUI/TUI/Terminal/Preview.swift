import MailCore

/// The message as F5 would send it (what `send --dry-run` prints): rendered off the UI thread.
enum Preview {
    /// At most this many lines are shown; `send --dry-run` prints the rest.
    static let lineLimit = 2_000

    static func event(for draft: MessageDraft) -> AppEvent {
        let message: Message
        do { message = try draft.validated() } catch {
            var problems: [FieldID: String] = [:]
            for issue in error.issues where problems[FieldID(issue.field)] == nil { problems[FieldID(issue.field)] = issue.message }
            return .previewReady(lines: [], problems: problems)
        }
        let stream = MessageRenderer().render(message)
        var lines: [String] = []
        var structure: [String] = []
        var pending: [UInt8] = []
        var more = 0
        func take(_ line: ArraySlice<UInt8>) {
            let text = String(decoding: line, as: UTF8.self)
            if text.lowercased().hasPrefix("content-type:") { structure.append(String(text.dropFirst(13)).trimmingSpaces) }
            if lines.count < lineLimit { lines.append(text) } else { more += 1 }
        }
        try? stream.forEachChunk { chunk in
            pending += chunk
            var start = pending.startIndex
            while let lf = pending[start...].firstIndex(of: 10) {
                let end = lf > start && pending[lf - 1] == 13 ? lf - 1 : lf
                take(pending[start..<end])
                start = lf + 1
            }
            pending.removeSubrange(..<start)
        }
        if !pending.isEmpty { take(pending[...]) }
        var header = ["Preview: \(ByteCount.human(stream.totalSize)) to \(message.envelopeRecipients.joined(separator: ", "))",
                      "MIME: " + structure.joined(separator: " › "), ""]
        if let error = stream.error { header.append("✗ \(error)") }
        if more > 0 { lines.append("… \(more) more lines (mailtui send --dry-run prints them all)") }
        return .previewReady(lines: header + lines, problems: [:])
    }
}
