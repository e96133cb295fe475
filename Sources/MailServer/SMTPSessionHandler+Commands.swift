import MailCore
import NIOCore
import NIOSSL

/// The commands of a session: EHLO, STARTTLS, MAIL, RCPT, DATA and the rest, and AUTH's steps.
extension SMTPSessionHandler {
    // MARK: Commands

    func command(_ raw: [UInt8], _ context: ChannelHandlerContext) {
        let command = SMTPCommand(String(decoding: raw, as: UTF8.self))
        let (verb, argument) = (command.verb, command.argument)
        if command.isKnown { hidingCredentials = verb == "AUTH" }
        if hidingCredentials && verb != "AUTH" {
            // A client that pipelined its login behind a refused AUTH: its base64 lines arrive
            // as commands, and are credentials all the same.
            note(.client, "[credentials hidden]")
        } else {
            note(.client, command.noted)
        }
        if raw.contains(0) { reply(context, 500, ["5.5.2 NUL bytes are not allowed in commands"]); return }
        if configuration.requireTLS && !inTLS && !["EHLO", "HELO", "STARTTLS", "QUIT", "NOOP"].contains(verb) {
            reply(context, 530, ["5.7.0 Must issue a STARTTLS command first"])
            return
        }
        switch verb {
        case "EHLO", "HELO": hello(verb, argument, context)
        case "STARTTLS": startTLS(argument, context)
        case "AUTH": auth(argument, context)
        case "MAIL": mail(argument, context)
        case "RCPT": rcpt(argument, context)
        case "DATA": data(argument, context)
        case "BDAT": bdat(argument, context)
        case "RSET":
            resetTransaction()
            reply(context, 250, ["2.0.0 Ok"])
        case "NOOP": reply(context, 250, ["2.0.0 Ok"])
        case "VRFY": reply(context, 252, ["2.1.5 Cannot verify the user, but will take the message"])
        case "HELP": reply(context, 214, ["2.0.0 mailtui test server: EHLO STARTTLS AUTH MAIL RCPT DATA RSET NOOP VRFY QUIT"])
        case "QUIT":
            answer(.quit, context, lines: (221, ["2.0.0 Bye"]), then: .quit)
        case "": reply(context, 500, ["5.5.2 Empty command"])
        default: reply(context, 500, ["5.5.2 Command not recognized"])
        }
    }

    var authOffered: Bool { inTLS || configuration.authBeforeTLS }

    func hello(_ verb: String, _ argument: String, _ context: ChannelHandlerContext) {
        let name = argument.trimmingSpaces
        guard !name.isEmpty, !name.contains(" ") else { reply(context, 501, ["5.5.4 Syntax: \(verb) hostname"]); return }
        var lines = [configuration.hostname + " greets " + String(name.prefix(64))]
        if verb == "EHLO" {
            lines += ["SIZE \(configuration.maxMessageSize)", "8BITMIME", "SMTPUTF8", "PIPELINING", "ENHANCEDSTATUSCODES", "DSN", "CHUNKING"]
            if !inTLS && server.sslContext != nil { lines.append("STARTTLS") }
            if authOffered { lines.append("AUTH " + (gateDecidesLogins ? SASLExchange.handedOver : SASLExchange.offered)) }
        }
        answer(.ehlo, context, lines: (250, lines), then: .hello(name))
    }

    func startTLS(_ argument: String, _ context: ChannelHandlerContext) {
        guard let sslContext = server.sslContext else { reply(context, 454, ["4.7.0 TLS not available"]); return }
        guard !inTLS else { reply(context, 503, ["5.5.1 Already in TLS"]); return }
        guard argument.isEmpty else { reply(context, 501, ["5.5.4 Syntax: STARTTLS"]); return }
        if let (fault, count) = server.faults.reach(.tls) {
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

    func mail(_ argument: String, _ context: ChannelHandlerContext) {
        guard helo != nil else { reply(context, 503, ["5.5.1 Send EHLO or HELO first"]); return }
        guard from == nil else { reply(context, 503, ["5.5.1 A transaction is already open (RSET first)"]); return }
        if configuration.requireAuth && authUser == nil { reply(context, 530, ["5.7.0 Authentication required"]); return }
        guard let (address, parameters) = SMTPCommand.path(argument, prefix: "FROM:") else {
            reply(context, 501, ["5.5.4 Syntax: MAIL FROM:<address> [parameters]"])
            return
        }
        if let size = parameters.first(where: { $0.uppercased().hasPrefix("SIZE=") }).flatMap({ Int($0.dropFirst(5)) }), size > configuration.maxMessageSize {
            reply(context, 552, ["5.3.4 The message is larger than the \(configuration.maxMessageSize) bytes this server takes"])
            return
        }
        answer(.mail, context, lines: (250, ["2.1.0 Ok"]), then: .mailFrom(address, parameters), ask: .mail(address, parameters))
    }

    func rcpt(_ argument: String, _ context: ChannelHandlerContext) {
        guard from != nil else { reply(context, 503, ["5.5.1 Send MAIL FROM first"]); return }
        guard let (address, parameters) = SMTPCommand.path(argument, prefix: "TO:"), !address.isEmpty else {
            reply(context, 501, ["5.5.4 Syntax: RCPT TO:<address> [parameters]"])
            return
        }
        guard recipients.count < configuration.maxRecipients else {
            reply(context, 452, ["4.5.3 Too many recipients (at most \(configuration.maxRecipients) a message)"])
            return
        }
        answer(.rcpt, context, lines: (250, ["2.1.5 Ok"]), then: .recipient(StoredMessage.Recipient(address: address, parameters: parameters)),
               ask: .rcpt(address, parameters))
    }

    func data(_ argument: String, _ context: ChannelHandlerContext) {
        guard from != nil else { reply(context, 503, ["5.5.1 Send MAIL FROM first"]); return }
        guard !recipients.isEmpty else { reply(context, 554, ["5.5.1 No valid recipients"]); return }
        guard argument.isEmpty else { reply(context, 501, ["5.5.4 Syntax: DATA"]); return }
        guard receiving == nil else { reply(context, 503, ["5.5.1 DATA cannot follow BDAT in one transaction"]); return }
        proceed(normal: (354, ["End data with <CR><LF>.<CR><LF>"]), then: .enterData, ask: .data, context)
    }

    // MARK: AUTH

    func auth(_ argument: String, _ context: ChannelHandlerContext) {
        guard helo != nil else { reply(context, 503, ["5.5.1 Send EHLO first"]); return }
        guard authUser == nil else { reply(context, 503, ["5.5.1 Already authenticated"]); return }
        guard authOffered else { reply(context, 538, ["5.7.11 Encryption required: STARTTLS first"]); return }
        let words = argument.split(separator: " ").map(String.init)
        guard let mechanism = words.first?.uppercased() else { reply(context, 501, ["5.5.4 Syntax: AUTH mechanism"]); return }
        guard let (exchange, step) = SASLExchange.start(mechanism: mechanism, initial: words.count > 1 ? words[1] : nil, users: configuration.users,
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
