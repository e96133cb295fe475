@testable import MailServer
import MailCore
import NIOCore
import NIOEmbedded
import Synchronization
import Testing

/// A session with a `TransactionGate`: asked after the session's own checks and its faults, its
/// replies reach the client word for word, nil answers as serve does, and it cannot hold a
/// session past the time limits.
@Suite struct GateSessionTests {
    static let leg = RelayedLeg(server: "smtp.upstream.test:587", stage: .quit, reply: "250 2.0.0 OK 1234 - gsmtp", delivered: true, diagnosis: nil,
                                transcript: [TranscriptLine(elapsed: .microseconds(1200), speaker: .server, inTLS: true, stage: .data, text: "250 2.0.0 OK 1234 - gsmtp")])

    @Test func theGatesRepliesReachTheClientWordForWord() throws {
        let gate = FakeGate(replies: [
            "rcpt": [GateReply(code: 550, lines: ["5.1.1 The email account that you tried to reach does not exist.", "5.1.1 Please try again."])],
            "data": [GateReply(code: 354, lines: ["Go ahead"])],
            "message": [GateReply(code: 250, lines: ["2.0.0 OK 1234 - gsmtp"])],
        ], leg: Self.leg)
        let smtp = try EmbeddedSMTP(gate: gate)
        _ = try smtp.output()
        _ = try smtp.send("EHLO c\r\n")
        #expect(try smtp.send("MAIL FROM:<a@b.test> SIZE=10\r\n") == "250 2.1.0 Ok\r\n", "nil: answered as serve does")
        #expect(try smtp.send("RCPT TO:<nobody@c.test>\r\n") == """
            550-5.1.1 The email account that you tried to reach does not exist.\r
            550 5.1.1 Please try again.\r

            """)
        #expect(try smtp.send("DATA\r\n") == "554 5.5.1 No valid recipients\r\n", "a refused recipient is not taken; the gate is not asked")
        #expect(try smtp.send("RCPT TO:<bob@c.test>\r\n") == "250 2.1.5 Ok\r\n")
        #expect(try smtp.send("DATA\r\n") == "354 Go ahead\r\n")
        #expect(try smtp.send("Subject: hi\r\n\r\n..dot\r\n.\r\n") == "250 2.0.0 OK 1234 - gsmtp\r\n")
        #expect(try smtp.send("QUIT\r\n") == "221 2.0.0 Bye\r\n")

        let stored = smtp.stored
        #expect(stored.count == 1)
        #expect(stored.first?.record.relayed == Self.leg)
        #expect(stored.first?.record.recipients.map(\.address) == ["bob@c.test"])
        #expect(gate.asked == [.open("127.0.0.1:40000"), .mail("a@b.test", ["SIZE=10"]), .rcpt("nobody@c.test", []), .rcpt("bob@c.test", []),
                               .data, .message(stored.first?.octets ?? [0]), .close])
        #expect(String(decoding: stored.first?.octets ?? [], as: UTF8.self) == "Subject: hi\r\n\r\n.dot\r\n", "the octets as stored, unstuffed")
    }

    @Test func aFaultStrikesBeforeTheGateIsAsked() throws {
        let gate = FakeGate(replies: ["rcpt": [GateReply(code: 250, lines: ["2.1.5 Upstream ok"])]])
        let smtp = try EmbeddedSMTP(faults: [Fault(stage: .rcpt, occurrence: 1, action: .reply(code: 550, text: "5.1.1 No such user"))], gate: gate)
        _ = try smtp.output()
        _ = try smtp.send("EHLO c\r\nMAIL FROM:<a@b>\r\n")
        #expect(try smtp.send("RCPT TO:<c@d>\r\n") == "550 5.1.1 No such user\r\n")
        #expect(try smtp.send("RCPT TO:<e@f>\r\n") == "250 2.1.5 Upstream ok\r\n")
        #expect(try smtp.send("RSET\r\n") == "250 2.0.0 Ok\r\n")
        #expect(gate.asked == [.open("127.0.0.1:40000"), .mail("a@b", []), .rcpt("e@f", []), .reset], "the struck RCPT never reached the gate")
        _ = try? smtp.channel.finish()
        #expect(gate.asked.last == .close)
    }

    @Test func aDelayFaultRunsOutBeforeTheGateIsAsked() throws {
        let gate = FakeGate(replies: ["mail": [GateReply(code: 250, lines: ["2.1.0 Upstream sender ok"])]])
        let smtp = try EmbeddedSMTP(faults: [Fault(stage: .mail, action: .delay(seconds: 3))], gate: gate)
        _ = try smtp.output()
        _ = try smtp.send("EHLO c\r\n")
        #expect(try smtp.send("MAIL FROM:<a@b>\r\n") == "")
        #expect(!gate.asked.contains(.mail("a@b", [])))
        smtp.channel.embeddedEventLoop.advanceTime(by: .seconds(3))
        #expect(try smtp.output() == "250 2.1.0 Upstream sender ok\r\n")
        _ = try? smtp.channel.finish()
    }

    @Test func theGateDecidesTheLoginAndNeverSeesItRecorded() throws {
        let gate = FakeGate(decidesLogins: true, replies: [
            "login": [GateReply(code: 535, lines: ["5.7.8 Username and Password not accepted. Learn more at", "5.7.8 https://support.example/answer"]),
                      GateReply(code: 235, lines: ["2.7.0 Accepted"])],
        ])
        let smtp = try EmbeddedSMTP(gate: gate) {
            $0.users = ["alice": "right"]
            $0.authBeforeTLS = true
            $0.requireAuth = true
        }
        _ = try smtp.output()
        #expect(try smtp.send("EHLO c\r\n").contains("250 AUTH PLAIN LOGIN XOAUTH2\r\n"), "only mechanisms that hand over a secret")
        #expect(try smtp.send("AUTH CRAM-MD5\r\n") == "504 5.5.4 Unrecognized authentication mechanism\r\n")
        let wrong = Base64.encode(Array("\0alice\0upstream-secret-1".utf8))
        #expect(try smtp.send("AUTH PLAIN \(wrong)\r\n") == """
            535-5.7.8 Username and Password not accepted. Learn more at\r
            535 5.7.8 https://support.example/answer\r

            """)
        #expect(try smtp.send("AUTH LOGIN\r\n") == "334 VXNlcm5hbWU6\r\n")
        #expect(try smtp.send(Base64.encode(Array("alice".utf8)) + "\r\n") == "334 UGFzc3dvcmQ6\r\n")
        #expect(try smtp.send(Base64.encode(Array("upstream-secret-2".utf8)) + "\r\n") == "235 2.7.0 Accepted\r\n",
                "the gate accepts what the users would refuse")
        #expect(try smtp.send("MAIL FROM:<alice@a.test>\r\nRCPT TO:<b@b.test>\r\nDATA\r\n") == "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 End data with <CR><LF>.<CR><LF>\r\n")
        #expect(try smtp.send("Subject: x\r\n\r\nbody\r\n.\r\n").hasPrefix("250 2.0.0 Ok: queued as"))

        #expect(gate.asked.filter { if case .login = $0 { true } else { false } } == [
            .login(mechanism: "PLAIN", user: "alice", secret: "upstream-secret-1"), .login(mechanism: "LOGIN", user: "alice", secret: "upstream-secret-2"),
        ])
        let record = try #require(smtp.stored.first?.record)
        #expect(record.authUser == "alice" && record.authMechanism == "LOGIN")
        let transcript = record.transcript.map(\.text).joined(separator: "\n")
        for secret in ["upstream-secret", wrong, Base64.encode(Array("upstream-secret-2".utf8))] {
            #expect(!transcript.contains(secret), "\(transcript)")
            #expect(!String(decoding: record.json, as: UTF8.self).contains(secret))
        }
        #expect(transcript.contains("AUTH PLAIN [credentials hidden]"))
        _ = try? smtp.channel.finish()
    }

    @Test func aNilLoginVerdictIsTheUsersOne() throws {
        let gate = FakeGate(decidesLogins: true)
        let smtp = try EmbeddedSMTP(gate: gate) {
            $0.users = ["alice": "right"]
            $0.authBeforeTLS = true
        }
        _ = try smtp.output()
        _ = try smtp.send("EHLO c\r\n")
        #expect(try smtp.send("AUTH PLAIN \(Base64.encode(Array("\0alice\0wrong".utf8)))\r\n") == "535 5.7.8 Authentication credentials invalid\r\n")
        #expect(try smtp.send("AUTH PLAIN \(Base64.encode(Array("\0alice\0right".utf8)))\r\n") == "235 2.7.0 Authentication successful\r\n")
        #expect(gate.asked.count == 3)
        _ = try? smtp.channel.finish()
    }

    @Test func whileTheGateThinksNothingIsReadOrAnswered() throws {
        let gate = FakeGate(holds: true)
        let smtp = try EmbeddedSMTP(gate: gate)
        _ = try smtp.output()
        _ = try smtp.send("EHLO c\r\n")
        #expect(try smtp.send("MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nNOOP\r\n") == "")
        #expect(gate.asked.last == .mail("a@b", []))
        gate.answerOne()
        #expect(try smtp.output() == "250 2.1.0 Ok\r\n", "the pipelined RCPT waits for the gate in turn")
        #expect(gate.asked.last == .rcpt("c@d", []))
        gate.answerOne()
        #expect(try smtp.output() == "250 2.1.5 Ok\r\n250 2.0.0 Ok\r\n")
        _ = try? smtp.channel.finish()
    }

    @Test func aGateThatNeverAnswersIsCutOffAtThePerCommandLimit() throws {
        let gate = FakeGate(holds: true)
        let smtp = try EmbeddedSMTP(gate: gate) { $0.commandSeconds = 2 }
        _ = try smtp.output()
        _ = try smtp.send("EHLO c\r\n")
        #expect(try smtp.send("MAIL FROM:<a@b>\r\n") == "")
        smtp.channel.embeddedEventLoop.advanceTime(by: .milliseconds(1999))
        #expect(try smtp.output() == "")
        smtp.channel.embeddedEventLoop.advanceTime(by: .milliseconds(1))
        #expect(try smtp.output() == "421 4.4.2 No answer came from upstream within 2 s (the per-command time limit); closing the connection\r\n")
        #expect(!smtp.channel.isActive)
        #expect(gate.asked.last == .close)
        gate.answerOne()
        #expect(try smtp.output() == "", "a late answer finds nothing to do")
        let endings = smtp.sink.events.withLock { $0 }.compactMap { event -> String? in
            if case .session(let summary) = event { summary.ending } else { nil }
        }
        #expect(endings == ["the gate did not answer"])
    }

    @Test func aGateThatNeverAnswersTheMessageDropsIt() throws {
        let gate = FakeGate(holds: true)
        let smtp = try EmbeddedSMTP(gate: gate) { $0.commandSeconds = 5 }
        _ = try smtp.output()
        _ = try smtp.send("EHLO c\r\n")
        for command in ["MAIL FROM:<a@b>\r\n", "RCPT TO:<c@d>\r\n", "DATA\r\n"] {
            _ = try smtp.send(command)
            gate.answerOne()
            _ = try smtp.output()
        }
        #expect(try smtp.send("Subject: x\r\n\r\nbody\r\n.\r\n") == "")
        smtp.channel.embeddedEventLoop.advanceTime(by: .seconds(5))
        #expect(try smtp.output().hasPrefix("421 4.4.2 No answer came from upstream"))
        #expect(smtp.stored.isEmpty)
        #expect(smtp.sink.dropped.withLock { $0 } == 1)
    }

    @Test func aRefusedFirstChunkIsAnsweredOnceItsOctetsAreRead() throws {
        let gate = FakeGate(replies: ["data": [GateReply(code: 554, lines: ["5.7.1 Upstream refuses mail from you"])]])
        let smtp = try EmbeddedSMTP(gate: gate)
        _ = try smtp.output()
        _ = try smtp.send("EHLO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\n")
        #expect(try smtp.send("BDAT 5\r\nab") == "")
        #expect(try smtp.send("cde") == "554 5.7.1 Upstream refuses mail from you\r\n")
        #expect(try smtp.send("NOOP\r\n") == "250 2.0.0 Ok\r\n", "in step with the client after the chunk")
        #expect(gate.asked.filter { $0 == .data }.count == 1)
        #expect(smtp.stored.isEmpty)
        _ = try? smtp.channel.finish()
    }

    @Test func aChunkedMessageIsGivenToTheGateWhole() throws {
        let gate = FakeGate()
        let smtp = try EmbeddedSMTP(gate: gate)
        _ = try smtp.output()
        _ = try smtp.send("EHLO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\n")
        #expect(try smtp.send("BDAT 4\r\nab\r\n") == "250 2.0.0 4 octets received\r\n")
        #expect(try smtp.send("BDAT 3 LAST\r\ncd.").hasPrefix("250 2.0.0 Ok: queued as"))
        #expect(gate.asked.filter { $0 == .data }.count == 1, "DATA is asked at the first chunk only")
        #expect(gate.asked.last == .message(Array("ab\r\ncd.".utf8)))
        _ = try? smtp.channel.finish()
    }
}

/// The gate behind a real socket, answering from another thread as a relay does, with mailtui's
/// own client over STARTTLS.
@Suite struct GateOverASocketTests {
    @Test func aLoginAndAMessageAnsweredFromAnotherThread() throws {
        let gate = FakeGate(decidesLogins: true, replies: [
            "login": [GateReply(code: 235, lines: ["2.7.0 Accepted upstream"])],
            "message": [GateReply(code: 250, lines: ["2.0.0 OK upstream-id"])],
        ], answersFromElsewhere: true, leg: GateSessionTests.leg)
        let harness = try ServerHarness { $0.gate = gate }
        let report = try harness.send(.starttls, user: "alice", password: "upstream-secret")
        let transcript = report.transcript.map(\.plainText).joined(separator: "\n")
        #expect(report.succeeded, "\(report.failure?.description ?? "")\n\(transcript)")
        #expect(transcript.contains("235 2.7.0 Accepted upstream") && transcript.contains("250 2.0.0 OK upstream-id"), "\(transcript)")
        #expect(gate.asked.contains(.login(mechanism: "PLAIN", user: "alice", secret: "upstream-secret")) ||
                gate.asked.contains(.login(mechanism: "LOGIN", user: "alice", secret: "upstream-secret")), "\(gate.asked)")
        let stored = try #require(harness.stored.first)
        #expect(stored.relayed == GateSessionTests.leg)
        #expect(stored.authUser == "alice")
        let record = try String(contentsOfFile: stored.path.replacingOccurrences(of: ".eml", with: ".json"), encoding: .utf8)
        #expect(!record.contains("upstream-secret") && record.contains("\"relayed\":{"), "\(record)")
    }
}
