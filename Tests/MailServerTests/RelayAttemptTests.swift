@testable import MailServer
import MailCore
import Testing

/// A relayed attempt that fails before a message (the login, the sender or the recipients refused
/// upstream, then the app gives up) is stored as an attempt: the envelope so far, the app's side
/// and the upstream leg, under a note whose Subject says it was not sent.
@Suite struct RelayAttemptTests {
    static let refusal = RelayedLeg(server: "smtp.upstream.test:587", stage: .rcpt, reply: "550 5.1.1 <nobody@c.test>: Recipient address rejected",
                                    delivered: false, diagnosis: "The recipient does not exist. Try: check the address.",
                                    transcript: [TranscriptLine(elapsed: .microseconds(900), speaker: .client, inTLS: true, stage: .rcpt, text: "RCPT TO:<nobody@c.test>"),
                                                 TranscriptLine(elapsed: .microseconds(1200), speaker: .server, inTLS: true, stage: .rcpt,
                                                                text: "550 5.1.1 <nobody@c.test>: Recipient address rejected")])

    @Test func aRecipientRefusedUpstreamThenResetIsStoredWithBothLegs() throws {
        let gate = FakeGate(replies: ["rcpt": [GateReply(code: 550, lines: ["5.1.1 <nobody@c.test>: Recipient address rejected"])]])
        let smtp = try EmbeddedSMTP(gate: gate)
        _ = try smtp.output()
        _ = try smtp.send("ehlo c\r\nmail FROM:<app@b.test>\r\n")
        #expect(try smtp.send("rcpt TO:<nobody@c.test>\r\n") == "550 5.1.1 <nobody@c.test>: Recipient address rejected\r\n")
        gate.failedLeg.withLock { $0 = Self.refusal }
        #expect(smtp.stored.isEmpty, "the app may still give another recipient")
        #expect(try smtp.send("rset\r\n") == "250 2.0.0 Ok\r\n")

        let attempt = try #require(smtp.stored.first)
        #expect(smtp.stored.count == 1)
        #expect(attempt.record.relayed == Self.refusal)
        #expect(attempt.record.from == "app@b.test" && attempt.record.recipients.map(\.address) == ["nobody@c.test"])
        #expect(attempt.record.subject == "[not sent] smtp.upstream.test:587 refused RCPT TO: 550 5.1.1 <nobody@c.test>: Recipient address rejected")
        let appSide = attempt.record.transcript.map(\.tagged)
        #expect(appSide.contains("C: rcpt TO:<nobody@c.test>") && appSide.contains("S: 550 5.1.1 <nobody@c.test>: Recipient address rejected"), "\(appSide)")
        let note = String(decoding: attempt.octets, as: UTF8.self)
        #expect(note.contains("Subject: [not sent] smtp.upstream.test:587 refused RCPT TO: 550 5.1.1"))
        #expect(note.contains("\r\n\r\n") && note.contains("  550 5.1.1 <nobody@c.test>: Recipient address rejected\r\n"))
        #expect(attempt.record.bytes == attempt.octets.count)
        #expect(smtp.sink.events.withLock { $0 }.contains { if case .message(let m) = $0 { m.id == attempt.record.id } else { false } },
                "told as a message, so that the inbox and relay's events show it")

        // Nothing failed in the next transaction: nothing more is stored for it.
        #expect(try smtp.send("mail FROM:<app@b.test>\r\nrset\r\n") == "250 2.1.0 Ok\r\n250 2.0.0 Ok\r\n")
        _ = try? smtp.channel.finish()
        #expect(smtp.stored.count == 1)
    }

    @Test func aSenderRefusedUpstreamIsStoredAtOnce() throws {
        let gate = FakeGate(replies: ["mail": [GateReply(code: 451, lines: ["4.4.1 mailtui relay: smtp.upstream.test:587 failed at MAIL FROM"])]])
        gate.failedLeg.withLock { $0 = RelayedLeg(server: "smtp.upstream.test:587", stage: .connect, reply: "the connection failed", delivered: false,
                                                  diagnosis: "Nothing listens there.", transcript: []) }
        let smtp = try EmbeddedSMTP(gate: gate)
        _ = try smtp.output()
        _ = try smtp.send("EHLO c\r\n")
        #expect(try smtp.send("MAIL FROM:<app@b.test> SIZE=10\r\n").hasPrefix("451 4.4.1"))
        let attempt = try #require(smtp.stored.first)
        #expect(attempt.record.from == "app@b.test" && attempt.record.fromParameters == ["SIZE=10"] && attempt.record.recipients.isEmpty)
        #expect(attempt.record.subject == "[not sent] smtp.upstream.test:587 failed at connect: the connection failed")
        _ = try? smtp.channel.finish()
        #expect(smtp.stored.count == 1)
    }

    @Test func aTransactionLeftAfterARefusalIsStoredWhenTheAppGoes() throws {
        let gate = FakeGate(replies: ["rcpt": [GateReply(code: 550, lines: ["5.1.1 no"])]])
        let smtp = try EmbeddedSMTP(gate: gate)
        _ = try smtp.output()
        _ = try smtp.send("EHLO c\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<x@c.test>\r\n")
        gate.failedLeg.withLock { $0 = Self.refusal }
        #expect(try smtp.send("QUIT\r\n") == "221 2.0.0 Bye\r\n")
        _ = try? smtp.channel.finish()
        #expect(smtp.stored.map(\.record.relayed) == [Self.refusal])
    }

    @Test func theNoteIsOneLineOfASCIIInItsHeaderWhateverTheUpstreamSaid() {
        let leg = RelayedLeg(server: "smtp.upstream.test:587", stage: .auth, reply: "535 5.7.8 bad\r\nBcc: x@y \u{1b}[31m é" + String(repeating: "z", count: 500),
                             delivered: false, diagnosis: "line\nbreak", transcript: [])
        let note = String(decoding: RelayAttempt(leg: leg, from: nil, recipients: [], id: "1-2-000003", time: 0).octets, as: UTF8.self)
        let header = note.components(separatedBy: "\r\n\r\n")[0].components(separatedBy: "\r\n")
        #expect(!header.contains { $0.hasPrefix("Bcc") })
        let subject = header.first { $0.hasPrefix("Subject: ") } ?? ""
        #expect(subject.hasPrefix("Subject: [not sent] smtp.upstream.test:587 refused AUTH: 535 5.7.8 bad??Bcc: x@y ?[31m ?zzz"))
        #expect(subject.count <= "Subject: ".count + RelayAttempt.subjectLimit)
        #expect(subject.unicodeScalars.allSatisfy { (32...126).contains($0.value) })
        #expect(!note.contains("\u{1b}") && !note.contains("line\nbreak"))
    }
}
