import Foundation
import Synchronization
import Testing
import MailCore
@testable import MailServer
import TestSupport

/// The relay's gate against real upstreams (aiosmtpd, and the fault server for what aiosmtpd
/// will not do), asked stage by stage as a server session asks it.
@Suite struct RelayGateTests {
    static let password = "s3cret-Pa55"
    static let message = Array("From: app@example.com\r\nTo: user@example.com\r\nSubject: reset\r\n\r\nYour link.\r\n.a line with a dot\r\n".utf8)

    /// The gate answers on its own threads: wait for the answer, as the session would.
    final class Answer: Sendable {
        private let box = Mutex<(done: Bool, reply: GateReply?)>((false, nil))
        var done: @Sendable (GateReply?) -> Void { { reply in self.box.withLock { $0 = (true, reply) } } }
        func wait(_ seconds: Double = 60) -> GateReply?? {
            guard Wait.until(timeout: seconds, { box.withLock { $0.done } }) else { return nil }
            return .some(box.withLock { $0.reply })
        }
    }

    static func ask(_ call: (@escaping @Sendable (GateReply?) -> Void) -> Void) throws -> GateReply {
        let answer = Answer()
        call(answer.done)
        let reply = try #require(answer.wait(), "the gate answered")
        return try #require(reply, "the gate decided (not serve's own rules)")
    }

    static func gate(_ upstream: TestSMTPServer, user: String? = nil, secret: String? = nil, response: Double = 10) -> RelayGate {
        var settings = upstream.settings(.starttls)
        settings.username = user
        settings.timeouts = Timeouts(connect: 10, response: response, total: 60)
        return RelayGate(RelayUpstream(settings: settings, secret: secret.map(Secret.init)))
    }

    /// Nothing of the password, plain or in base64, in what is recorded.
    static func expectNoPassword(_ leg: RelayedLeg?, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let leg = try #require(leg, sourceLocation: sourceLocation)
        let text = String(decoding: try JSONEncoder().encode(leg), as: UTF8.self)
        #expect(!text.contains(password), sourceLocation: sourceLocation)
        for login in ["\0alice\0" + password, password] {
            #expect(!text.contains(Data(login.utf8).base64EncodedString()), sourceLocation: sourceLocation)
        }
    }

    @Test func theAppSeesTheUpstreams535WordForWord() throws {
        let words = ["5.7.8 Username and Password not accepted. For more information, go to",
                     "5.7.8  https://support.google.com/mail/?p=BadCredentials x1-20020a"]
        // Gmail's refusal, in two lines, as it words it.
        let upstream = try TestSMTPServer.faulty(["--reply", "auth", "535-" + words[0] + "\n535 " + words[1]])
        let session = Self.gate(upstream).open(client: "127.0.0.1")
        defer { session.close() }
        let reply = try Self.ask { session.login(ClientLogin(mechanism: "PLAIN", user: "alice", secret: Self.password), done: $0) }
        #expect(reply == GateReply(code: 535, lines: words))
        let leg = try #require(session.takeLeg())
        #expect(leg.stage == .auth)
        #expect(leg.reply.hasPrefix("535 5.7.8 Username and Password not accepted"))
        #expect(!leg.delivered)
        #expect(leg.diagnosis?.isEmpty == false)
        #expect(leg.transcript.contains { $0.speaker == .client && $0.text.hasPrefix("AUTH PLAIN") })
        try Self.expectNoPassword(leg)
    }

    @Test(arguments: ["PLAIN", "LOGIN", "XOAUTH2"])
    func eachMechanismIsReplayedUpstreamWithTheSameCredentials(_ mechanism: String) throws {
        let upstream = try TestSMTPServer.faulty(["--login", "alice:" + Self.password, "--mechanisms", mechanism])
        for (secret, code) in [("wrong", 535), (Self.password, 235)] {
            let session = Self.gate(upstream).open(client: "127.0.0.1")
            defer { session.close() }
            let reply = try Self.ask { session.login(ClientLogin(mechanism: mechanism, user: "alice", secret: secret), done: $0) }
            #expect(reply.code == code, "\(mechanism) \(secret == "wrong" ? "wrong" : "right"): \(reply)")
        }
        #expect(upstream.commandLog.contains("AUTH \(mechanism)"), "\(upstream.commandLog)")
    }

    @Test func aGoodPasswordDeliversAndTheConnectionIsReused() throws {
        let upstream = try TestSMTPServer(["--mode", "starttls", "--auth", "alice:" + Self.password])
        let session = Self.gate(upstream).open(client: "127.0.0.1")
        defer { session.close() }
        let login = try Self.ask { session.login(ClientLogin(mechanism: "LOGIN", user: "alice", secret: Self.password), done: $0) }
        #expect(login.code == 235)
        for round in 1...2 {
            #expect(try Self.ask { session.mail(from: "app@example.com", parameters: ["SIZE=\(Self.message.count)"], done: $0) }.code == 250)
            #expect(try Self.ask { session.rcpt(to: "user@example.com", parameters: [], done: $0) }.code == 250)
            #expect(try Self.ask { session.data(done: $0) }.code == 354)
            let end = try Self.ask { session.message(Self.message, done: $0) }
            #expect(end == GateReply(code: 250, lines: [String(format: "2.0.0 Ok: queued as TEST%03d", round)]), "the upstream's words")
            let leg = try #require(session.takeLeg())
            #expect(leg.delivered && leg.stage == .quit && leg.diagnosis == nil)
            #expect(leg.reply == "250 2.0.0 Ok: queued as TEST00\(round)")
            #expect(leg.server == "127.0.0.1:\(upstream.port)")
            // The first leg holds the connection and the login; the next starts at its MAIL.
            #expect(leg.transcript.contains { $0.text == "STARTTLS" } == (round == 1))
            #expect(leg.transcript.first { $0.speaker == .client && $0.text.hasPrefix("MAIL FROM:<app@example.com>") }?.inTLS == true)
            try Self.expectNoPassword(leg)
        }
        let stored = upstream.messages()
        #expect(stored.count == 2)
        #expect(stored.first.map { Array($0.bytes) } == Self.message, "the upstream stored the bytes the app sent")
        #expect(stored.first?.envelope.authenticated == true)
        #expect(stored.first?.envelope.rcpt_tos == ["user@example.com"])
    }

    @Test func aRecipientRefusedUpstreamReachesTheAppAsThatRefusal() throws {
        let upstream = try TestSMTPServer(["--mode", "starttls", "--reject", "nobody@example.com"])
        let session = Self.gate(upstream).open(client: "127.0.0.1")
        defer { session.close() }
        #expect(try Self.ask { session.mail(from: "app@example.com", parameters: [], done: $0) }.code == 250)
        let refused = try Self.ask { session.rcpt(to: "nobody@example.com", parameters: [], done: $0) }
        #expect(refused == GateReply(code: 550, lines: ["5.1.1 <nobody@example.com>: Recipient address rejected: User unknown"]))
        #expect(try Self.ask { session.rcpt(to: "user@example.com", parameters: [], done: $0) }.code == 250)
        #expect(try Self.ask { session.data(done: $0) }.code == 354)
        #expect(try Self.ask { session.message(Self.message, done: $0) }.code == 250)
        #expect(upstream.messages().first?.envelope.rcpt_tos == ["user@example.com"])
        let leg = try #require(session.takeLeg())
        #expect(leg.delivered, "delivered to the recipient it took")
    }

    @Test(arguments: [["--hang", "rcpt"], ["--close", "rcpt"], ["--malformed", "rcpt"], ["--huge", "rcpt", "--huge-size", "400000"]])
    func anUpstreamThatHangsDropsOrAnswersGarbageGivesTheAppA4xxWithinTheLimit(_ fault: [String]) throws {
        let upstream = try TestSMTPServer.faulty(fault)
        let session = Self.gate(upstream, response: 2).open(client: "127.0.0.1")
        defer { session.close() }
        #expect(try Self.ask { session.mail(from: "app@example.com", parameters: [], done: $0) }.code == 250)
        let start = ContinuousClock.now
        let reply = try Self.ask { session.rcpt(to: "user@example.com", parameters: [], done: $0) }
        #expect(ContinuousClock.now - start < .seconds(30), "bounded by the reply limit (2 s), with room for a busy machine")
        #expect((400..<500).contains(reply.code))
        #expect(reply.lines.joined().contains("RCPT TO"), "\(reply)")
        let leg = try #require(session.takeLeg())
        #expect(leg.stage == .rcpt && !leg.delivered && leg.diagnosis != nil, "\(leg)")
        // The connection is gone: the rest of the transaction is refused at once, not hung.
        #expect((400..<500).contains(try Self.ask { session.data(done: $0) }.code))
    }

    @Test func aMessageOverTheUpstreamsSizeIsRefusedAtMailNamingItsLimit() throws {
        let upstream = try TestSMTPServer.faulty(["--size", "2000"])
        let session = Self.gate(upstream).open(client: "127.0.0.1")
        defer { session.close() }
        let reply = try Self.ask { session.mail(from: "app@example.com", parameters: ["SIZE=5000"], done: $0) }
        #expect(reply.code == 552)
        #expect(reply.lines.joined().contains("SIZE 2000"), "\(reply)")
        #expect(!upstream.commandLog.contains("MAIL"), "the upstream was never asked")
        #expect(try #require(session.takeLeg()).stage == .mail)
    }

    @Test func mailtuisOwnLoginRefusedGivesTheAppA454WithTheUpstreamsWords() throws {
        let upstream = try TestSMTPServer(["--mode", "starttls", "--auth", "relay:right"])
        let gate = Self.gate(upstream, user: "relay", secret: "wrong-" + Self.password)
        #expect(!gate.decidesLogins, "the app may log in to the relay with any name")
        let session = gate.open(client: "127.0.0.1")
        defer { session.close() }
        let reply = try Self.ask { session.mail(from: "app@example.com", parameters: [], done: $0) }
        #expect(reply.code == 454)
        #expect(reply.lines.joined().contains("535 5.7.8"), "\(reply)")
        let leg = try #require(session.takeLeg())
        #expect(leg.stage == .auth && leg.reply.hasPrefix("535"))
        #expect(!String(decoding: try JSONEncoder().encode(leg), as: UTF8.self).contains(Self.password))
    }
}

/// A relay connection lives as long as the app's: its engine session keeps a bounded report.
@Suite struct RelayConnectionMemoryTests {
    final class Chatter: ConversationDriver {
        func converse(_ conversation: Conversation) {
            for _ in 0..<1_100 { _ = conversation.command("NOOP") }
        }
    }

    @Test func aLongConversationKeepsItsReportBounded() throws {
        let upstream = try TestSMTPServer(["--mode", "starttls"])
        var settings = upstream.settings(.starttls)
        settings.timeouts = Timeouts(connect: 10, response: 10, total: 300)
        var request = SessionRequest(settings: settings, secret: nil, purpose: .probe, allowPartial: true)
        request.driver = Chatter()
        let report = SMTPSession().run(request) { _ in }
        #expect(report.failure == nil)
        // 2,200 lines were said after the opening: the report keeps the opening and 2,000 of them.
        #expect(report.transcript.count <= 2_000 + 40, "\(report.transcript.count)")
    }
}

/// The parts of the relay that decide without a network.
@Suite struct RelayWordsTests {
    @Test func parametersGoUpstreamOnlyWhenItOffersTheirExtension() {
        let offered: Set = ["SIZE", "8BITMIME"]
        let split = RelayParameters.forwarded(["SIZE=10", "BODY=8BITMIME", "SMTPUTF8", "RET=HDRS", "BODY=BINARYMIME"], offered: { offered.contains($0) })
        #expect(split.kept == ["SIZE=10", "BODY=8BITMIME"])
        #expect(split.dropped == ["SMTPUTF8", "RET=HDRS", "BODY=BINARYMIME"])
        #expect(RelayParameters.declaredSize(["BODY=8BITMIME", "size=123"]) == 123)
        #expect(RelayParameters.declaredSize(["SIZE=x"]) == nil)
        #expect(RelayParameters.command("MAIL FROM", "", ["SIZE=1"]) == "MAIL FROM:<> SIZE=1")
    }

    @Test func theRelaysOwnWordsStayOneShortLine() {
        let failure = UpstreamEnd(failure: nil, words: String(repeating: "x", count: 5_000) + "\r\n")
        let reply = RelayReplies.unavailable("smtp.example.com:587", at: .rcpt, failure)
        #expect(reply.code == 451)
        #expect(reply.lines.count == 1 && reply.lines[0].count <= RelayReplies.lineLimit)
        #expect(reply.lines[0].hasPrefix("4.4.2 mailtui relay: smtp.example.com:587 failed at RCPT TO"))
    }

    @Test func theFirstStartSaysWhereAndAsWhom() {
        var settings = ServerSettings(host: "smtp.gmail.com", port: 587, security: .starttls)
        #expect(RelayUpstream(settings: settings, secret: nil).banner.contains("smtp.gmail.com:587 (STARTTLS) as whoever the app logs in as"))
        settings.username = "me@gmail.com"
        let own = RelayUpstream(settings: settings, secret: Secret("pw"))
        #expect(own.banner.contains("as me@gmail.com"))
        #expect(!own.banner.contains("pw"))
        #expect(!own.passThrough)
    }
}
