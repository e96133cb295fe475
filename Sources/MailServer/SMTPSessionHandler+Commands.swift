import MailCore
import NIOCore
import NIOSSL

/// The commands of a session: EHLO, STARTTLS, MAIL, RCPT, DATA and the rest, and AUTH's steps.
extension SMTPSessionHandler {
    // MARK: Commands

    func command(_ raw: [UInt8], _ context: ChannelHandlerContext) {
        let command = SMTPCommand(String(decoding: raw, as: UTF8.self))
        let verb = command.verb
        if command.isKnown { hidingCredentials = verb == "AUTH" }
        if hidingCredentials && verb != "AUTH" {
            // A client that pipelined its login behind a refused AUTH: its base64 lines arrive
            // as commands, and are credentials all the same.
            note(.client, "[credentials hidden]")
        } else {
            note(.client, command.noted)
        }
        follow(rules.decide(command, hasNUL: raw.contains(0), facts), context)
    }

    /// The session's state as the command rules see it.
    var facts: ServerSessionState {
        ServerSessionState(helo: helo, inTLS: inTLS, tlsAvailable: server.sslContext != nil, authUser: authUser, transactionOpen: from != nil,
                     recipients: recipients.count, receivingChunks: receiving != nil, gateDecidesLogins: gateDecidesLogins)
    }

    var authOffered: Bool { rules.authOffered(facts) }

    /// Carries out what the rules decided for a command.
    func follow(_ decision: CommandDecision, _ context: ChannelHandlerContext) {
        switch decision {
        case .reply(let answer):
            reply(context, answer.code, answer.lines)
        case .answer(let stage, let normal, let next, let ask):
            let after: AfterAnswer = switch next {
            case .hello(let name): .hello(name)
            case .mailFrom(let address, let parameters): .mailFrom(address, parameters)
            case .recipient(let recipient): .recipient(recipient)
            case .enterData: .enterData
            case .quit: .quit
            }
            let question: GateQuestion? = ask.map { ask in
                switch ask {
                case .mail(let address, let parameters): .mail(address, parameters)
                case .rcpt(let address, let parameters): .rcpt(address, parameters)
                case .data: .data
                }
            }
            if let stage {
                answer(stage, context, lines: (normal.code, normal.lines), then: after, ask: question)
            } else {
                proceed(normal: (normal.code, normal.lines), then: after, ask: question, context)
            }
        case .startTLS(let argument): startTLS(argument, context)
        case .auth(let argument): auth(argument, context)
        case .bdat(let argument): bdat(argument, context)
        case .reset:
            resetTransaction()
            reply(context, 250, ["2.0.0 Ok"])
        }
    }

    func startTLS(_ argument: String, _ context: ChannelHandlerContext) {
        guard let sslContext = server.sslContext else { reply(context, 454, ["4.7.0 TLS not available"]); return }
        guard !inTLS else { reply(context, 503, ["5.5.1 Already in TLS"]); return }
        guard argument.isEmpty else { reply(context, 501, ["5.5.4 Syntax: STARTTLS"]); return }
        if let (fault, count) = server.faults.reach(.tls, facts(context)) {
            guard fault.action == .tlsFail else {
                inject(fault, count, normal: (220, ["2.0.0 Ready to start TLS"]), then: .upgrade(sslContext), context)
                return
            }
            struck(fault, count)
            reply(context, 220, ["2.0.0 Ready to start TLS"])
            flushIfNeeded(context)
            mode = .hung
            // Then no handshake: once the client has begun one, plain text where it expects the
            // server's hello, and the connection closed.
            context.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(100)) { [self] in
                context.write(wrapOutboundOut(ByteBuffer(string: "this is not a TLS handshake\r\n")), promise: nil)
                ending = "fault: tls-fail"
                finish(context)
            }
            return
        }
        reply(context, 220, ["2.0.0 Ready to start TLS"])
        upgrade(sslContext, context)
    }

    func upgrade(_ sslContext: NIOSSLContext, _ context: ChannelHandlerContext) {
        // Whatever the client sent after STARTTLS in the clear is thrown away (RFC 3207).
        decoder.dropBuffered = true
        flushIfNeeded(context)
        do {
            try context.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: sslContext), position: .first)
            try context.pipeline.syncOperations.addHandler(CipherSniffer(), position: .first)
        } catch {
            ending = "TLS could not start: \(error)"
            finish(context)
            return
        }
        inTLS = true
        helo = nil
        authUser = nil
        authMechanism = nil
        resetTransaction()
    }

    func tlsFacts(_ context: ChannelHandlerContext) {
        guard inTLS, tlsVersion == nil, let handler = try? context.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self) else { return }
        tlsVersion = handler.tlsVersion.map { version in
            switch version {
            case .tlsv13: "TLSv1.3"
            case .tlsv12: "TLSv1.2"
            case .tlsv11: "TLSv1.1"
            case .tlsv1: "TLSv1"
            }
        }
    }

    // MARK: AUTH

    func auth(_ argument: String, _ context: ChannelHandlerContext) {
        guard helo != nil else { reply(context, 503, ["5.5.1 Send EHLO first"]); return }
        guard authUser == nil else { reply(context, 503, ["5.5.1 Already authenticated"]); return }
        guard authOffered else { reply(context, 538, ["5.7.11 Encryption required: STARTTLS first"]); return }
        let words = argument.split(separator: " ").map(String.init)
        guard let mechanism = words.first?.uppercased() else { reply(context, 501, ["5.5.4 Syntax: AUTH mechanism"]); return }
        guard let (exchange, step) = SASLExchange.start(mechanism: mechanism, initial: words.count > 1 ? words[1] : nil, users: configuration.users, tokens: configuration.oauthTokens,
                                                        handsOver: gateDecidesLogins, cramChallenge: "<\(UInt32.random(in: 0...UInt32.max)).\(Self.now())@\(configuration.hostname)>") else {
            reply(context, 504, ["5.5.4 Unrecognized authentication mechanism"])
            return
        }
        authMechanism = mechanism
        authStep(step, exchange, context)
    }

    func authLine(_ raw: [UInt8], _ exchange: SASLExchange, _ context: ChannelHandlerContext) {
        note(.client, "[credentials hidden]")
        mode = .command
        var exchange = exchange
        let step = exchange.respond(String(decoding: raw, as: UTF8.self))
        authStep(step, exchange, context)
    }

    /// Sends what the exchange says: a challenge, or the verdict. A fault at the auth stage
    /// answers instead of a success.
    func authStep(_ step: SASLExchange.Step, _ exchange: SASLExchange, _ context: ChannelHandlerContext) {
        switch step {
        case .challenge(let text):
            mode = .auth(exchange)
            reply(context, 334, [text])
        case .cancelled:
            authMechanism = nil
            reply(context, 501, ["5.0.0 Authentication cancelled"])
        case .refused:
            authMechanism = nil
            reply(context, 535, ["5.7.8 Authentication credentials invalid"])
        case .accepted(let user):
            answer(.auth, context, lines: (235, ["2.7.0 Authentication successful"]), then: .login(user))
        case .proved(let mechanism, let user, let secret, let usersAccept):
            // The gate decides; when it answers nil, the users do, as serve would.
            let normal = usersAccept ? (235, ["2.7.0 Authentication successful"]) : (535, ["5.7.8 Authentication credentials invalid"])
            answer(.auth, context, lines: normal, then: .login(user), ask: .login(ClientLogin(mechanism: mechanism, user: user, secret: secret)))
        }
    }
}
