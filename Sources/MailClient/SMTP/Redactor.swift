/// Hides credentials in the client's side of the conversation. From an `AUTH` command until the
/// server's final verdict on the login (235, or a 4xx/5xx reply), everything mailtui sends is
/// replaced by a fixed placeholder: AUTH PLAIN with or without an initial response, AUTH LOGIN's
/// user and password lines, CRAM-MD5's answer and XOAUTH2's token alike. Never base64, never a length.
///
/// It fails closed: a line from the server that is not a reply, a 334 challenge, a continuation line
/// or any other code keeps the exchange open, so an odd server can only make mailtui hide too much.
public struct Redactor: Sendable, Equatable {
    /// What a credential looks like in every transcript.
    public static let placeholder = "[credentials hidden]"

    /// True between an AUTH command and the end of its exchange.
    public private(set) var inExchange = false

    public init() {}

    /// The line to show for a command the client sent.
    public mutating func client(_ line: String) -> String {
        if inExchange { return Self.placeholder }
        // Most lines (MAIL, RCPT, DATA, a load run's thousands) cannot be an AUTH: no splitting.
        guard Self.mayStartAuth(line) else { return line }
        let words = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
        if let verb = words.first, verb.uppercased() == "AUTH" {
            inExchange = true
            let mechanism = words.count > 1 ? " " + words[1].uppercased() : ""
            return "AUTH" + mechanism + (words.count > 2 ? " " + Self.placeholder : "")
        }
        return line
    }

    /// Whether the line's first word could be AUTH (in any case), judged on its bytes.
    static func mayStartAuth(_ line: String) -> Bool {
        var bytes = line.utf8.drop { $0 == 32 }.makeIterator()
        for expected in "auth".utf8 {
            guard let byte = bytes.next(), byte | 0x20 == expected else { return false }
        }
        return true
    }

    /// Follows the server's replies: only the login's verdict ends the exchange.
    public mutating func server(code: Int?, isFinalLine: Bool) {
        guard inExchange, isFinalLine, let code else { return }
        if code == 235 || (400..<600).contains(code) { inExchange = false }
    }
}
