import MailCore

/// The process exit status for each way a command can end. Scripts rely on these numbers: they are
/// listed in `--help` and the README, and never change meaning.
enum ExitStatus: Int32, CaseIterable {
    case sent = 0
    case internalError = 1
    case badInput = 2
    case connect = 3
    case greeting = 4
    case ehlo = 5
    case tls = 6
    case auth = 7
    case mailFrom = 8
    case rcpt = 9
    case data = 10
    case timeout = 11
    case domainProblems = 12
    case domainNotChecked = 13
    case cancelled = 130

    var meaning: String {
        switch self {
        case .sent: "success"
        case .internalError: "internal error"
        case .badInput: "bad input: options, addresses, headers, files (nothing was sent)"
        case .connect: "connect failed: name lookup, refused, unreachable"
        case .greeting: "greeting refused or connection closed before it"
        case .ehlo: "EHLO refused"
        case .tls: "TLS: STARTTLS not offered, handshake or certificate failed"
        case .auth: "AUTH: login refused, not offered, or not possible"
        case .mailFrom: "MAIL FROM: sender refused"
        case .rcpt: "RCPT TO: a recipient refused"
        case .data: "DATA: message refused or failed during transfer"
        case .timeout: "timeout: no connection, greeting or reply in time"
        case .domainProblems: "check-domain or check-message found a problem (MX, SPF, DKIM, DMARC, reverse DNS; bulk rules, spam, HTML)"
        case .domainNotChecked: "check-domain could not check (DNS did not answer, said NXDOMAIN for everything, or the time ran out) and found no problem"
        case .cancelled: "cancelled (Ctrl-C)"
        }
    }

    /// The status for a failed session.
    init(failure: SessionFailure) {
        switch failure.kind {
        case .cancelled: self = .cancelled
        case .connectTimeout, .noGreeting, .serverTimeout: self = .timeout
        case .localFileError: self = .data
        default: self.init(stage: failure.stage)
        }
    }

    /// The status for a failure at a stage (a refused message of a load run).
    init(stage: SMTPStage) {
            switch stage {
            case .connect: self = .connect
            case .greeting: self = .greeting
            case .ehlo: self = .ehlo
            case .tls: self = .tls
            case .auth: self = .auth
            case .mail: self = .mailFrom
            case .rcpt: self = .rcpt
            case .data, .quit: self = .data
            }
    }

    /// The table for `--help` and the README.
    static var table: String {
        allCases.map { status in
            let code = String(status.rawValue)
            return String(repeating: " ", count: 4 - code.count) + code + "  " + status.meaning
        }.joined(separator: "\n")
    }
}
