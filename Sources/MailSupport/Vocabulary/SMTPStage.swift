/// The steps of an SMTP session, in order. Every transcript line and every failure belongs to one.
/// The client's failures and the server's faults name the same stages with this one type.
public enum SMTPStage: String, Sendable, Codable, CaseIterable, Comparable {
    case connect
    case greeting
    case ehlo
    case tls
    case auth
    case mail
    case rcpt
    case data
    case quit

    public var displayName: String {
        switch self {
        case .connect: "connect"
        case .greeting: "greeting"
        case .ehlo: "EHLO"
        case .tls: "TLS"
        case .auth: "AUTH"
        case .mail: "MAIL FROM"
        case .rcpt: "RCPT TO"
        case .data: "DATA"
        case .quit: "QUIT"
        }
    }

    /// The word `--fault`, the fault panel and fault records use: `starttls` for `.tls` (what
    /// users type and scripts read), the raw value for the others.
    public var faultWord: String { self == .tls ? "starttls" : rawValue }

    /// Reads a stage by its fault word or its raw value (`starttls` and `tls` alike), any case.
    public init?(faultWord: String) {
        let word = faultWord.lowercased()
        if word == "starttls" { self = .tls } else if let stage = SMTPStage(rawValue: word) { self = stage } else { return nil }
    }

    /// Written as the raw value (`tls`), as the client's JSON always was; `starttls`, the word
    /// fault records write, is read too.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let word = try container.decode(String.self)
        guard let stage = SMTPStage(faultWord: word) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "unknown SMTP stage '\(word)'")
        }
        self = stage
    }

    public static func < (a: SMTPStage, b: SMTPStage) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// The stage a client command starts.
    public static func of(command: String) -> SMTPStage? {
        let verb = command.prefix(while: { $0 != " " && $0 != "\r" && $0 != "\n" }).uppercased()
        switch verb {
        case "EHLO", "HELO": return .ehlo
        case "STARTTLS": return .tls
        case "AUTH": return .auth
        case "MAIL": return .mail
        case "RCPT": return .rcpt
        case "DATA", "BDAT": return .data
        case "QUIT": return .quit
        default: return nil
        }
    }
}
