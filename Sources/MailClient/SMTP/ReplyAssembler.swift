/// Puts a reply together from its lines, each parsed once, as it arrives: a multi-line reply
/// (`250-...`, `250 ...`) becomes one `ServerReply` at its last line. A line that is not a reply
/// line is skipped, as libcurl skips it, and the reply being assembled waits on.
struct ReplyAssembler {
    private var lines: [String] = []

    /// Adds a parsed line with a code; returns the reply it completes, if it is the last line.
    mutating func add(code: Int, isFinal: Bool, text: String) -> ServerReply? {
        lines.append(TerminalSanitizer.sanitize(text))
        guard isFinal else { return nil }
        defer { lines = [] }
        return ServerReply(code: code, lines: lines)
    }
}
