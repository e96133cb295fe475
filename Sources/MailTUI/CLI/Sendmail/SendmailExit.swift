import MailCore

/// `mailtui sendmail`'s exit status: sendmail's own numbers (sysexits.h), which PHP, cron and git
/// already understand, as msmtp uses them. 75 means "try again later"; the other failures will not
/// go better by themselves. Listed in `--help` and the README; they never change meaning.
enum SendmailExit: Int32, CaseIterable {
    case sent = 0
    case usage = 64
    case dataError = 65
    case noUser = 67
    case noHost = 68
    case unavailable = 69
    case software = 70
    case ioError = 74
    case temporary = 75
    case protocolError = 76
    case noPermission = 77
    case configuration = 78

    var meaning: String {
        switch self {
        case .sent: "sent (EX_OK)"
        case .usage: "usage: an unknown flag, an -f that is no address, no recipient (EX_USAGE)"
        case .dataError: "the message: not text, a bad address in it, too large (EX_DATAERR)"
        case .noUser: "a recipient refused for good (EX_NOUSER)"
        case .noHost: "the server's name does not resolve (EX_NOHOST)"
        case .unavailable: "refused for good, or TLS or its certificate failed (EX_UNAVAILABLE)"
        case .software: "internal error (EX_SOFTWARE)"
        case .ioError: "standard input could not be read (EX_IOERR)"
        case .temporary: "temporary: a 4xx, no connection or no answer; try later (EX_TEMPFAIL)"
        case .protocolError: "the server's replies were not SMTP (EX_PROTOCOL)"
        case .noPermission: "login refused: wrong user or password, app password needed (EX_NOPERM)"
        case .configuration: "configuration: no server, bad profile or config, no password (EX_CONFIG)"
        }
    }

    /// The status for a failed session: a 4xx reply is temporary, whatever the stage, unless a
    /// recipient was also refused for good; then the kind of failure decides, then the stage.
    init(failure: SessionFailure) {
        let refused = failure.rejectedRecipients
        if failure.reply?.isTemporaryFailure == true && refused.allSatisfy({ $0.reply.isTemporaryFailure }) {
            self = .temporary
            return
        }
        switch failure.kind {
        case .cancelled, .connectionRefused, .connectTimeout, .noGreeting, .connectionClosed, .serverTimeout, .temporaryFailure:
            self = .temporary
        case .nameLookup:
            self = .noHost
        case .authFailed, .authAppPasswordRequired:
            self = .noPermission
        case .authRequired, .authNotOffered, .authMechanismUnsupported, .loginInTheClear,
             .starttlsNotOffered, .tlsRequired, .implicitTLSPort, .tlsOnPlainPort:
            self = .configuration
        case .tlsUnavailable, .tlsHandshake, .certificateUntrusted, .certificateNameMismatch, .certificateExpired, .certificateProblem:
            self = .unavailable
        case .recipientRejected, .relayDenied:
            // One recipient refused for good is enough: trying again will not deliver to it.
            self = !refused.isEmpty && refused.allSatisfy({ $0.reply.isTemporaryFailure }) ? .temporary : .noUser
        case .messageTooLarge, .lineTooLong:
            self = .dataError
        case .malformedReply, .replyTooLong, .badSequence:
            self = .protocolError
        case .localFileError:
            self = .ioError
        case .greetingRefused, .ehloRejected, .senderRejected, .clientBlocked, .messageRejected, .other:
            self = failure.stage == .rcpt ? .noUser : (failure.reply == nil && failure.kind == .other ? .temporary : .unavailable)
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
