/// The facts about a failed session that decide what went wrong. Pure data, so that the
/// classification can be tested without a network.
public struct FailureEvidence: Sendable, Equatable {
    public var curlCode: Int
    /// libcurl's error buffer (or `curl_easy_strerror` when empty).
    public var curlMessage: String
    /// The stage the session was in.
    public var stage: SMTPStage
    /// The last complete reply, and the stage of the command it answered.
    public var lastReply: ServerReply?
    public var lastReplyStage: SMTPStage?
    public var greetingSeen: Bool
    public var settings: ServerSettings
    /// EHLO keywords from the last EHLO, and before STARTTLS.
    public var extensions: [String]
    public var extensionsBeforeTLS: [String]?
    public var rejectedRecipients: [RejectedRecipient]
    /// How many recipients the message has: delivering to "the others" means something only
    /// when there are others.
    public var recipientCount = 0
    public var messageBytes: Int
    public var elapsedInStage: Duration
    public var cancelled: Bool
    public var credentialsSet: Bool
    public var authenticated: Bool
    public var envelopeFrom: String = ""
    /// A line that is not an SMTP reply arrived in this stage.
    public var malformedLineStage: SMTPStage?
    /// After no greeting: whether a TLS handshake on the same port worked (nil: not checked).
    public var speaksImplicitTLS: Bool?
    /// How long mailtui waited for a greeting before it tried a TLS handshake on a second
    /// connection (nil: it waited until the reply limit), so that the diagnosis and the
    /// transcript name the same time.
    public var greetingWaited: Duration?
    public var tls: TLSInfo?
    /// Reply bytes libcurl received in the whole session (CURLINFO_HEADER_SIZE).
    public var replyBytes = 0

    public init(curlCode: Int, curlMessage: String, stage: SMTPStage, settings: ServerSettings) {
        self.curlCode = curlCode
        self.curlMessage = curlMessage
        self.stage = stage
        self.settings = settings
        self.greetingSeen = false
        self.extensions = []
        self.rejectedRecipients = []
        self.messageBytes = 0
        self.elapsedInStage = .zero
        self.cancelled = false
        self.credentialsSet = false
        self.authenticated = false
    }

    /// The server's advertised SIZE limit, when it gave one.
    public var advertisedSize: Int? {
        for ext in extensions where ext.uppercased().hasPrefix("SIZE ") {
            if let n = Int(ext.dropFirst(5).trimmingSpaces), n > 0 { return n }
        }
        return nil
    }

    /// AUTH mechanisms offered, uppercased; empty when AUTH was not offered.
    package static func authMechanisms(in extensions: [String]) -> [String] {
        for ext in extensions {
            let words = ext.uppercased().split(whereSeparator: { $0 == " " || $0 == "=" })
            if words.first == "AUTH" { return words.dropFirst().map(String.init) }
        }
        return []
    }
}

/// Decides the stage and kind of a failure from libcurl's code, the server's last reply and what
/// the session saw. libcurl's codes alone are too coarse: 8 covers a 421 greeting and a 554 after
/// DATA, and a wrong password leaves the error buffer empty.
public enum FailureClassifier {
    // libcurl result codes used here (curl/curl.h).
    static let couldntResolveHost = 6, couldntConnect = 7, weirdServerReply = 8, readError = 26
    static let operationTimedOut = 28, sslConnectError = 35, abortedByCallback = 42, sendError = 55, recvError = 56
    static let peerFailedVerification = 60, useSSLFailed = 64, loginDenied = 67, gotNothing = 52
    /// libcurl stops reading replies past this many bytes (MAX_HTTP_RESP_HEADER_SIZE, 300 KiB).
    static let replyByteLimit = 300 * 1024

    public static func classify(_ e: FailureEvidence) -> (stage: SMTPStage, kind: FailureKind, reply: ServerReply?) {
        if e.cancelled { return (e.stage, .cancelled, nil) }
        if e.speaksImplicitTLS == true && !e.greetingSeen && e.settings.security != .tls { return (.tls, .implicitTLSPort, nil) }
        if let stage = e.malformedLineStage, e.curlCode != 0 { return (stage, .malformedReply, nil) }
        let reply = e.lastReply.flatMap { $0.isPositive ? nil : $0 }
        let replyStage = e.lastReplyStage ?? e.stage
        let message = e.curlMessage.lowercased()

        switch e.curlCode {
        case 0:
            if e.credentialsSet && !e.authenticated {
                return (.auth, .authNotOffered, nil)
            }
        case couldntResolveHost:
            return (.connect, .nameLookup, nil)
        case recvError where e.replyBytes > replyByteLimit:
            return (e.stage, .replyTooLong, nil)
        case loginDenied where e.credentialsSet && !e.authenticated && e.lastReplyStage != .auth && e.settings.authMechanism == .auto
                && e.settings.loginWouldBeInTheClear:
            // Only PLAIN or LOGIN offered, and no TLS: the password was not sent.
            return (.auth, .loginInTheClear, nil)
        case loginDenied where e.credentialsSet && !e.authenticated && e.lastReplyStage != .auth:
            // No AUTH was sent: the mechanism asked for is not among those the server offers.
            if let wanted = e.settings.authMechanism.curlLoginOption, !FailureEvidence.authMechanisms(in: e.extensions).contains(wanted) {
                return (.auth, .authMechanismUnsupported, nil)
            }
        case couldntConnect:
            return (.connect, message.contains("timed out") ? .connectTimeout : .connectionRefused, nil)
        case operationTimedOut:
            if e.stage == .connect { return (.connect, .connectTimeout, nil) }
            if e.stage == .tls && e.greetingSeen && e.tls?.version == nil { return (.tls, .tlsHandshake, nil) }
            if !e.greetingSeen {
                return (e.settings.security == .tls && e.stage == .tls ? .tls : .greeting, .noGreeting, nil)
            }
            return (e.stage, .serverTimeout, nil)
        case sslConnectError:
            if message.contains("wrong version number") || message.contains("packet length too long") || message.contains("unexpected eof") && !e.greetingSeen {
                return (.tls, .tlsOnPlainPort, nil)
            }
            return (.tls, .tlsHandshake, nil)
        case peerFailedVerification:
            // OpenSSL's verify result says which, not its message.
            return (.tls, CertificateVerdict(verifyResult: e.tls?.verifyResult ?? -1, verificationFailed: true).failureKind, nil)
        case useSSLFailed:
            // A refusal of STARTTLS itself (454) is not the same as STARTTLS missing from EHLO.
            if let reply, replyStage == .tls { return (.tls, meaning(of: reply, at: .tls, evidence: e).kind, reply) }
            return (.tls, .starttlsNotOffered, reply)
        case abortedByCallback where !e.rejectedRecipients.isEmpty && e.stage == .rcpt:
            return refusedRecipients(e)
        case readError:
            return (.data, .localFileError, nil)
        default:
            break
        }

        if let reply {
            return (replyStage, meaning(of: reply, at: replyStage, evidence: e).kind, reply)
        }
        if e.curlCode == loginDenied { return (.auth, .authFailed, nil) }
        if !e.rejectedRecipients.isEmpty { return refusedRecipients(e) }
        if [recvError, sendError, gotNothing].contains(e.curlCode) {
            if e.settings.security == .tls && !e.greetingSeen && e.stage <= .tls { return (.tls, .tlsHandshake, nil) }
            return (e.stage, .connectionClosed, nil)
        }
        if e.curlCode == weirdServerReply { return (e.stage, .malformedReply, e.lastReply) }
        return (e.stage, .other, e.lastReply)
    }

    /// The recipients' refusal: what the first refused recipient's reply means at RCPT TO (a
    /// relay refusal, greylisting or a blocked address is not an unknown recipient).
    static func refusedRecipients(_ e: FailureEvidence) -> (stage: SMTPStage, kind: FailureKind, reply: ServerReply?) {
        guard let reply = e.rejectedRecipients.first?.reply else { return (.rcpt, .recipientRejected, nil) }
        return (.rcpt, meaning(of: reply, at: .rcpt, evidence: e).kind, reply)
    }

    /// What a negative reply means at the stage it answers: the catalogue's entry when one
    /// matches (it knows the words of real servers), else the kind by code, stage and words.
    public static func meaning(of reply: ServerReply, at stage: SMTPStage, evidence e: FailureEvidence) -> (kind: FailureKind, known: ReplyPattern?) {
        if let known = ReplyCatalogue.match(reply, at: stage) {
            return (known.kind ?? kind(for: reply, at: stage, evidence: e), known)
        }
        return (kind(for: reply, at: stage, evidence: e), nil)
    }

    /// Words that say a login is missing, whatever the code (Haraka answers MAIL with a plain 550).
    static let loginMissingWords = ["authentication required", "authentication is required", "not authenticated", "unauthenticated senders",
                                    "must issue an auth", "must authenticate", "requires authentication"]
    /// Words that say the recipient does not exist, at RCPT or after the message (Yahoo says it after DATA).
    static let unknownRecipientWords = ["user unknown", "unknown user", "no such user", "does not exist", "doesn't have a", "recipient not found",
                                        "invalid recipient", "recipientnotfound"]
    /// Words that say the message is too big.
    static let tooLargeWords = ["too large", "size limit", "too big", "too much mail data", "size exceeds", "exceeds maximum"]

    /// Words that say a line of the message (or of a command) is over the server's limit, as real
    /// servers word it: OpenSMTPD and web.de "Line too long", Exim "message has lines too long" and
    /// "Line length in message or single header exceeds 8192", CommuniGate "message line is too
    /// long", Gmail "Line length exceeded", `mailtui serve` "A line of the message is longer than
    /// 1000 octets" (that one by "longer than" with "line"). Checked before the size words: a
    /// line limit "exceeds" too, and shortening the message would not help.
    static let lineTooLongWords = ["line too long", "lines too long", "line is too long", "line length exceeded", "line length exceeds",
                                   "line length in message", "line length limit", "line exceeds", "lines exceed"]

    /// The kind of a negative reply no catalogue entry knows, by stage, code, enhanced status and words.
    static func kind(for reply: ServerReply, at stage: SMTPStage, evidence e: FailureEvidence) -> FailureKind {
        let status = reply.enhancedStatus ?? ""
        let text = ReplyCatalogue.words(of: reply)
        let says = { (words: [String]) in words.contains { text.contains($0) } }
        if reply.code == 421 && stage <= .greeting { return .greetingRefused }
        if stage == .tls { return .tlsUnavailable }
        if reply.code == 503 { return .badSequence }
        if reply.code == 530 || stage >= .mail && says(loginMissingWords) { return .authRequired }
        if reply.code == 534 || status == "5.7.9" { return .authAppPasswordRequired }
        if reply.code == 538 { return .tlsRequired }
        if reply.code == 535 || status == "5.7.8" { return .authFailed }
        if reply.code == 504 && stage == .auth { return .authMechanismUnsupported }
        if says(lineTooLongWords) || text.contains("longer than") && says([" line ", " lines "]) { return .lineTooLong }
        if reply.code == 552 || status == "5.3.4" || says(tooLargeWords) { return .messageTooLarge }
        if status == "5.5.6" { return .lineTooLong }
        if reply.isTemporaryFailure { return .temporaryFailure }
        if stage >= .rcpt && (status.hasPrefix("5.1.") && status != "5.1.8" && status != "5.1.7" || says(unknownRecipientWords)) { return .recipientRejected }
        switch stage {
        case .connect, .greeting: return .greetingRefused
        case .ehlo: return .ehloRejected
        case .tls: return .tlsUnavailable
        case .auth: return .authFailed
        case .mail: return .senderRejected
        case .rcpt:
            if status == "5.7.1" || text.contains("relay") { return .relayDenied }
            return .recipientRejected
        case .data, .quit: return .messageRejected
        }
    }
}
