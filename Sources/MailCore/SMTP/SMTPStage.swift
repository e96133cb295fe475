/// The steps of an SMTP session, in order. Every transcript line and every failure belongs to one.
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

    public static func < (a: SMTPStage, b: SMTPStage) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// The stage a client command starts.
    static func of(command: String) -> SMTPStage? {
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
