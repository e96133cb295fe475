/// A load run's hold on transcript lines: while `holding`, a message's lines wait here, neither
/// kept nor shown, until the message's fate is known. A refused message's lines are released;
/// a delivered one's are dropped, so a run of thousands shows only what went wrong. The buffer
/// keeps its capacity from message to message: no allocation per message.
struct HeldLines {
    var holding = false
    /// The lines held, in order.
    private(set) var lines: [TranscriptLine] = []

    mutating func hold(_ line: TranscriptLine) { lines.append(line) }

    mutating func drop() { lines.removeAll(keepingCapacity: true) }
}
