import MailCore

/// A command line, split into its verb and argument, and what the transcript may keep of it.
struct SMTPCommand: Sendable, Equatable {
    /// Upper-cased; empty for an empty line.
    let verb: String
    /// Everything after the verb and one space, as sent.
    let argument: String
    let line: String

    /// The commands this server knows; any other line after an AUTH may be a credential.
    static let verbs: Set<String> = ["EHLO", "HELO", "STARTTLS", "AUTH", "MAIL", "RCPT", "DATA", "BDAT", "RSET", "NOOP", "VRFY", "HELP", "QUIT"]

    init(_ line: String) {
        self.line = line
        verb = line.split(separator: " ", maxSplits: 1).first.map { $0.uppercased() } ?? ""
        argument = line.count > verb.count ? String(line.dropFirst(verb.count + 1)) : ""
    }

    var isKnown: Bool { Self.verbs.contains(verb) }

    /// The line as the transcript keeps it: AUTH's initial response hidden.
    var noted: String {
        guard verb == "AUTH" else { return line }
        let mechanism = argument.split(separator: " ").first.map(String.init) ?? ""
        return "AUTH " + mechanism + (argument.contains(" ") ? " [credentials hidden]" : "")
    }

    /// `FROM:<a@b> SIZE=10` gives `a@b` and `["SIZE=10"]`; `FROM:<>` gives the null sender.
    static func path(_ argument: String, prefix: String) -> (address: String, parameters: [String])? {
        let trimmed = argument.trimmingSpaces
        guard trimmed.uppercased().hasPrefix(prefix) else { return nil }
        let rest = trimmed.dropFirst(prefix.count).trimmingSpaces
        guard rest.hasPrefix("<"), let close = rest.firstIndex(of: ">") else { return nil }
        let address = String(rest[rest.index(after: rest.startIndex)..<close])
        guard !address.contains(where: { $0 == " " || $0 == "<" }) else { return nil }
        let parameters = rest[rest.index(after: close)...].split(separator: " ").map(String.init)
        return (address, parameters)
    }
}
