/// Where one session's events arrive, from libcurl's adapter and from `MailTransaction` alike,
/// and go on to the three things that consume them: the session facts (protocol state), the TLS
/// facts and the transcript. The UI hears of a stage, a TLS fact or a line as it happens.
///
/// Each reply line is parsed once, here, and the reply it completes is returned to the reader.
final class SessionRecord {
    let start: ContinuousClock.Instant
    private let emit: (SessionEvent) -> Void
    /// Changed directly by `MailTransaction`, which knows what its replies mean (a deferral, the
    /// refusal to blame, a load run's message forgotten).
    var facts: SessionFacts
    private(set) var tls = TLSFacts()
    var transcript: Transcript
    private var assembler = ReplyAssembler()
    /// libcurl's debug text, read into events.
    private var curlText = CurlDebugText()

    init(security: SecurityMode, credentialsSet: Bool, emit: @escaping (SessionEvent) -> Void) {
        start = ContinuousClock.now
        self.emit = emit
        facts = SessionFacts(security: security, credentialsSet: credentialsSet, start: start)
        transcript = Transcript(start: start, emit: emit)
    }

    var now: ContinuousClock.Instant { ContinuousClock.now }
    var elapsed: Duration { now - start }

    // MARK: Input

    /// A piece of libcurl's debug text (its part of the session).
    func curlDebug(_ kind: DebugKind, _ bytes: UnsafeRawBufferPointer) {
        curlText.read(kind, bytes) { record($0) }
    }

    func record(_ event: WireEvent) {
        switch event {
        case .connected(let text):
            note(text)
            changingStage { $0.connected(at: $1) }
        case .narration(let text):
            note(text)
        case .tlsEstablished(let version, let cipher):
            tls.established(version: version, cipher: cipher)
            changingStage { $0.tlsEstablished(at: $1) }
            reportTLS()
        case .certificateField(let key, let value):
            tls.certificateField(key: key, value: value)
            reportTLS()
        case .verification(let problem):
            tls.verification(problem: problem)
            reportTLS()
        case .command(let command):
            sent(command)
        case .replyLine(let line):
            received(line)
        case .uploaded(let count):
            facts.uploaded(count)
        }
    }

    /// A command went out: its stage begins, and it is shown (a credential hidden).
    func sent(_ command: SMTPCommand) {
        // Lines inside an AUTH exchange are credentials, never commands.
        if !transcript.inLoginExchange { changingStage { $0.sent(command, at: $1) } }
        transcript.client(command.line, stage: facts.stage, inTLS: facts.inTLS)
    }

    /// A line from the server, without its line end: shown, and added to the reply it belongs
    /// to. Returns the reply when this line completes one.
    @discardableResult
    func received(_ line: [UInt8]) -> ServerReply? {
        changingStage { $0.lineArrives(at: $1) }
        if facts.takeMessageNote() { note("message sent: \(facts.messageBytes) bytes") }
        let parsed = ServerReply.parseLine(String(decoding: line, as: UTF8.self))
        transcript.server(line, code: parsed.code, isFinal: parsed.isFinal, stage: facts.stage, inTLS: facts.inTLS)
        // A line that is not a reply is shown and remembered for the diagnosis, but libcurl skips
        // it and keeps waiting, and so does the reply being assembled.
        guard let code = parsed.code else {
            facts.malformedLine()
            return nil
        }
        guard let reply = assembler.add(code: code, isFinal: parsed.isFinal, text: parsed.text) else { return nil }
        if facts.completed(reply, at: now) {
            error("the server offers no AUTH; mailtui stops here rather than send without logging in")
        }
        return reply
    }

    /// Bytes read from the connection up to a line end, cut into lines as libcurl's debug text
    /// is; returns the first reply they complete.
    func received(bytes: ArraySlice<UInt8>) -> ServerReply? {
        // The usual line has its CR LF at the end and no other: one copy, nothing to split.
        var end = bytes.endIndex
        while end > bytes.startIndex, bytes[end - 1] == 10 || bytes[end - 1] == 13 { end -= 1 }
        let body = bytes[..<end]
        if !body.contains(where: { $0 == 10 || $0 == 13 }) {
            return body.isEmpty ? nil : received(Array(body))
        }
        var first: ServerReply?
        for line in ByteLines.split(bytes) {
            let reply = received(line)
            if first == nil { first = reply }
        }
        return first
    }

    /// A note of mailtui's own (not libcurl's), shown distinct from what the server said.
    func note(_ text: String) { transcript.note(text, stage: facts.stage, inTLS: facts.inTLS) }

    func error(_ text: String) { transcript.error(text, stage: facts.stage, inTLS: facts.inTLS) }

    // MARK: TLS facts from elsewhere

    /// Certificate facts read after the handshake (libcurl's CERTINFO, or a second look).
    func addCertificate(_ certificate: TLSInfo) {
        tls.addCertificate(certificate)
        reportTLS()
    }

    /// What verification would have said (a probe with verification turned off).
    func setVerificationWouldSay(_ words: String) {
        tls.setVerificationWouldSay(words)
        reportTLS()
    }

    /// OpenSSL's verify result, read from libcurl once the handshake is over (or failed).
    func setVerifyResult(_ code: Int) {
        if tls.setVerifyResult(code) { reportTLS() }
    }

    // MARK: Plumbing

    private func reportTLS() { emit(.tls(tls.info)) }

    /// Applies a change to the facts and tells the UI when it moved the session to a new stage.
    private func changingStage(_ change: (inout SessionFacts, ContinuousClock.Instant) -> Void) {
        let before = facts.stage
        change(&facts, now)
        if facts.stage != before { emit(.stage(facts.stage)) }
    }
}
