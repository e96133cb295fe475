import MailCore
import NIOCore
import NIOSSL

/// Answers that a fault may replace, delay, close or hang, and what each answer leads to.
extension SMTPSessionHandler {
    // MARK: Answers and faults

    /// What an answer leads to once it went out as normal (after a delay, later).
    enum AfterAnswer {
        case greet, greeted
        case hello(String)
        case upgrade(NIOSSLContext)
        case mailFrom(String, [String])
        case recipient(StoredMessage.Recipient)
        case login(String)
        /// DATA accepted: the message's lines follow.
        case enterData
        /// The first BDAT chunk of a message, with its size and whether it is the last.
        case enterChunk(size: Int, last: Bool)
        case store(any IncomingMessage)
        case quit
    }

    /// Sends the normal answer for `stage` (none when `lines` is nil) and goes on with `next`,
    /// unless a fault strikes: then its outcome. With `question`, the gate is asked after the
    /// fault (see `proceed`).
    func answer(_ stage: SMTPStage, _ context: ChannelHandlerContext, lines: (Int, [String])?, then next: AfterAnswer, ask question: GateQuestion? = nil) {
        guard let (fault, count) = server.faults.reach(stage, facts(context, next)) else {
            proceed(normal: lines, then: next, ask: question, context)
            return
        }
        inject(fault, count, normal: lines, then: next, ask: question, context)
    }

    /// Sends a reply and goes on with `next` when it is a positive one (below 400), or drops it.
    func settle(_ answer: (Int, [String])?, then next: AfterAnswer, _ context: ChannelHandlerContext) {
        guard let (code, texts) = answer else {
            carryOut(next, context)
            return
        }
        reply(context, code, texts)
        if code < 400 { carryOut(next, context) } else { abandon(next) }
    }

    /// Carries out a fault that struck: its reply (and `next` dropped), the normal answer later,
    /// a close or a hang.
    func inject(_ fault: Fault, _ count: Int, normal: (Int, [String])?, then next: AfterAnswer, ask question: GateQuestion? = nil,
                _ context: ChannelHandlerContext) {
        struck(fault, count)
        switch FaultOutcome(fault) {
        case .replace(let code, let text, let ends):
            reply(context, code, [text])
            abandon(next)
            if ends {
                ending = "fault: \(code)"
                finish(context)
            } else if case .paused = mode {
                mode = .command
            }
        case .delay(let seconds):
            let resume = mode
            mode = .paused
            context.eventLoop.assumeIsolated().scheduleTask(in: Self.amount(seconds)) { [self] in
                guard case .paused = mode else { return }
                mode = resume
                proceed(normal: normal, then: next, ask: question, context)
                // Whatever came meanwhile, and reading again (whichever mode the input led to).
                self.resume(context)
                flushIfNeeded(context)
            }
        case .close:
            abandon(next)
            ending = "fault: close at \(fault.stage.faultWord)"
            finish(context)
        case .hang:
            abandon(next)
            ending = "fault: hang at \(fault.stage.faultWord)"
            mode = .hung
        case .tlsFail, .pace:
            break
        }
    }

    /// What the faults that key on the session see: the client, the login, the sender (the one
    /// being given, at MAIL FROM) and the recipient being given.
    func facts(_ context: ChannelHandlerContext, _ next: AfterAnswer? = nil) -> FaultFacts {
        // `counted` is the address without the port (every session that reaches a stage was admitted).
        var facts = FaultFacts(client: counted ?? client, login: authUser, sender: from?.address,
                               recipient: nil, now: context.eventLoop.now)
        switch next {
        case .mailFrom(let address, _)?: facts.sender = address
        case .recipient(let recipient)?: facts.recipient = recipient.address
        case .login(let user)?: facts.login = user
        default: break
        }
        return facts
    }

    /// What a normal answer leads to.
    func carryOut(_ next: AfterAnswer, _ context: ChannelHandlerContext) {
        switch next {
        case .greet:
            answer(.greeting, context, lines: (220, ["\(configuration.hostname) ESMTP mailtui test server ready"]), then: .greeted)
        case .greeted:
            greeted = true
            mode = .command
        case .hello(let name):
            helo = String(name.prefix(255))
            resetTransaction()
        case .upgrade(let sslContext):
            upgrade(sslContext, context)
        case .mailFrom(let address, let parameters):
            from = (address, parameters)
        case .recipient(let recipient):
            recipients.append(recipient)
        case .login(let user):
            authUser = String(user.prefix(255))
        case .enterData:
            beginMessage()
            mode = .data
            beginPace(context)
        case .enterChunk(let size, let last):
            beginMessage()
            mode = .chunk(remaining: size, last: last)
            beginPace(context)
        case .store(let receiving):
            store(receiving, context)
        case .quit:
            ending = "quit"
            finish(context)
        }
    }

    /// What a fault reply, close or hang undoes: a message is not stored, a login not taken.
    func abandon(_ next: AfterAnswer) {
        switch next {
        case .store(let receiving):
            server.store.drop(receiving)
            resetTransaction()
        case .login:
            authMechanism = nil
        default:
            break
        }
    }

    func struck(_ fault: Fault, _ count: Int) {
        faultsHit.append(fault.description)
        note(.note, "(fault \(fault.description))")
        server.emit(.fault(FaultReport(stage: fault.stage, occurrence: count, action: fault.action.words, client: client)))
    }
}
