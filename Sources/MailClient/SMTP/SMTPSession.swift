import CCurl
import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// One SMTP session. libcurl (CONNECT_ONLY) does what it does best: the TCP connect, the greeting,
/// EHLO, STARTTLS, certificate verification and the SASL login; then `MailTransaction` speaks the
/// mail transaction over the same connection. `run` blocks and reports events as they happen
/// (callers that must not block run it on a thread of their own). `cancel` ends it at once while
/// mailtui speaks (a wake pipe in every poll), and within libcurl's progress tick while libcurl connects.
public final class SMTPSession: Sendable {
    private struct Control {
        var cancelled = false
        /// The write end of the running session's wake pipe.
        var wake: Int32 = -1
    }
    private let control = Mutex(Control())
    /// Puts a failure into words; the engine itself only classifies it.
    private let explaining: any FailureExplaining

    public init(explaining: any FailureExplaining) {
        self.explaining = explaining
    }

    /// Stops the session as soon as possible; the report then says `cancelled`.
    public func cancel() {
        control.withLock { state in
            state.cancelled = true
            if state.wake >= 0 {
                var byte: UInt8 = 1
                _ = write(state.wake, &byte, 1)
            }
        }
    }

    public var isCancelled: Bool { control.withLock { $0.cancelled } }

    /// Runs the session on this thread and returns its report (also sent as `.finished`).
    @discardableResult
    public func run(_ request: SessionRequest, onEvent: @escaping (SessionEvent) -> Void) -> SessionReport {
        CurlRuntime.initialize()
        var request = request
        if let signer = request.signer, case .send(let from, let recipients, let stream) = request.purpose {
            // The body hash needs one read of the whole message: done here, off the UI thread.
            do {
                request.purpose = .send(envelopeFrom: from, recipients: recipients, message: try signer.sign(stream, time: Int(time(nil))))
            } catch {
                let failure = SessionFailure(stage: .connect, kind: .localFileError, explanation: "The message could not be read to sign it with DKIM: \(error).",
                                             suggestions: ["Check that the attachments still exist and are readable."])
                let report = TransferContext(request: request, onEvent: onEvent, explaining: explaining).report(failure: failure)
                onEvent(.finished(report))
                return report
            }
        }
        let context = TransferContext(request: request, onEvent: onEvent, explaining: explaining)
        let report = withExtendedLifetime(context) { perform(context) }
        onEvent(.finished(report))
        return report
    }

    // MARK: The transfer

    private func perform(_ context: TransferContext) -> SessionReport {
        let request = context.request
        let recorder = context.recorder
        guard let easy = curl_easy_init() else {
            return context.report(failure: context.failure(curlCode: -1, message: "libcurl could not be initialised", cancelled: false))
        }
        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        let wakePipe = PipeEnds(nonBlocking: true)
        defer {
            control.withLock { $0.wake = -1 }
            wakePipe?.closeBoth()
            // mailtui said QUIT itself: libcurl's own QUIT at cleanup must neither show nor wait.
            mt_setopt_long(easy, CURLOPT_VERBOSE, 0)
            if context.socket >= 0 { shutdown(context.socket, Int32(SHUT_RDWR)) }
            curl_easy_cleanup(easy)
            curl_slist_free_all(context.resolveList)
            errorBuffer.deallocate()
        }

        context.easy = easy
        configure(easy, request: request, context: context, errorBuffer: errorBuffer)
        let alreadyCancelled = control.withLock { state -> Bool in
            state.wake = wakePipe?.write ?? -1
            return state.cancelled
        }

        let (result, stopped) = alreadyCancelled ? (CURLE_OK, true) : connect(easy, context: context)
        if request.transportSecurity != .none {
            var verifyResult = 0
            if mt_getinfo_long(easy, CURLINFO_SSL_VERIFYRESULT, &verifyResult) == CURLE_OK { recorder.setVerifyResult(verifyResult) }
        }

        if stopped {
            // libcurl's cleanup would otherwise say QUIT and wait for the answer of a server that
            // may never answer: the connection is cut instead.
            if context.socket >= 0 { shutdown(context.socket, Int32(SHUT_RDWR)) }
            let cancelled = isCancelled
            if cancelled { recorder.error("cancelled") }
            var message = ""
            let implicitTLS = !cancelled && context.implicitTLSLook.found
            if implicitTLS {
                message = "no greeting after \(Int(ImplicitTLSLook.after.components.seconds)) s, and a TLS handshake on a second connection to this port works"
                recorder.note(message)
            } else if result == CURLE_OPERATION_TIMEDOUT {
                let what = context.networkConnected ? "no TLS handshake" : "no TCP connection"
                message = "\(what) within \(request.settings.timeouts.connect.plainText) s"
                recorder.error(message)
            }
            var evidence = context.evidence(curlCode: cancelled ? FailureClassifier.abortedByCallback : Int(result.rawValue), message: message, cancelled: cancelled)
            if implicitTLS {
                evidence.speaksImplicitTLS = true
                evidence.greetingWaited = ImplicitTLSLook.after
            }
            let failure = context.diagnose(evidence)
            if !cancelled { recorder.note("client: mailtui over \(CurlRuntime.versions)") }
            return context.report(failure: failure)
        }
        collectCertificate(easy, recorder: recorder)
        if case .probe = request.purpose, !request.settings.verifyCertificate, result == CURLE_OK, let verdict = SecondLook.verdict(request.settings) {
            recorder.setVerificationWouldSay(verdict.words)
        }
        var lookup: curl_off_t = 0, connected: curl_off_t = 0
        mt_getinfo_off(easy, CURLINFO_NAMELOOKUP_TIME_T, &lookup)
        mt_getinfo_off(easy, CURLINFO_CONNECT_TIME_T, &connected)
        if connected > 0 {
            context.networkTimes = (.microseconds(Int(lookup)), .microseconds(Int(connected - lookup)))
        }
        var code = Int(result.rawValue)
        if result == CURLE_OK {
            let t = request.settings.timeouts
            let connection = Connection(easy: easy, recorder: recorder, wake: wakePipe?.read ?? -1, replyLimit: .milliseconds(t.response.saturatingMilliseconds),
                                        deadline: recorder.start + .milliseconds(t.total.saturatingMilliseconds), isCancelled: { [weak self] in self?.isCancelled ?? false })
            code = MailTransaction(connection: connection, context: context).run()
        }
        let cancelled = isCancelled && code == FailureClassifier.abortedByCallback
        if cancelled { recorder.error("cancelled") }
        let message = context.problem ?? (errorBuffer.pointee != 0 ? String(cString: errorBuffer) : String(cString: curl_easy_strerror(CURLcode(rawValue: UInt32(code)))))
        let failure = context.failure(curlCode: code, message: message, cancelled: cancelled)
        if let failure, !cancelled {
            // The reply is in the transcript just above, and the diagnosis quotes it: name the kind here.
            recorder.error("failed at \(failure.stage.displayName): \(failure.kind.words)")
            recorder.note("client: mailtui over \(CurlRuntime.versions)")
        }
        return context.report(failure: failure)
    }

    /// libcurl's part: connect, greet, EHLO, STARTTLS, log in (CONNECT_ONLY), blocking, ended early
    /// through the progress callback by a cancel or by the connect limit.
    private func connect(_ easy: UnsafeMutableRawPointer, context: TransferContext) -> (CURLcode, stopped: Bool) {
        mt_setopt_long(easy, CURLOPT_NOPROGRESS, 0)
        mt_setopt_xferinfofunction(easy, progressCallback)
        mt_setopt_pointer(easy, CURLOPT_XFERINFODATA, Unmanaged.passUnretained(context).toOpaque())
        context.cancelled = { [weak self] in self?.isCancelled ?? false }
        let result = curl_easy_perform(easy)
        if result == CURLE_ABORTED_BY_CALLBACK && (context.connectTimedOut || context.implicitTLSLook.found) { return (CURLE_OPERATION_TIMEDOUT, true) }
        return (result, result == CURLE_ABORTED_BY_CALLBACK && isCancelled)
    }

    private func configure(_ easy: UnsafeMutableRawPointer, request: SessionRequest, context: TransferContext,
                           errorBuffer: UnsafeMutablePointer<CChar>) {
        let s = request.settings
        let me = Unmanaged.passUnretained(context).toOpaque()
        mt_setopt_string(easy, CURLOPT_URL, Self.url(for: s, quitAfter: request.quitAfter))
        context.resolveList = CurlResolve.apply(easy, s)
        mt_setopt_pointer(easy, CURLOPT_ERRORBUFFER, errorBuffer)
        mt_setopt_long(easy, CURLOPT_NOSIGNAL, 1)
        // libcurl connects, secures and logs in; mailtui speaks the rest (MailTransaction).
        mt_setopt_long(easy, CURLOPT_CONNECT_ONLY, 1)
        mt_setopt_long(easy, CURLOPT_VERBOSE, 1)
        mt_setopt_debugfunction(easy, debugCallback)
        mt_setopt_pointer(easy, CURLOPT_DEBUGDATA, me)
        mt_setopt_sockoptfunction(easy, socketCallback)
        mt_setopt_pointer(easy, CURLOPT_SOCKOPTDATA, me)
        // libcurl's connect timeout runs from the first byte to the end of AUTH, greeting and EHLO
        // included; mailtui wants it for the TCP connect and the TLS handshakes only, and a reply
        // limit per reply. So libcurl's is a backstop, and ConnectWatch enforces the real one.
        let t = s.timeouts
        mt_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, (t.connect * 2 + t.response * 8).saturatingMilliseconds)
        mt_setopt_long(easy, CURLOPT_TIMEOUT_MS, t.total.saturatingMilliseconds)
        mt_setopt_long(easy, CURLOPT_SERVER_RESPONSE_TIMEOUT, max(1, t.response.rounded(.up).saturatingInt))

        CurlTLS.apply(easy, s, security: request.transportSecurity)

        if request.logsIn, let secret = request.secret {
            mt_setopt_string(easy, CURLOPT_USERNAME, s.username!)
            if s.authMechanism == .xoauth2 {
                mt_setopt_string(easy, CURLOPT_XOAUTH2_BEARER, secret.value)
            } else {
                mt_setopt_string(easy, CURLOPT_PASSWORD, secret.value)
            }
            if let mechanism = s.authMechanism.curlLoginOption {
                mt_setopt_string(easy, CURLOPT_LOGIN_OPTIONS, "AUTH=\(mechanism)")
                if let warning = s.clearTextLoginWarning { context.recorder.note("warning: " + warning) }
            } else if s.loginWouldBeInTheClear {
                // Only mechanisms that never send the password itself.
                mt_setopt_string(easy, CURLOPT_LOGIN_OPTIONS, "AUTH=CRAM-MD5;AUTH=DIGEST-MD5")
                context.recorder.note("no TLS to \(s.host): --auth auto will not send the password in the clear (PLAIN and LOGIN are left out)")
            }
            mt_setopt_long(easy, CURLOPT_SASL_IR, 1)
        }
    }

    /// `smtp://host:port/ehlo-name` or `smtps://...`; libcurl takes the EHLO name from the path.
    /// A session that stops after the connect or the greeting must not say EHLO: libcurl then
    /// opens a bare connection, `telnet://` (TCP only) or `https://` (TCP and TLS, no request).
    static func url(for s: ServerSettings, quitAfter: SMTPStage? = nil) -> String {
        let host = s.host.contains(":") && !s.host.hasPrefix("[") ? "[\(s.host)]" : s.host
        if let quitAfter, quitAfter <= .greeting {
            return "\(s.security == .tls ? "https" : "telnet")://\(host):\(s.effectivePort)"
        }
        let scheme = s.security == .tls ? "smtps" : "smtp"
        return "\(scheme)://\(host):\(s.effectivePort)/\(s.heloName.flatMap { $0.isEmpty ? nil : $0 } ?? LocalHost.name)"
    }

    /// Reads the leaf certificate's facts (CERTINFO) after a TLS session.
    private func collectCertificate(_ easy: UnsafeMutableRawPointer, recorder: TranscriptRecorder) {
        guard let certificate = CertificateFacts.read(easy) else { return }
        recorder.addCertificate(subject: certificate.subject, issuer: certificate.issuer, notBefore: certificate.notBefore,
                                notAfter: certificate.notAfter, names: certificate.names)
    }
}

/// Everything the C callbacks need, reached through their userdata pointer.
final class TransferContext {
    let request: SessionRequest
    let onEvent: (SessionEvent) -> Void
    let recorder: TranscriptRecorder
    let stream: MessageStream?
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
        guard request.transportSecurity != .tls, request.quitAfter == nil, !recorder.greetingSeen, let easy else { return false }
        if implicitTLSLook.found { return true }
        var tcp: curl_off_t = 0
        mt_getinfo_off(easy, CURLINFO_CONNECT_TIME_T, &tcp)
        guard tcp > 0, recorder.now - (recorder.start + .microseconds(tcp)) > ImplicitTLSLook.after else { return false }
        implicitTLSLook.start(request.settings)
        return false
    }

    /// Whether a TCP connect or a TLS handshake has taken longer than the connect limit. Replies
    /// have their own limit (libcurl's per-reply timeout), whatever the stage.
    func connectLimitPassed() -> Bool {
        guard let easy else { return false }
        var tcp: curl_off_t = 0
        mt_getinfo_off(easy, CURLINFO_CONNECT_TIME_T, &tcp)
        let since = ConnectWatch.connectingSince(start: recorder.start, tcpConnectedAfter: tcp > 0 ? .microseconds(tcp) : nil,
                                                 implicitTLS: request.transportSecurity == .tls,
                                                 startTLSAcceptedAt: recorder.startTLSAcceptedAt, handshakeDone: recorder.tls.version != nil)
        guard let since, recorder.now - since > .milliseconds(request.settings.timeouts.connect.saturatingMilliseconds) else { return false }
        connectTimedOut = true
        return true
    }

    init(request: SessionRequest, onEvent: @escaping (SessionEvent) -> Void, explaining: any FailureExplaining) {
        self.request = request
        self.onEvent = onEvent
        self.explaining = explaining
        if case .send(_, _, let stream) = request.purpose { self.stream = stream } else { self.stream = nil }
        self.recorder = TranscriptRecorder(
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
        var e = FailureEvidence(curlCode: curlCode, curlMessage: message, stage: recorder.failingStage, settings: request.settings)
        e.malformedLineStage = recorder.malformedLineStage
        e.lastReply = recorder.failingReply?.reply
        e.lastReplyStage = recorder.failingReply?.stage
        e.greetingSeen = recorder.greetingSeen
        e.extensions = recorder.extensions
        e.extensionsBeforeTLS = recorder.extensionsBeforeTLS
        e.rejectedRecipients = recorder.rejectedRecipients
        if case .send(_, let recipients, _) = request.purpose { e.recipientCount = recipients.count }
        e.messageBytes = stream?.totalSize ?? 0
        e.elapsedInStage = recorder.elapsedInStage
        e.cancelled = cancelled
        e.credentialsSet = request.logsIn
        e.authenticated = recorder.authenticated
        e.envelopeFrom = envelopeFrom
        e.tls = recorder.tlsInfo
        if let easy {
            var replyBytes = 0
            mt_getinfo_long(easy, CURLINFO_HEADER_SIZE, &replyBytes)
            e.replyBytes = replyBytes
        }
        // A reply mailtui itself stopped reading (after CONNECT_ONLY libcurl does not count it).
        if recorder.replyTooLong { e.replyBytes = max(e.replyBytes, FailureClassifier.replyByteLimit + 1) }
        return e
    }

    /// nil when libcurl succeeded and nothing else went wrong.
    func failure(curlCode: Int, message: String, cancelled: Bool) -> SessionFailure? {
        if curlCode == 0 && !(request.logsIn && !recorder.authenticated)
            && !(recorder.rejectedRecipients.count > 0 && !request.allowPartial)
            && !(request.quitAfter != nil && recorder.failingReply != nil) {
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
            recorder.note("no greeting: checking whether this port expects implicit TLS")
            e.speaksImplicitTLS = SecondLook.certificate(request.settings, security: .tls) != nil
            if e.speaksImplicitTLS == true { (stage, kind, reply) = FailureClassifier.classify(e) }
        }
        if [.certificateNameMismatch, .certificateExpired, .certificateUntrusted, .certificateProblem].contains(kind),
           let certificate = SecondLook.certificate(request.settings, security: request.settings.security) {
            recorder.note("the certificate, read without verifying it: \(certificate.subject ?? "?"), issued by \(certificate.issuer ?? "?"), names \(certificate.names.joined(separator: ", ")), valid until \(certificate.notAfter ?? "?")")
            recorder.addCertificate(subject: certificate.subject, issuer: certificate.issuer, notBefore: certificate.notBefore,
                                    notAfter: certificate.notAfter, names: certificate.names)
            e.tls = recorder.tlsInfo
        }
        let words = explaining.explain(kind: kind, stage: stage, reply: reply, evidence: e, greeting: recorder.greeting)
        return SessionFailure(
            stage: stage, kind: kind, reply: reply,
            curlCode: e.curlCode == 0 ? nil : e.curlCode, curlMessage: e.curlMessage.isEmpty ? nil : e.curlMessage,
            rejectedRecipients: recorder.rejectedRecipients,
            explanation: words.explanation, suggestions: words.suggestions,
            advice: words.advice
        )
    }

    func report(failure: SessionFailure?) -> SessionReport {
        let end = recorder.now
        return SessionReport(
            failure: failure, finalReply: recorder.finalReply,
            acceptedRecipients: recorder.acceptedRecipients, rejectedRecipients: recorder.rejectedRecipients,
            greeting: recorder.greeting, extensions: recorder.extensions, extensionsBeforeTLS: recorder.extensionsBeforeTLS,
            tls: recorder.tlsInfo, authenticated: recorder.authenticated,
            stageTimes: recorder.stageTimes(until: end), elapsed: recorder.elapsed,
            messageBytes: recorder.messageBytes, transcript: recorder.lines,
            nameLookup: networkTimes?.lookup, tcpConnect: networkTimes?.connect,
            loginSkipped: request.settings.wantsLogin && request.secret == nil,
            client: CurlRuntime.versions
        )
    }
}

// MARK: C callbacks

private let debugCallback: curl_debug_callback = { _, type, data, size, userdata in
    guard let userdata, let data else { return 0 }
    let context = Unmanaged<TransferContext>.fromOpaque(userdata).takeUnretainedValue()
    let kind: DebugKind
    switch type {
    case CURLINFO_TEXT: kind = .text
    case CURLINFO_HEADER_IN: kind = .headerIn
    case CURLINFO_HEADER_OUT: kind = .headerOut
    case CURLINFO_DATA_OUT: kind = .dataOut
    default: kind = .other
    }
    context.recorder.handle(kind, UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

private let socketCallback: curl_sockopt_callback = { userdata, socket, _ in
    if let userdata { Unmanaged<TransferContext>.fromOpaque(userdata).takeUnretainedValue().socket = socket }
    return Int32(CURL_SOCKOPT_OK)
}

private let progressCallback: curl_xferinfo_callback = { userdata, _, _, _, _ in
    guard let userdata else { return 0 }
    let context = Unmanaged<TransferContext>.fromOpaque(userdata).takeUnretainedValue()
    return context.cancelled() || context.connectLimitPassed() || context.implicitTLSAnswered() ? 1 : 0
}

/// This machine's name for EHLO.
enum LocalHost {
    static let name: String = {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, 255) == 0 else { return "localhost" }
        let name = buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        let valid = !name.isEmpty && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") }
        return valid ? name : "localhost"
    }()
}

/// A TLS handshake on a second connection, started once in the background while the session
/// waits for a greeting; `found` turns true when it succeeds.
final class ImplicitTLSLook: Sendable {
    /// How long to wait for a greeting before looking.
    static let after: Duration = .seconds(2)
    private let state = Mutex<(started: Bool, found: Bool)>((false, false))

    var found: Bool { state.withLock { $0.found } }

    func start(_ settings: ServerSettings) {
        let first = state.withLock { state -> Bool in
            defer { state.started = true }
            return !state.started
        }
        guard first else { return }
        DispatchQueue.global(qos: .userInitiated).async {
            let speaksTLS = SecondLook.certificate(settings, security: .tls) != nil
            self.state.withLock { $0.found = speaksTLS }
        }
    }
}

/// `ServerSettings.connectAddress` as libcurl's CURLOPT_RESOLVE.
enum CurlResolve {
    /// Sets the option when the settings name an address; returns the list to free after cleanup.
    static func apply(_ easy: UnsafeMutableRawPointer, _ s: ServerSettings) -> UnsafeMutablePointer<curl_slist>? {
        guard let address = s.connectAddress, !address.isEmpty else { return nil }
        let bare = address.trimmingEnds(of: "[]")
        let host = s.host.trimmingEnds(of: "[]")
        let entry = "\(host):\(s.effectivePort):" + (bare.contains(":") ? "[\(bare)]" : bare)
        let list = curl_slist_append(nil, entry)
        mt_setopt_pointer(easy, CURLOPT_RESOLVE, list)
        return list
    }
}
