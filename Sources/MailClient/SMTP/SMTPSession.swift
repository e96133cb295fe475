import CCurl
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
        let record = context.record
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
            if mt_getinfo_long(easy, CURLINFO_SSL_VERIFYRESULT, &verifyResult) == CURLE_OK { record.setVerifyResult(verifyResult) }
        }

        if stopped {
            // libcurl's cleanup would otherwise say QUIT and wait for the answer of a server that
            // may never answer: the connection is cut instead.
            if context.socket >= 0 { shutdown(context.socket, Int32(SHUT_RDWR)) }
            let cancelled = isCancelled
            if cancelled { record.error("cancelled") }
            var message = ""
            let implicitTLS = !cancelled && context.implicitTLSLook.found
            if implicitTLS {
                message = "no greeting after \(Int(ImplicitTLSLook.after.components.seconds)) s, and a TLS handshake on a second connection to this port works"
                record.note(message)
            } else if result == CURLE_OPERATION_TIMEDOUT {
                let what = context.networkConnected ? "no TLS handshake" : "no TCP connection"
                message = "\(what) within \(request.settings.timeouts.connect.plainText) s"
                record.error(message)
            }
            var evidence = context.evidence(curlCode: cancelled ? FailureClassifier.abortedByCallback : Int(result.rawValue), message: message, cancelled: cancelled)
            if implicitTLS {
                evidence.speaksImplicitTLS = true
                evidence.greetingWaited = ImplicitTLSLook.after
            }
            let failure = context.diagnose(evidence)
            if !cancelled { record.note("client: mailtui over \(CurlRuntime.versions)") }
            return context.report(failure: failure)
        }
        collectCertificate(easy, record: record)
        if case .probe = request.purpose, !request.settings.verifyCertificate, result == CURLE_OK, let verdict = SecondLook.verdict(request.settings) {
            record.setVerificationWouldSay(verdict.words)
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
            let connection = Connection(easy: easy, record: record, wake: wakePipe?.read ?? -1, replyLimit: .milliseconds(t.response.saturatingMilliseconds),
                                        deadline: record.start + .milliseconds(t.total.saturatingMilliseconds), isCancelled: { [weak self] in self?.isCancelled ?? false })
            code = MailTransaction(connection: connection, context: context).run()
        }
        let cancelled = isCancelled && code == FailureClassifier.abortedByCallback
        if cancelled { record.error("cancelled") }
        let message = context.problem ?? (errorBuffer.pointee != 0 ? String(cString: errorBuffer) : String(cString: curl_easy_strerror(CURLcode(rawValue: UInt32(code)))))
        let failure = context.failure(curlCode: code, message: message, cancelled: cancelled)
        if let failure, !cancelled {
            // The reply is in the transcript just above, and the diagnosis quotes it: name the kind here.
            record.error("failed at \(failure.stage.displayName): \(failure.kind.words)")
            record.note("client: mailtui over \(CurlRuntime.versions)")
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
            let bearer = secret.isBearerToken || s.oauthAccount != nil
            if s.authMechanism.takesBearerToken || bearer {
                mt_setopt_string(easy, CURLOPT_XOAUTH2_BEARER, secret.value)
            } else {
                mt_setopt_string(easy, CURLOPT_PASSWORD, secret.value)
            }
            if bearer && s.authMechanism == .auto {
                // Only the token mechanisms: libcurl prefers OAUTHBEARER when EHLO offers both.
                mt_setopt_string(easy, CURLOPT_LOGIN_OPTIONS, "AUTH=OAUTHBEARER;AUTH=XOAUTH2")
            } else if let mechanism = s.authMechanism.curlLoginOption {
                mt_setopt_string(easy, CURLOPT_LOGIN_OPTIONS, "AUTH=\(mechanism)")
                if let warning = s.clearTextLoginWarning { context.record.note("warning: " + warning) }
            } else if s.loginWouldBeInTheClear {
                // Only mechanisms that never send the password itself.
                mt_setopt_string(easy, CURLOPT_LOGIN_OPTIONS, "AUTH=CRAM-MD5;AUTH=DIGEST-MD5")
                context.record.note("no TLS to \(s.host): --auth auto will not send the password in the clear (PLAIN and LOGIN are left out)")
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
    private func collectCertificate(_ easy: UnsafeMutableRawPointer, record: SessionRecord) {
        guard let certificate = CertificateFacts.read(easy) else { return }
        record.addCertificate(certificate)
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
    context.record.curlDebug(kind, UnsafeRawBufferPointer(start: data, count: size))
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
