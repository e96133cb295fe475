import MailCore
import NIOCore
#if canImport(Glibc)
import Glibc
#endif

/// A message coming in, by DATA lines or BDAT chunks, and handed to the sink.
extension SMTPSessionHandler {
    // MARK: BDAT

    /// `BDAT SIZE [LAST]`: the next SIZE octets are message content, taken as they are.
    func bdat(_ argument: String, _ context: ChannelHandlerContext) {
        let words = argument.split(separator: " ")
        guard let size = words.first.flatMap({ Int($0) }), size >= 0, words.count <= 2,
              words.count == 1 || words[1].uppercased() == "LAST" else {
            // The chunk's length is unknown, so the octets after this command cannot be told
            // from commands: the session cannot go on (RFC 3030, 4.2).
            ending = "BDAT without a valid size"
            reply(context, 501, ["5.5.4 Syntax: BDAT size [LAST]; closing the connection"])
            finish(context)
            return
        }
        let last = words.count == 2
        // The chunk is read (and dropped) even when refused, to keep in step with the client.
        if from == nil || recipients.isEmpty {
            messageProblem = from == nil ? (503, ["5.5.1 Send MAIL FROM first"]) : (554, ["5.5.1 No valid recipients"])
        } else if receiving == nil {
            // The first chunk of a message: the gate hears of it before any content.
            proceed(normal: nil, then: .enterChunk(size: size, last: last), ask: .data, context)
            return
        }
        mode = .chunk(remaining: size, last: last)
    }

    /// A new message, empty, to take the octets after DATA or BDAT.
    func beginMessage() {
        receiving = server.store.begin()
        messageProblem = nil
        subjectReader = SubjectReader()
        gateOctets = []
    }

    /// Takes octets of the chunk being read (`remaining` of it were to come); at its end, answers.
    func chunkBytes(_ bytes: [UInt8], final: Bool, remaining: Int, last: Bool, _ context: ChannelHandlerContext) {
        if !bytes.isEmpty, let receiving, messageProblem == nil {
            if receiving.bytes + bytes.count > configuration.maxMessageSize {
                messageProblem = (552, ["5.3.4 The message is larger than the \(configuration.maxMessageSize) bytes this server takes"])
            } else {
                receiving.append(bytes)
                if gateSession != nil { gateOctets += bytes }
                subjectReader.octets(bytes)
            }
        }
        guard final else {
            mode = .chunk(remaining: remaining - bytes.count, last: last)
            return
        }
        mode = .command
        guard let receiving else {
            // A refused chunk: say why, once the octets are read.
            let (code, lines) = messageProblem ?? (503, ["5.5.1 Send MAIL FROM first"])
            messageProblem = nil
            reply(context, code, lines)
            return
        }
        if !last {
            if let (code, lines) = messageProblem {
                reply(context, code, lines)
                resetTransaction()
            } else {
                reply(context, 250, ["2.0.0 \(receiving.bytes) octets received"])
            }
            return
        }
        endOfMessage(receiving, context)
    }

    func dataLine(_ line: [UInt8], _ context: ChannelHandlerContext) {
        guard let receiving else { return }
        if line == [46] {
            endOfMessage(receiving, context)
            return
        }
        let content = line.first == 46 ? line.dropFirst() : line[...]
        subjectReader.line(content)
        if receiving.bytes + content.count + 2 > configuration.maxMessageSize {
            messageProblem = messageProblem ?? (552, ["5.3.4 The message is larger than the \(configuration.maxMessageSize) bytes this server takes"])
            return
        }
        guard messageProblem == nil else { return }
        receiving.append(content)
        receiving.append([13, 10] as [UInt8])
        if gateSession != nil {
            gateOctets += content
            gateOctets += [13, 10]
        }
    }

    func endOfMessage(_ receiving: any IncomingMessage, _ context: ChannelHandlerContext) {
        mode = .command
        pace = nil
        self.receiving = nil
        if let (code, lines) = messageProblem {
            server.store.drop(receiving)
            reply(context, code, lines)
            resetTransaction()
            return
        }
        tlsFacts(context)
        let octets = gateOctets
        gateOctets = []
        answer(.data, context, lines: nil, then: .store(receiving), ask: gateSession == nil ? nil : .message(octets))
    }

    /// Hands the message to the sink with its record; commands pipelined behind it wait until it
    /// is stored and answered. `answer` is the gate's reply, which the client gets instead of
    /// the store's (the message went on upstream, or was refused there, whatever the store says).
    func store(_ receiving: any IncomingMessage, _ context: ChannelHandlerContext, answer gateAnswer: (Int, [String])? = nil) {
        let record = StoredMessage(id: receiving.id, path: server.store.path(of: receiving.id), from: from?.address ?? "",
                                   fromParameters: from?.parameters ?? [], recipients: recipients, helo: helo, client: client,
                                   tls: tlsVersion ?? (inTLS ? "TLS" : nil), cipher: cipher, authUser: authUser, authMechanism: authMechanism,
                                   time: Self.now(), bytes: receiving.bytes,
                                   subject: subjectReader.subject, transcript: transcript.takeForMessage(), faults: faultsHit,
                                   relayed: gateSession?.takeLeg())
        resetTransaction(abandoning: false)
        // Commands pipelined behind the message wait until it is stored and answered.
        mode = .paused
        let promise = context.eventLoop.makePromise(of: StoredMessage.self)
        server.store.commit(receiving, record) { promise.completeWith($0.mapError { $0 as any Error }) }
        promise.futureResult.assumeIsolated().whenComplete { [self] result in
            guard case .paused = mode else { return }
            mode = .command
            switch result {
            case .success(let stored):
                messages += 1
                let (code, lines) = gateAnswer ?? (250, ["2.0.0 Ok: queued as \(stored.id)"])
                reply(context, code, lines)
                // The client hears first: what listens to the events (`--json`, the inbox) may take a while.
                flushIfNeeded(context)
                server.emit(.message(stored))
            case .failure(let error):
                let (code, lines) = gateAnswer ?? (451, ["4.3.0 \((error as? MessageStoreError)?.reason ?? "\(error)")"])
                reply(context, code, lines)
            }
            resume(context)
        }
    }

    /// Ends the transaction; `abandoning` when it did not end with a message (RSET, EHLO, a
    /// refusal), which the gate hears of when one was open.
    func resetTransaction(abandoning: Bool = true) {
        if abandoning, from != nil {
            gateSession?.reset()
            storeFailedAttempt()
        }
        from = nil
        recipients = []
        gateRefusedRecipients = []
        if let receiving { server.store.drop(receiving) }
        receiving = nil
        messageProblem = nil
        gateOctets = []
        pace = nil
    }

    static func now() -> Int {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int(now.tv_sec)
    }
}
