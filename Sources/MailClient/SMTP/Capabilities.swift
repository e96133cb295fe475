/// The extensions an EHLO reply offered, read once when the reply arrives: the lines as the
/// server wrote them (for the report and the diagnosis) and their keywords, so that asking
/// whether PIPELINING or SIZE is offered costs a set look-up, not a scan of every line.
struct Capabilities: Equatable {
    /// `SIZE 1000`, `AUTH PLAIN LOGIN`, ...: the EHLO reply's lines after the first.
    let lines: [String]
    /// The first word of each line, in upper case.
    private let keywords: Set<String>

    init(_ lines: [String] = []) {
        self.lines = lines
        keywords = Set(lines.map { line in line.split(separator: " ").first.map { $0.uppercased() } ?? "" })
    }

    /// From an EHLO reply: every line but the first (the server's name and greeting).
    init(ehlo reply: ServerReply) {
        self.init(Array(reply.lines.dropFirst()))
    }

    /// Whether the extension is offered (`SIZE 1000` offers SIZE); `keyword` is in upper case.
    func offers(_ keyword: String) -> Bool { keywords.contains(keyword) }

    /// The SASL mechanisms offered with AUTH.
    var authMechanisms: [String] { FailureEvidence.authMechanisms(in: lines) }
}
