@testable import MailServer
import MailCore
import Testing

/// The command rules as a value: a command and the session's facts in, a decision out, no socket.
@Suite struct SMTPCommandRulesTests {
    let rules = SMTPCommandRules(configuration: ServerConfiguration())

    func decide(_ line: String, _ facts: ServerSessionState = ServerSessionState(), _ configure: (inout ServerConfiguration) -> Void = { _ in }) -> CommandDecision {
        var configuration = ServerConfiguration()
        configure(&configuration)
        return SMTPCommandRules(configuration: configuration).decide(SMTPCommand(line), hasNUL: line.utf8.contains(0), facts)
    }

    @Test func theTransactionGoesInRFC5321Order() {
        #expect(decide("MAIL FROM:<a@b>") == .reply(SMTPReply(503, ["5.5.1 Send EHLO or HELO first"])))
        let greeted = ServerSessionState(helo: "c")
        #expect(decide("MAIL FROM:<a@b> SIZE=10", greeted) == .answer(.mail, SMTPReply(250, ["2.1.0 Ok"]), then: .mailFrom("a@b", ["SIZE=10"]), ask: .mail("a@b", ["SIZE=10"])))
        #expect(decide("RCPT TO:<c@d>", greeted) == .reply(SMTPReply(503, ["5.5.1 Send MAIL FROM first"])))
        var open = greeted
        open.transactionOpen = true
        #expect(decide("MAIL FROM:<a@b>", open) == .reply(SMTPReply(503, ["5.5.1 A transaction is already open (RSET first)"])))
        #expect(decide("DATA", open) == .reply(SMTPReply(554, ["5.5.1 No valid recipients"])))
        open.recipients = 1
        #expect(decide("DATA", open) == .answer(nil, SMTPReply(354, ["End data with <CR><LF>.<CR><LF>"]), then: .enterData, ask: .data))
        open.receivingChunks = true
        #expect(decide("DATA", open) == .reply(SMTPReply(503, ["5.5.1 DATA cannot follow BDAT in one transaction"])))
        #expect(decide("RSET", open) == .reset)
    }

    /// An escape in an envelope address was taken and stored cut short ("a\u{1B}"): another
    /// mailbox than the one meant. RFC 5321 allows no control character there.
    @Test func aControlCharacterInAnAddressIsRefused() {
        let greeted = ServerSessionState(helo: "c")
        #expect(decide("MAIL FROM:<a\u{1B}[31m@x.test>", greeted) == .reply(SMTPReply(501, ["5.1.7 Bad sender address syntax: a control character in the address"])))
        let open = ServerSessionState(helo: "c", transactionOpen: true)
        #expect(decide("RCPT TO:<b\u{1B}]0;X\u{7}@y.test>", open) == .reply(SMTPReply(501, ["5.1.3 Bad recipient address syntax: a control character in the address"])))
        #expect(decide("RCPT TO:<b\u{7F}@y.test>", open) == .reply(SMTPReply(501, ["5.1.3 Bad recipient address syntax: a control character in the address"])))
    }

    @Test func theConfigurationsLimitsAndRequirements() {
        var open = ServerSessionState(helo: "c", transactionOpen: true, recipients: 2)
        #expect(decide("RCPT TO:<c@d>", open) { $0.maxRecipients = 2 } == .reply(SMTPReply(452, ["4.5.3 Too many recipients (at most 2 a message)"])))
        open.transactionOpen = false
        #expect(decide("MAIL FROM:<a@b> SIZE=11", open) { $0.maxMessageSize = 10 } == .reply(SMTPReply(552, ["5.3.4 The message is larger than the 10 bytes this server takes"])))
        #expect(decide("MAIL FROM:<a@b>", open) { $0.requireAuth = true } == .reply(SMTPReply(530, ["5.7.0 Authentication required"])))
        #expect(decide("MAIL FROM:<a@b>", open) { $0.requireTLS = true } == .reply(SMTPReply(530, ["5.7.0 Must issue a STARTTLS command first"])))
        #expect(decide("NOOP\0", open) == .reply(SMTPReply(500, ["5.5.2 NUL bytes are not allowed in commands"])))
    }

    @Test func ehloOffersWhatTheSessionCanDo() {
        func offers(_ facts: ServerSessionState) -> [String] {
            guard case .answer(.ehlo, let reply, then: .hello("c"), ask: nil) = decide("EHLO c", facts) else { return [] }
            return Array(reply.lines.dropFirst(8))
        }
        #expect(offers(ServerSessionState(tlsAvailable: true)) == ["STARTTLS"])
        #expect(offers(ServerSessionState(inTLS: true, tlsAvailable: true)) == ["AUTH PLAIN LOGIN CRAM-MD5 XOAUTH2 OAUTHBEARER"])
        #expect(offers(ServerSessionState(inTLS: true, gateDecidesLogins: true)) == ["AUTH PLAIN LOGIN XOAUTH2"])
        #expect(decide("HELO") == .reply(SMTPReply(501, ["5.5.4 Syntax: HELO hostname"])))
    }
}
