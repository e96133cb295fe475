/// Scrolling the conversation pane. `transcriptTop` nil follows the end, as `tail -f` does.
extension AppState {
    /// A key while the conversation has the focus.
    mutating func updateConversation(_ key: Key) -> [Effect] {
        switch ConversationKeys.table.action(for: key) {
        case .lineUp?: scrollTranscript(by: -1)
        case .lineDown?: scrollTranscript(by: 1)
        case .pageUp?: scrollTranscript(page: -1)
        case .pageDown?: scrollTranscript(page: 1)
        case .top?: transcriptTop = 0
        case .follow?: transcriptTop = nil
        case .nextField?: moveFocus(1)
        case nil: break
        }
        return []
    }

    /// The number of transcript rows on screen.
    var transcriptRows: Int { max(1, Layout(width: width, height: height).transcript.height) }

    private var lastTop: Int { max(0, transcriptLineCount - transcriptRows) }

    /// Transcript lines plus the result block under them.
    var transcriptLineCount: Int { transcript.count + resultLines.count }

    mutating func scrollTranscript(page direction: Int) { scrollTranscript(by: direction * max(1, transcriptRows - 1)) }

    mutating func scrollTranscript(by delta: Int) {
        let top = min(max(0, (transcriptTop ?? lastTop) + delta), lastTop)
        // Scrolling back to the end follows new lines again.
        transcriptTop = top >= lastTop ? nil : top
    }
}
