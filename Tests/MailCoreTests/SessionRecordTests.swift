import Testing
@testable import MailCore
@testable import MailClient

/// The session's state lives in `SessionFacts`; `SessionRecord` hands each event to the facts,
/// the TLS facts and the transcript. What `MailTransaction` reports with typed commands must read
/// exactly as the same conversation did when it went through libcurl's debug text.
@Suite struct SessionRecordTests {
    /// What the UI heard, in order.
    final class HeardEvents {
        var all: [SessionEvent] = []
    }

    static func record(security: SecurityMode = .none, credentials: Bool = false, events: HeardEvents? = nil) -> SessionRecord {
        SessionRecord(security: security, credentialsSet: credentials, emit: { events?.all.append($0) })
    }

    /// Up to MAIL FROM, libcurl's part; then a transaction with two recipients, one refused.
    static let opening: [(DebugKind, String)] = [
        (.text, "Connected to 127.0.0.1 (127.0.0.1) port 25 (#0)\n"), (.headerIn, "220 mx ESMTP\r\n"), (.headerOut, "EHLO me\r\n"),
        (.headerIn, "250-mx\r\n250-PIPELINING\r\n250 SIZE 1000\r\n"),
    ]

    /// The transaction as typed commands and the replies read for each (with their CR LF).
    static let transaction: [(SMTPCommand, [String])] = [
        (.mail("MAIL FROM:<a@x.org> SIZE=23"), ["250 2.1.0 ok\r\n"]),
        (.rcpt("b@x.org"), ["250 2.1.5 ok\r\n"]),
        (.rcpt("c@x.org", parameters: " NOTIFY=NEVER"), ["550-5.1.1 <c@x.org>: unknown\r\n", "550 5.1.1 try another\r\n"]),
        (.data, ["354 go ahead\r\n"]),
    ]

    func feed(_ script: [(DebugKind, String)], into record: SessionRecord) {
        for (kind, text) in script { Array(text.utf8).withUnsafeBytes { record.curlDebug(kind, $0) } }
    }

    /// A line's content without its time, which differs between two runs.
    func shape(_ lines: [TranscriptLine]) -> [String] {
        lines.map { "\($0.marker) [\($0.stage.rawValue)] \($0.text)" }
    }

    @Test func typedCommandsReadAsTheSameConversationThroughLibcurlsText() {
        let typed = Self.record()
        feed(Self.opening, into: typed)
        var replies: [ServerReply] = []
        for (command, lines) in Self.transaction {
            typed.sent(command)
            for line in lines {
                if let reply = typed.received(bytes: Array(line.utf8)[...]) { replies.append(reply) }
            }
        }
        typed.facts.uploaded(23)
        #expect(typed.received(bytes: Array("250 2.0.0 queued as X1\r\n".utf8)[...]) == ServerReply(code: 250, lines: ["2.0.0 queued as X1"]))
        typed.sent(.quit)
        _ = typed.received(bytes: Array("221 bye\r\n".utf8)[...])

        // The same session as the engine once recorded it: every command written back as libcurl's bytes.
        let asText = Self.record()
        var script = Self.opening
        for (command, lines) in Self.transaction {
            script.append((.headerOut, command.line + "\r\n"))
            script += lines.map { (.headerIn, $0) }
        }
        script += [(.dataOut, String(repeating: "x", count: 23)), (.headerIn, "250 2.0.0 queued as X1\r\n"), (.headerOut, "QUIT\r\n"), (.headerIn, "221 bye\r\n")]
        feed(script, into: asText)

        #expect(replies.map(\.code) == [250, 250, 550, 354])
        #expect(replies[2].lines == ["5.1.1 <c@x.org>: unknown", "5.1.1 try another"], "a reply is its lines, put together once")
        #expect(shape(typed.transcript.lines) == shape(asText.transcript.lines))
        #expect(typed.transcript.lines.map(\.inTLS) == asText.transcript.lines.map(\.inTLS))
        #expect(typed.transcript.lines.map(\.elapsed) == typed.transcript.lines.map(\.elapsed).sorted(), "lines are timed as they come")
        #expect(shape(typed.transcript.lines).contains("   [data] message sent: 23 bytes"))
        for facts in [typed.facts, asText.facts] {
            #expect(facts.stageStarts.map(\.stage) == [.connect, .greeting, .ehlo, .mail, .rcpt, .data, .quit])
            #expect(facts.acceptedRecipients == ["b@x.org"])
            #expect(facts.rejectedRecipients.map(\.address) == ["c@x.org"])
            #expect(facts.failingReply?.stage == .rcpt && facts.failingReply?.reply.code == 550)
            #expect(facts.failingStage == .data, "QUIT does not hide where the session was")
            #expect(facts.finalReply?.description == "250 2.0.0 queued as X1")
            #expect(facts.messageBytes == 23)
        }
    }

    @Test func capabilitiesAreReadOnceFromTheEHLOReply() {
        let record = Self.record()
        feed(Self.opening, into: record)
        let capabilities = record.facts.capabilities
        #expect(capabilities.lines == ["PIPELINING", "SIZE 1000"])
        #expect(capabilities.offers("PIPELINING") && capabilities.offers("SIZE"))
        #expect(!capabilities.offers("SIZ") && !capabilities.offers("1000") && !capabilities.offers("SMTPUTF8"))
        #expect(Capabilities(["size 10", "8BITMIME", "AUTH=PLAIN LOGIN"]).offers("SIZE"))
        #expect(Capabilities(["AUTH=PLAIN LOGIN"]).authMechanisms == ["PLAIN", "LOGIN"])
    }

    /// STARTTLS: what EHLO offered before it is kept apart, and lines after it travel in TLS.
    @Test func startTLSSplitsTheCapabilitiesAndMarksTheLines() {
        let record = Self.record(security: .starttls, credentials: true)
        feed(CurlDebugTextTests.startTLSSession, into: record)
        #expect(record.facts.extensionsBeforeTLS == ["STARTTLS", "SIZE 1000"])
        #expect(record.facts.extensions == ["AUTH PLAIN LOGIN"])
        #expect(record.facts.inTLS && record.facts.authenticated && !record.facts.authMissing)
        #expect(record.facts.startTLSAcceptedAt != nil)
        #expect(record.tls.info.version == "TLSv1.3" && record.tls.info.verified == true && record.tls.info.issuer == "CN=Example CA")
        #expect(record.transcript.lines.filter { $0.speaker == .client }.map(\.marker) == ["->", "->", "~>", "~>"])
        #expect(record.transcript.lines.contains { $0.text == "AUTH PLAIN [credentials hidden]" })
    }

    /// The UI hears of each stage once, before the line that begins it.
    @Test func stageEventsComeBeforeTheirLines() {
        let events = HeardEvents()
        let record = Self.record(events: events)
        feed(Self.opening, into: record)
        record.sent(.mail("MAIL FROM:<a@x.org>"))
        let shown = events.all.map { event -> String in
            switch event {
            case .stage(let stage): "stage \(stage.rawValue)"
            case .line(let line): "line \(line.text)"
            default: "other"
            }
        }
        #expect(shown == ["line Connected to 127.0.0.1 (127.0.0.1) port 25 (#0)", "stage greeting", "line 220 mx ESMTP",
                          "stage ehlo", "line EHLO me", "line 250-mx", "line 250-PIPELINING", "line 250 SIZE 1000",
                          "stage mail", "line MAIL FROM:<a@x.org>"])
    }

    @Test func aLineThatIsNoReplyIsShownButCompletesNothing() {
        let record = Self.record()
        feed(Self.opening, into: record)
        record.sent(.noop)
        #expect(record.received(bytes: Array("hello there\r\n".utf8)[...]) == nil)
        #expect(record.received(bytes: Array("250-one\r\n".utf8)[...]) == nil)
        #expect(record.received(bytes: Array("250 two\r\n".utf8)[...]) == ServerReply(code: 250, lines: ["one", "two"]))
        #expect(record.facts.malformedLineStage == .ehlo, "NOOP starts no stage")
        #expect(record.transcript.lines.suffix(3).map(\.text) == ["hello there", "250-one", "250 two"])
    }

    /// Bytes up to a line end are cut at CR and LF as libcurl's debug text is: a bare CR inside a
    /// line ends a reply line there, and an empty line is nothing.
    @Test func readBytesAreCutIntoLinesAsLibcurlCutsThem() {
        let record = Self.record()
        feed(Self.opening, into: record)
        record.sent(.noop)
        let before = record.transcript.lines.count
        #expect(record.received(bytes: Array("\r\n".utf8)[...]) == nil)
        #expect(record.transcript.lines.count == before)
        #expect(record.received(bytes: Array("250-a\r250 b\r\n".utf8)[...]) == ServerReply(code: 250, lines: ["a", "b"]))
        #expect(record.transcript.lines.suffix(2).map(\.text) == ["250-a", "250 b"])
    }

    @Test func deferredRecipientsAreNotRefusedAfterAll() {
        let record = Self.record()
        feed(Self.opening, into: record)
        record.sent(.rcpt("b@x.org"))
        _ = record.received(bytes: Array("452 4.5.3 too many recipients\r\n".utf8)[...])
        #expect(record.facts.rejectedRecipients.count == 1 && record.facts.failingReply != nil)
        record.facts.deferRecipients(["b@x.org"])
        #expect(record.facts.rejectedRecipients.isEmpty && record.facts.failingReply == nil)
    }

    /// A load run holds a message's lines until its fate is known, and forgets each message, so
    /// that what the facts hold stays flat however many messages go.
    @Test func aLoadRunHoldsLinesAndForgetsEachMessage() {
        let events = HeardEvents()
        let record = Self.record(events: events)
        feed(Self.opening, into: record)
        record.transcript.keptLineLimit = record.transcript.lines.count + 3
        for message in 0..<200 {
            record.transcript.held.holding = true
            record.sent(.mail("MAIL FROM:<a@x.org>"))
            _ = record.received(bytes: Array("250 ok\r\n".utf8)[...])
            record.sent(.rcpt("r\(message)@x.org"))
            _ = record.received(bytes: Array("550 no\r\n".utf8)[...])
            record.sent(.rset)
            _ = record.received(bytes: Array("250 ok\r\n".utf8)[...])
            if message == 0 { record.transcript.releaseHeld() } else { record.transcript.dropHeld() }
            record.transcript.held.holding = false
            record.facts.forgetTransaction()
        }
        #expect(record.transcript.lines.count == 6 + 3, "lines past the limit are shown, not kept")
        #expect(events.all.filter { if case .line = $0 { true } else { false } }.count == 6 + 6, "only the released message's lines are shown")
        #expect(record.transcript.held.lines.isEmpty)
        #expect(record.facts.rejectedRecipients.isEmpty && record.facts.acceptedRecipients.isEmpty && record.facts.failingReply == nil)
        #expect(record.facts.stageStarts.count <= 64)
    }

    @Test func anEHLOWithoutAuthWhereALoginWasWantedSaysSo() {
        let record = Self.record(credentials: true)
        feed([(.headerIn, "220 mx\r\n"), (.headerOut, "EHLO me\r\n"), (.headerIn, "250-mx\r\n250 SIZE 1\r\n")], into: record)
        #expect(record.facts.authMissing)
        #expect(record.transcript.lines.last?.speaker == .error)
        #expect(record.transcript.lines.last?.text == "the server offers no AUTH; mailtui stops here rather than send without logging in")
    }
}
