/// What went wrong, precisely enough to explain it and to choose an exit status.
public enum FailureKind: String, Sendable, Codable, Equatable, CaseIterable {
    case nameLookup
    case connectionRefused
    case connectTimeout
    /// Connected, but no greeting arrived in time (often: STARTTLS or plain against an implicit-TLS port).
    case noGreeting
    /// 421 or another refusal instead of a greeting.
    case greetingRefused
    case ehloRejected
    case starttlsNotOffered
    /// STARTTLS was offered, but the server refused to start TLS when asked (454).
    case tlsUnavailable
    /// The server wants STARTTLS before it takes mail, and the connection is plain.
    case tlsRequired
    /// No greeting, and a TLS handshake on the same port works: the port speaks implicit TLS.
    case implicitTLSPort
    /// Implicit TLS against a server that speaks plain SMTP on that port.
    case tlsOnPlainPort
    case tlsHandshake
    case certificateUntrusted
    case certificateNameMismatch
    case certificateExpired
    case certificateProblem
    /// Credentials were set, but the server offered no AUTH (or only after STARTTLS).
    case authNotOffered
    case authMechanismUnsupported
    /// Only PLAIN or LOGIN offered on a connection without TLS to another machine: not tried.
    case loginInTheClear
    case authFailed
    case authAppPasswordRequired
    case authRequired
    case senderRejected
    case relayDenied
    case recipientRejected
    /// The server refused this machine's address: a block list, no reverse DNS, its access rules.
    case clientBlocked
    /// 503: the server wanted another command first (an earlier one was refused or skipped).
    case badSequence
    case temporaryFailure
    case messageTooLarge
    case lineTooLong
    case messageRejected
    case connectionClosed
    case serverTimeout
    case malformedReply
    /// The server's replies grew past what libcurl accepts (300 KiB): not how an SMTP server talks.
    case replyTooLong
    case localFileError
    case cancelled
    case other
}

extension FailureKind {
    /// The kind in a few words, for lists a person reads (the history, auto-detect's table).
    public var words: String {
        switch self {
        case .nameLookup: "the host name does not resolve"
        case .connectionRefused: "nothing listens on that port"
        case .connectTimeout: "no answer to the connection"
        case .noGreeting: "connected, but no greeting"
        case .greetingRefused: "the server refused the session"
        case .ehloRejected: "EHLO refused"
        case .starttlsNotOffered: "STARTTLS not offered"
        case .tlsUnavailable: "STARTTLS refused by the server"
        case .tlsRequired: "the server requires STARTTLS first"
        case .implicitTLSPort: "this port speaks implicit TLS"
        case .tlsOnPlainPort: "plain SMTP on this port, not TLS"
        case .tlsHandshake: "the TLS handshake failed"
        case .certificateUntrusted: "certificate not trusted"
        case .certificateNameMismatch: "certificate for another name"
        case .certificateExpired: "certificate expired"
        case .certificateProblem: "certificate problem"
        case .authNotOffered: "no login offered"
        case .authMechanismUnsupported: "login mechanism not offered"
        case .loginInTheClear: "no login in the clear"
        case .authFailed: "username or password refused"
        case .authAppPasswordRequired: "an app password is needed"
        case .authRequired: "a login is required"
        case .senderRejected: "sender refused"
        case .relayDenied: "relaying denied"
        case .recipientRejected: "recipient refused"
        case .clientBlocked: "this machine's address is refused"
        case .badSequence: "commands out of order for the server"
        case .temporaryFailure: "temporary failure, try later"
        case .messageTooLarge: "message too large"
        case .lineTooLong: "a line too long for the server"
        case .messageRejected: "message refused"
        case .connectionClosed: "the server closed the connection"
        case .serverTimeout: "the server stopped answering"
        case .malformedReply: "a reply that is not SMTP"
        case .replyTooLong: "a reply far too long"
        case .localFileError: "a local file could not be read"
        case .cancelled: "cancelled"
        case .other: "failed"
        }
    }
}

/// Why a session failed: the stage, the kind, the server's words, libcurl's, and the explanation.
public struct SessionFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public var stage: SMTPStage
    public var kind: FailureKind
    /// The server's reply that failed the stage, when there was one.
    public var reply: ServerReply?
    /// libcurl's result code and message, when libcurl reported the failure.
    public var curlCode: Int?
    public var curlMessage: String?
    /// Recipients the server refused.
    public var rejectedRecipients: [RejectedRecipient] = []
    /// What happened, in plain words.
    public var explanation: String
    /// What to change, most likely first; names mailtui's setting and the Flask-Mail key where one applies.
    public var suggestions: [String]
    /// The reply catalogue's entry whose words these are (`starttls-first`), or nil for the
    /// kind's own words: what tests and `--json` name the advice by.
    public var advice: String? = nil

    package init(stage: SMTPStage, kind: FailureKind, reply: ServerReply? = nil, curlCode: Int? = nil, curlMessage: String? = nil,
                 rejectedRecipients: [RejectedRecipient] = [], explanation: String, suggestions: [String], advice: String? = nil) {
        self.stage = stage
        self.kind = kind
        self.reply = reply
        self.curlCode = curlCode
        self.curlMessage = curlMessage
        self.rejectedRecipients = rejectedRecipients
        self.explanation = explanation
        self.suggestions = suggestions
        self.advice = advice
    }

    /// libcurl's words, when they are the cause: a server's reply (a 530, a 552) explains a
    /// failure better than the "Failed sending data to the peer (55)" that libcurl says after it.
    public var transportCause: String? {
        guard reply == nil, let curlCode, let curlMessage else { return nil }
        return "\(curlMessage) (\(curlCode))"
    }

    public var description: String {
        var text = "failed at \(stage.displayName): \(explanation)"
        if let reply { text += "\n  server said: \(reply)" }
        return text
    }
}
