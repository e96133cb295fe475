import MailCore
import Synchronization

/// `relay`'s gate: every client connection gets a `RelaySession`, which answers each stage of the
/// client's transactions with what the one upstream server said there.
public final class RelayGate: TransactionGate {
    public let upstream: RelayUpstream
    /// As long as a client's session may last: the upstream connection's backstop.
    let sessionSeconds: Double
    /// Hears of a leg that failed and that no record will hold: the session stores a failed
    /// attempt itself (`takeFailedLeg`), so this is only what it could not take (a leg that
    /// failed after the app left).
    let unstored: @Sendable (RelayedLeg) -> Void

    public init(_ upstream: RelayUpstream, sessionSeconds: Double = 30 * 60, unstored: @escaping @Sendable (RelayedLeg) -> Void = { _ in }) {
        self.upstream = upstream
        self.sessionSeconds = sessionSeconds
        self.unstored = unstored
    }

    /// Pass-through: the client's own login is replayed upstream, and the upstream decides it.
    public var decidesLogins: Bool { upstream.passThrough }

    public func open(client: String) -> any GateSession {
        RelaySession(upstream, sessionSeconds: sessionSeconds, unstored: unstored)
    }
}

/// One client connection's relay. The upstream connection opens at the client's login
/// (pass-through) or at its first MAIL, and is reused for its next transactions; everything
/// it said goes into the current leg, which the server takes for the message's record.
final class RelaySession: GateSession {
    /// How the upstream leg of the current transaction stands.
    private struct Outcome {
        var stage: SMTPStage
        var reply: String
        var delivered: Bool
        var diagnosis: String?
    }

    private struct State {
        /// The pass-through login the upstream accepted, held for this session only.
        var login: ClientLogin?
        var link: UpstreamLink?
        var lines: [TranscriptLine] = []
        var outcome: Outcome?
        /// The last transaction ended (its message answered, or RSET): the next MAIL starts a new leg.
        var finished = false
        /// MAIL went upstream and the transaction there is not over.
        var upstreamOpen = false
        var from = ""
        var recipients = 0
    }

    /// A leg keeps at most this many lines (a client may say many RCPTs and RSETs).
    static let lineLimit = 5_000

    private let upstream: RelayUpstream
    private let sessionSeconds: Double
    private let unstored: @Sendable (RelayedLeg) -> Void
    private let state = Mutex(State())

    init(_ upstream: RelayUpstream, sessionSeconds: Double, unstored: @escaping @Sendable (RelayedLeg) -> Void) {
        self.upstream = upstream
        self.sessionSeconds = sessionSeconds
        self.unstored = unstored
    }

    // MARK: GateSession

    func login(_ login: ClientLogin, done: @escaping @Sendable (GateReply?) -> Void) {
        guard upstream.passThrough else { return done(nil) }
        let server = upstream.server
        let (previous, dropped) = state.withLock { state -> (UpstreamLink?, RelayedLeg?) in
            defer { state.link = nil }
            let dropped = discard(&state)
            state.finished = false
            return (state.link, dropped)
        }
        previous?.close()
        if let dropped { unstored(dropped) }
        let link = makeLink(login: login) { [weak self] result in
            switch result {
            case .success(let opened):
                self?.state.withLock { $0.login = login }
                self?.settle(opened.reply.map { ($0, SMTPStage.auth) }, failure: nil)
                done(opened.reply.map(RelayReplies.upstream) ?? GateReply(code: 235, lines: ["2.7.0 Authentication successful"]))
            case .failure(let end):
                self?.settle(nil, failure: end)
                if end.failure?.stage == .auth, let reply = end.failure?.reply {
                    done(RelayReplies.upstream(reply))
                } else {
                    done(RelayReplies.loginUnavailable(server, end))
                }
            }
        }
        state.withLock { $0.link = link }
    }

    func mail(from: String, parameters: [String], done: @escaping @Sendable (GateReply?) -> Void) {
        let upstream = upstream
        let server = upstream.server
        let (link, dropped) = state.withLock { state -> (UpstreamLink?, RelayedLeg?) in
            var dropped: RelayedLeg?
            if state.finished {
                dropped = discard(&state)
                state.finished = false
            }
            state.from = from
            state.recipients = 0
            return (state.link?.isLive == true ? state.link : nil, dropped)
        }
        if let dropped { unstored(dropped) }
        let live = link ?? {
            let login = state.withLock { $0.login }
            let made = makeLink(login: login) { _ in }
            state.withLock { $0.link = made }
            return made
        }()
        live.perform({ [weak self] conversation in
            if let declared = RelayParameters.declaredSize(parameters), let limit = conversation.sizeLimit, declared > limit {
                conversation.note("refused at MAIL FROM by mailtui: the message's SIZE=\(declared) is over \(server)'s limit of \(limit) bytes; nothing was sent")
                let refusal = RelayReplies.tooLarge(server, declared: declared, limit: limit)
                self?.state.withLock { $0.outcome = Outcome(stage: .mail, reply: "\(refusal.code) " + refusal.lines.joined(separator: " "), delivered: false,
                                                            diagnosis: "The message is larger than \(server) takes (SIZE \(limit)): make it smaller, or send it through a server that takes it.") }
                return done(refusal)
            }
            let (kept, dropped) = RelayParameters.forwarded(parameters, offered: conversation.offers)
            if !dropped.isEmpty { conversation.note("left out of MAIL FROM (\(server) does not offer them): \(dropped.joined(separator: " "))") }
            self?.state.withLock { $0.upstreamOpen = true }
            done(self?.answer(conversation.command(RelayParameters.command("MAIL FROM", from, kept)), at: .mail, conversation))
        }, refused: { [weak self] end in
            self?.settle(nil, failure: end)
            let ownLogin = !upstream.passThrough && end.failure?.stage == .auth
            done(ownLogin ? RelayReplies.ownLoginRefused(server, user: upstream.settings.username ?? "", end)
                          : RelayReplies.unavailable(server, at: .mail, end))
        })
    }

    func rcpt(to: String, parameters: [String], done: @escaping @Sendable (GateReply?) -> Void) {
        let server = upstream.server
        guard let link = state.withLock({ $0.link }) else { return done(nil) }
        link.perform({ [weak self] conversation in
            let (kept, dropped) = RelayParameters.forwarded(parameters, offered: conversation.offers)
            if !dropped.isEmpty { conversation.note("left out of RCPT TO (\(server) does not offer them): \(dropped.joined(separator: " "))") }
            self?.state.withLock { $0.recipients += 1 }
            done(self?.answer(conversation.command(RelayParameters.command("RCPT TO", to, kept)), at: .rcpt, conversation))
        }, refused: { [weak self] end in
            self?.settle(nil, failure: end)
            done(RelayReplies.unavailable(server, at: .rcpt, end))
        })
    }

    func data(done: @escaping @Sendable (GateReply?) -> Void) {
        let server = upstream.server
        guard let link = state.withLock({ $0.link }) else { return done(nil) }
        link.perform({ [weak self] conversation in
            done(self?.answer(conversation.command("DATA"), at: .data, conversation))
        }, refused: { [weak self] end in
            self?.settle(nil, failure: end)
            done(RelayReplies.unavailable(server, at: .data, end))
        })
    }

    func message(_ octets: [UInt8], done: @escaping @Sendable (GateReply?) -> Void) {
        let server = upstream.server
        guard let link = state.withLock({ $0.link }) else { return done(nil) }
        link.perform({ [weak self] conversation in
            let reply = self?.answer(conversation.message(octets), at: .data, conversation, messageBytes: octets.count, ending: true)
            conversation.endTransaction()
            self?.state.withLock { state in
                state.finished = true
                state.upstreamOpen = false
            }
            done(reply)
        }, refused: { [weak self] end in
            self?.settle(nil, failure: end)
            self?.state.withLock { $0.finished = true }
            done(RelayReplies.unavailable(server, at: .data, end))
        })
    }

    func reset() {
        let link = state.withLock { state -> UpstreamLink? in
            state.finished = true
            defer { state.upstreamOpen = false }
            return state.upstreamOpen && state.link?.isLive == true ? state.link : nil
        }
        link?.perform({ conversation in
            _ = conversation.command("RSET")
            conversation.endTransaction()
        }, refused: { _ in })
    }

    func close() {
        let (link, dropped) = state.withLock { state -> (UpstreamLink?, RelayedLeg?) in
            state.login = nil
            defer { state.link = nil }
            return (state.link, discard(&state))
        }
        link?.close()
        if let dropped { unstored(dropped) }
    }

    func takeLeg() -> RelayedLeg? {
        state.withLock { state in leg(&state) }
    }

    func takeFailedLeg() -> RelayedLeg? {
        state.withLock { state in state.outcome?.diagnosis == nil ? nil : leg(&state) }
    }

    /// The leg so far, which then starts anew.
    private func leg(_ state: inout State) -> RelayedLeg? {
        guard !state.lines.isEmpty || state.outcome != nil else { return nil }
        defer {
            state.lines = []
            state.outcome = nil
        }
        let outcome = state.outcome
        return RelayedLeg(server: upstream.server, stage: outcome?.stage ?? state.lines.last?.stage ?? .connect, reply: outcome?.reply ?? "",
                          delivered: outcome?.delivered ?? false, diagnosis: outcome?.diagnosis, transcript: state.lines)
    }

    /// Starts the leg anew without a message to store it with: the leg, when it failed, for
    /// `unstored` (an accepted login or MAIL the app went no further with is not news).
    private func discard(_ state: inout State) -> RelayedLeg? {
        let failed = state.outcome?.diagnosis != nil
        let dropped = leg(&state)
        return failed ? dropped : nil
    }

    // MARK: Answers

    private func makeLink(login: ClientLogin?, opened: @escaping @Sendable (Result<UpstreamOpened, UpstreamEnd>) -> Void) -> UpstreamLink {
        UpstreamLink(upstream, login: login, sessionSeconds: sessionSeconds, opened: opened) { [weak self] line in
            self?.state.withLock { state in
                if state.lines.count < Self.lineLimit { state.lines.append(line) }
            }
        }
    }

    /// What the app is told of an upstream's answer at `stage`, noted in the leg.
    private func answer(_ result: Result<ServerReply, ConversationFailure>, at stage: SMTPStage, _ conversation: Conversation,
                        messageBytes: Int = 0, ending: Bool = false) -> GateReply {
        switch result {
        case .success(let reply):
            if reply.isPositive {
                settle((reply, ending ? .quit : stage), failure: nil, delivered: ending)
            } else {
                let (from, recipients) = state.withLock { ($0.from, $0.recipients) }
                let failure = conversation.diagnose(reply, at: stage, from: from, recipients: recipients, messageBytes: messageBytes)
                settle(nil, failure: UpstreamEnd(failure: failure, words: nil), refused: reply, at: stage)
            }
            return RelayReplies.upstream(reply)
        case .failure(let broken):
            let end = UpstreamEnd(failure: broken.failure, words: broken.words)
            settle(nil, failure: end)
            return RelayReplies.unavailable(upstream.server, at: stage, end)
        }
    }

    /// Notes how the leg stands: a refusal stays the leg's outcome for the rest of its
    /// transaction, unless the message is accepted in the end.
    private func settle(_ accepted: (ServerReply, SMTPStage)?, failure end: UpstreamEnd?, delivered: Bool = false,
                        refused: ServerReply? = nil, at refusedStage: SMTPStage? = nil) {
        state.withLock { state in
            if let (reply, stage) = accepted {
                guard delivered || state.outcome?.diagnosis == nil else { return }
                state.outcome = Outcome(stage: stage, reply: reply.description, delivered: delivered, diagnosis: nil)
                return
            }
            guard let end, state.outcome?.diagnosis == nil else { return }
            let reply = refused ?? end.failure?.reply
            let words = reply?.description ?? end.words ?? end.failure?.kind.words ?? "the connection ended"
            state.outcome = Outcome(stage: refusedStage ?? end.failure?.stage ?? .connect, reply: words, delivered: false,
                                    diagnosis: end.failure.map(Self.oneLine) ?? end.words)
        }
    }

    /// The diagnosis in one line: what happened, and what to change first.
    static func oneLine(_ failure: SessionFailure) -> String {
        ([failure.explanation] + failure.suggestions.prefix(1).map { "Try: " + $0 }).joined(separator: " ")
    }
}
