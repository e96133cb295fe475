/// What a send asks for beyond the server and the message: parsed once, from the CLI's options or
/// the compose form's fields.
public struct SendOptions: Sendable, Equatable {
    public var allowPartial: Bool
    /// Stop cleanly after this stage and deliver nothing.
    public var quitAfter: SMTPStage?
    public var notifications: DeliveryNotifications?
    /// Where the DKIM key is; the key itself is read by `SendService.prepare`.
    public var dkim: DKIMSettings?
    /// More than one: a load run on one connection.
    public var count: Int

    public init(allowPartial: Bool = false, quitAfter: SMTPStage? = nil, notifications: DeliveryNotifications? = nil,
                dkim: DKIMSettings? = nil, count: Int = 1) {
        self.allowPartial = allowPartial
        self.quitAfter = quitAfter
        self.notifications = notifications
        self.dkim = dkim
        self.count = count
    }
}

/// The one place that turns settings, a draft and options into a session to run, shared by
/// `mailtui send` and the compose screen so both refuse the same things with the same words.
/// `check` reads nothing (the UI's update calls it); `prepare` reads files and the key, so it runs
/// where I/O is allowed.
public enum SendService {
    /// The login rule: credentials are needed when a user is set and the session goes as far as AUTH.
    public static func logsIn(_ settings: ServerSettings, quitAfter: SMTPStage?) -> Bool {
        settings.wantsLogin && (quitAfter.map { $0 >= .auth } ?? true)
    }

    /// The compose form's DSN field, or the problem with it (with an example of what to write).
    public static func notifications(fromField text: String) -> Result<DeliveryNotifications?, SendProblem> {
        DeliveryNotifications.parse(text).mapError { SendProblem(.dsn, $0.reason + " (e.g. success,failure hdrs envid=order-42)") }
    }

    /// The compose form's DKIM field, or the problem with it (with an example of what to write).
    public static func dkim(fromField text: String) -> Result<DKIMSettings?, SendProblem> {
        DKIMSettings.parse(text).mapError { SendProblem(.dkim, $0.reason + " (e.g. s1 ~/keys/dkim.pem)") }
    }

    /// The signer for mail from `from`: reads the key file now. Nil when no key is set.
    public static func signer(_ dkim: DKIMSettings?, from: Mailbox) -> Result<DKIMSigner?, SendProblem> {
        guard let dkim else { return .success(nil) }
        do throws(DKIMError) { return .success(try dkim.signer(from: from)) } catch { return .failure(SendProblem(.dkim, error.reason)) }
    }

    /// What is wrong without reading a file or the network: the settings and the message.
    public static func check(settings: ServerSettings, draft: MessageDraft) -> [SendProblem] {
        var problems = settings.problems(checkingFiles: false).map { SendProblem(.setting($0.setting), $0.reason) }
        do { _ = try draft.validated(checkingFiles: false) } catch {
            problems += error.issues.map { SendProblem(.message($0.field), $0.message) }
        }
        return problems
    }

    /// The session to run, or every problem by what it concerns. Reads the CA file, the
    /// attachments and the DKIM key. A probe with a user but no password still runs: it shows what
    /// the server offers and says the login was not tested.
    public static func prepare(_ purpose: HistoryEntry.Kind, settings: ServerSettings, draft: MessageDraft, options: SendOptions,
                               password: Result<String?, PasswordError>) -> Result<SessionRequest, SendRefusal> {
        var problems = settings.problems().map { SendProblem(.setting($0.setting), $0.reason) }
        var secret: Secret?
        switch password {
        case .success(let value?) where !value.isEmpty: secret = Secret(value)
        case .success: break
        case .failure(let error): problems.append(SendProblem(.password, error.description))
        }
        if purpose == .probe {
            guard problems.isEmpty else { return .failure(SendRefusal(problems)) }
            return .success(SessionRequest(settings: settings, secret: settings.wantsLogin ? secret : nil, purpose: .probe))
        }
        let logsIn = logsIn(settings, quitAfter: options.quitAfter)
        if logsIn && secret == nil && !problems.contains(where: { $0.subject == .password }) {
            problems.append(SendProblem(.password, "a user is set but no password: type it here (it is never saved) or set MAIL_PASSWORD"))
        }
        let message: Message
        switch Self.message(draft) {
        case .success(let valid): message = valid
        case .failure(let refusal): return .failure(SendRefusal(problems + refusal.problems))
        }
        // The key's content never reaches a screen or a log.
        var signer: DKIMSigner?
        switch Self.signer(options.dkim, from: message.from) {
        case .success(let made): signer = made
        case .failure(let problem): problems.append(problem)
        }
        guard problems.isEmpty else { return .failure(SendRefusal(problems)) }
        return .success(request(message, settings: settings, secret: logsIn ? secret : nil, options: options, signer: signer))
    }

    /// The message ready to render, attachments and body files checked on disk; or every issue.
    public static func message(_ draft: MessageDraft) -> Result<Message, SendRefusal> {
        do { return .success(try draft.validated()) } catch {
            return .failure(SendRefusal(error.issues.map { SendProblem(.message($0.field), $0.message) }))
        }
    }

    /// The session for a checked message: its DSN, its signature, and with a count above one a
    /// load run on this connection (the first session's lines in full, then refusals only, as
    /// `send --count` prints them; each message signed on its own).
    public static func request(_ message: Message, settings: ServerSettings, secret: Secret?, options: SendOptions,
                               signer: DKIMSigner?) -> SessionRequest {
        var request = SessionRequest.send(message, settings: settings, secret: secret,
                                          allowPartial: options.allowPartial, quitAfter: options.quitAfter)
        request.notifications = options.notifications
        if options.count > 1 {
            request.load = LoadPlan(count: options.count, transcript: .first, message: LoadPlan.numbered(message, signer: signer))
        } else {
            request.signer = signer
        }
        return request
    }

    /// The history entry of a finished send or probe: a probe keeps no draft; `faults` are those
    /// of our own server that were in force.
    public static func historyEntry(_ kind: HistoryEntry.Kind, profile: String?, settings: ServerSettings, draft: MessageDraft,
                                    recipients: [String], report: SessionReport, faults: [String]? = nil) -> HistoryEntry {
        var entry = HistoryEntry(kind: kind, profile: profile, settings: settings, draft: kind == .probe ? nil : draft,
                                 recipients: recipients, report: report)
        entry.faults = faults
        return entry
    }
}
