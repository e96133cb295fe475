import CCurl

/// Everything the C callbacks need, reached through their userdata pointer.
final class TransferContext {
    let request: SessionRequest
    let onEvent: (SessionEvent) -> Void
    let record: SessionRecord
    let stream: MessageStream?
    /// Puts a failure into words; the engine itself only classifies it.
    let explaining: any FailureExplaining
    /// What stopped the transaction, in words, when no reply or libcurl code says it.
    var problem: String?
    /// Name lookup and TCP connect durations from libcurl.
    var networkTimes: (lookup: Duration, connect: Duration)?
    /// Asks the session whether it was cancelled (for the progress callback).
    var cancelled: () -> Bool = { false }
    /// The connection's socket, remembered when libcurl creates it.
    var socket: curl_socket_t = -1
    /// The CURLOPT_RESOLVE list, freed after the handle.
    var resolveList: UnsafeMutablePointer<curl_slist>?
    /// The easy handle, for the connect watch's look at libcurl's timers.
    var easy: UnsafeMutableRawPointer?
    /// Whether the TCP connection was made.
    var networkConnected: Bool {
        var tcp: curl_off_t = 0
        if let easy { mt_getinfo_off(easy, CURLINFO_CONNECT_TIME_T, &tcp) }
        return tcp > 0
    }
    /// Set when the connect limit cut the session.
    private(set) var connectTimedOut = false
    /// The look for implicit TLS on this port, made when no greeting comes.
    let implicitTLSLook = ImplicitTLSLook()

    /// Whether the port turned out to speak implicit TLS while mailtui waited for a greeting: after
    /// `ImplicitTLSLook.after` with none, a TLS handshake is tried on a second connection, so that
    /// STARTTLS against port 465 is diagnosed in seconds, not after the whole reply limit.
    func implicitTLSAnswered() -> Bool {
        guard request.transportSecurity != .tls, request.quitAfter == nil, !record.facts.greetingSeen, let easy else { return false }
        if implicitTLSLook.found { return true }
        var tcp: curl_off_t = 0
        mt_getinfo_off(easy, CURLINFO_CONNECT_TIME_T, &tcp)
        guard tcp > 0, record.now - (record.start + .microseconds(tcp)) > ImplicitTLSLook.after else { return false }
        implicitTLSLook.start(request.settings)
        return false
    }

    /// Whether a TCP connect or a TLS handshake has taken longer than the connect limit. Replies
    /// have their own limit (libcurl's per-reply timeout), whatever the stage.
    func connectLimitPassed() -> Bool {
        guard let easy else { return false }
        var tcp: curl_off_t = 0
        mt_getinfo_off(easy, CURLINFO_CONNECT_TIME_T, &tcp)
        let since = ConnectWatch.connectingSince(start: record.start, tcpConnectedAfter: tcp > 0 ? .microseconds(tcp) : nil,
                                                 implicitTLS: request.transportSecurity == .tls,
                                                 startTLSAcceptedAt: record.facts.startTLSAcceptedAt, handshakeDone: record.tls.handshakeDone)
        guard let since, record.now - since > .milliseconds(request.settings.timeouts.connect.saturatingMilliseconds) else { return false }
        connectTimedOut = true
        return true
    }

    init(request: SessionRequest, onEvent: @escaping (SessionEvent) -> Void, explaining: any FailureExplaining) {
        self.explaining = explaining
        self.request = request
        self.onEvent = onEvent
        if case .send(_, _, let stream) = request.purpose { self.stream = stream } else { self.stream = nil }
        self.record = SessionRecord(
            security: request.transportSecurity,
            credentialsSet: request.logsIn,
            emit: onEvent
        )
    }


    var envelopeFrom: String {
        if case .send(let from, _, _) = request.purpose { return from }
        return ""
    }

    func evidence(curlCode: Int, message: String, cancelled: Bool) -> FailureEvidence {
        var e = FailureEvidence(curlCode: curlCode, curlMessage: message, stage: record.facts.failingStage, settings: request.settings)
        e.malformedLineStage = record.facts.malformedLineStage
        e.lastReply = record.facts.failingReply?.reply
        e.lastReplyStage = record.facts.failingReply?.stage
        e.greetingSeen = record.facts.greetingSeen
        e.extensions = record.facts.extensions
        e.extensionsBeforeTLS = record.facts.extensionsBeforeTLS
        e.rejectedRecipients = record.facts.rejectedRecipients
        if case .send(_, let recipients, _) = request.purpose { e.recipientCount = recipients.count }
        e.messageBytes = stream?.totalSize ?? 0
        e.elapsedInStage = record.facts.elapsedInStage(now: record.now)
        e.cancelled = cancelled
        e.credentialsSet = request.logsIn
        e.authenticated = record.facts.authenticated
        e.envelopeFrom = envelopeFrom
        e.tls = record.tls.tlsInfo
        if let easy {
            var replyBytes = 0
            mt_getinfo_long(easy, CURLINFO_HEADER_SIZE, &replyBytes)
            e.replyBytes = replyBytes
        }
        // A reply mailtui itself stopped reading (after CONNECT_ONLY libcurl does not count it).
        if record.facts.replyTooLong { e.replyBytes = max(e.replyBytes, FailureClassifier.replyByteLimit + 1) }
        return e
    }

    /// nil when libcurl succeeded and nothing else went wrong.
    func failure(curlCode: Int, message: String, cancelled: Bool) -> SessionFailure? {
        if curlCode == 0 && !(request.logsIn && !record.facts.authenticated)
            && !(record.facts.rejectedRecipients.count > 0 && !request.allowPartial)
            && !(request.quitAfter != nil && record.facts.failingReply != nil) {
            return nil
        }
        if curlCode == Int(CURLE_READ_ERROR.rawValue) || curlCode == Int(CURLE_ABORTED_BY_CALLBACK.rawValue), let error = stream?.error {
            return diagnose(evidence(curlCode: FailureClassifier.readError, message: error.description, cancelled: false))
        }
        return diagnose(evidence(curlCode: curlCode, message: message, cancelled: cancelled))
    }

    func diagnose(_ evidence: FailureEvidence) -> SessionFailure {
        var e = evidence
        var (stage, kind, reply) = FailureClassifier.classify(e)
        // A second look answers what the failed session could not: whether the port speaks
        // implicit TLS, and what the certificate says when it failed verification.
        if kind == .noGreeting && request.settings.security != .tls && e.speaksImplicitTLS == nil {
            record.note("no greeting: checking whether this port expects implicit TLS")
            e.speaksImplicitTLS = SecondLook.certificate(request.settings, security: .tls) != nil
            if e.speaksImplicitTLS == true { (stage, kind, reply) = FailureClassifier.classify(e) }
        }
        if [.certificateNameMismatch, .certificateExpired, .certificateUntrusted, .certificateProblem].contains(kind),
           let certificate = SecondLook.certificate(request.settings, security: request.settings.security) {
            record.note("the certificate, read without verifying it: \(certificate.subject ?? "?"), issued by \(certificate.issuer ?? "?"), names \(certificate.names.joined(separator: ", ")), valid until \(certificate.notAfter ?? "?")")
            record.addCertificate(certificate)
            e.tls = record.tls.tlsInfo
        }
        let words = explaining.explain(kind: kind, stage: stage, reply: reply, evidence: e, greeting: record.facts.greeting)
        return SessionFailure(
            stage: stage, kind: kind, reply: reply,
            curlCode: e.curlCode == 0 ? nil : e.curlCode, curlMessage: e.curlMessage.isEmpty ? nil : e.curlMessage,
            rejectedRecipients: record.facts.rejectedRecipients,
            explanation: words.explanation, suggestions: words.suggestions,
            advice: words.advice
        )
    }

    func report(failure: SessionFailure?) -> SessionReport {
        let end = record.now
        return SessionReport(
            failure: failure, finalReply: record.facts.finalReply,
            acceptedRecipients: record.facts.acceptedRecipients, rejectedRecipients: record.facts.rejectedRecipients,
            greeting: record.facts.greeting, extensions: record.facts.extensions, extensionsBeforeTLS: record.facts.extensionsBeforeTLS,
            tls: record.tls.tlsInfo, authenticated: record.facts.authenticated,
            stageTimes: record.facts.stageTimes(until: end), elapsed: record.elapsed,
            messageBytes: record.facts.messageBytes, transcript: record.transcript.lines,
            nameLookup: networkTimes?.lookup, tcpConnect: networkTimes?.connect,
            loginSkipped: request.settings.wantsLogin && request.secret == nil,
            client: CurlRuntime.versions
        )
    }
}
