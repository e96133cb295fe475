import Foundation
import Testing
import MailCore
@testable import MailServer
import TestSupport

/// Each fault action, at its stage, seen through mailtui's own client and its diagnosis.
@Suite struct FaultTests {
    func fault(_ text: String) throws -> Fault { try Fault(parsing: text) }

    @Test(arguments: [
        ("ehlo=554 5.7.1 No thanks", SMTPStage.ehlo, 554),
        ("auth=535 5.7.8 Wrong", .auth, 535),
        ("mail=553 5.7.1 Sender address rejected: not owned by user", .mail, 553),
        ("rcpt=550 5.1.1 No such user", .rcpt, 550),
        ("data=554 5.7.1 Message refused", .data, 554),
        ("greeting=421 4.3.2 Busy, try later", .greeting, 421),
    ])
    func aReplyFaultIsWhatTheClientSeesAtThatStage(_ text: String, _ stage: SMTPStage, _ code: Int) throws {
        let harness = try ServerHarness(faults: [try fault(text)])
        let report = try harness.send(.starttls, user: stage == .auth ? "alice" : nil)
        let transcript = report.transcript.map(\.plainText).joined(separator: "\n")
        #expect(report.failure?.stage == stage, "\(report.failure?.description ?? "no failure")\n\(transcript)")
        #expect(report.failure?.reply?.code == code)
        #expect(harness.stored.isEmpty)
        #expect(harness.waitForEvents { $0.contains { if case .fault(let f) = $0 { f.stage.faultWord == text.split(separator: "=")[0] } else { false } } })
    }

    @Test func theNthOccurrenceOnly() throws {
        let harness = try ServerHarness(faults: [try fault("rcpt@2=550 5.1.1 Second recipient unknown")])
        let first = try harness.send(.none, to: "one@example.com")
        #expect(first.succeeded, "rcpt@1 is not struck")
        let second = try harness.send(.none, to: "two@example.com, three@example.com")
        #expect(second.failure?.stage == .rcpt)
        #expect(second.rejectedRecipients.map(\.address) == ["two@example.com"])
        #expect(try harness.send(.none, to: "four@example.com").succeeded)
    }

    @Test func delayThenNormally() throws {
        let harness = try ServerHarness(faults: [try fault("mail=delay 1")])
        let clock = ContinuousClock()
        let start = clock.now
        #expect(try harness.send(.none).succeeded)
        #expect(clock.now - start >= .milliseconds(900))
        #expect(harness.stored.count == 1)
    }

    @Test func closeAndHang() throws {
        let closing = try ServerHarness(faults: [try fault("rcpt=close")])
        let closed = try closing.send(.none)
        #expect(closed.failure?.kind == .connectionClosed && closed.failure?.stage == .rcpt, "\(closed.failure?.description ?? "")")
        let hanging = try ServerHarness(faults: [try fault("data=hang")])
        var settings = hanging.settings(.none)
        settings.timeouts = Timeouts(perStep: 3)
        CurlRuntime.initialize()
        let message = try MessageDraft(from: "a@example.com", to: "b@example.com", textBody: "x").validated()
        let hung = SMTPSession().run(.send(message, settings: settings, secret: nil)) { _ in }
        #expect(hung.failure?.kind == .serverTimeout, "\(hung.failure?.description ?? "")")
        #expect(hanging.stored.isEmpty, "nothing partial is stored")
    }

    @Test func tlsFailBreaksTheHandshake() throws {
        let harness = try ServerHarness(faults: [try fault("starttls=tls-fail")])
        let report = try harness.send(.starttls)
        #expect(report.failure?.stage == .tls, "\(report.failure?.description ?? "")")
        #expect([FailureKind.tlsHandshake, .tlsOnPlainPort, .connectionClosed].contains(report.failure?.kind))
    }

    @Test(arguments: Preset.all.map(\.name))
    func everyPresetAnswersAsItsProviderDoes(_ name: String) throws {
        let preset = try #require(Preset.named(name))
        let harness = try ServerHarness(faults: preset.faults)
        guard case .replace(let code, let text, _) = FaultOutcome(preset.faults[0]) else { Issue.record("not a reply"); return }
        var report = try harness.send(.starttls, user: "alice")
        // The rate limit strikes the fourth message of the hour.
        if case .throttle(let count, _, _, _, _) = preset.faults[0].action { for _ in 0..<count { report = try harness.send(.starttls, user: "alice") } }
        #expect(report.failure?.reply?.code == code, "\(name): \(report.failure?.description ?? "no failure")")
        #expect(report.failure?.reply?.description.contains(text.split(separator: " ").dropFirst().prefix(3).joined(separator: " ")) == true)
    }

    @Test(arguments: ["rcpt", "rcpt@0=550 x", "nowhere=close", "auth=delay forever", "data=tls-fail", "mail=99 x", "ehlo="])
    func badFaultsAreRefusedWithAReason(_ text: String) {
        #expect(throws: FaultError.self) { try Fault(parsing: text) }
    }
}

/// The fault book as the compose screen's panel changes it.
@Suite struct FaultBookTests {
    @Test func aOnceFaultStrikesOnceAndCountsStartWhenSet() {
        let book = FaultBook([Fault(stage: .rcpt, occurrence: 1, action: .close)])
        #expect(book.reach(.rcpt)?.fault.action == .close)
        _ = book.reach(.rcpt)
        book.replace(with: [Fault(stage: .rcpt, occurrence: 2, action: .reply(code: 550, text: "5.1.1 No"))], once: true)
        #expect(book.active == ["rcpt@2=550 5.1.1 No (once)"])
        #expect(book.reach(.rcpt) == nil, "@2 counts from when it was set")
        #expect(book.reach(.rcpt)?.occurrence == 2)
        #expect(book.active.isEmpty, "gone once struck")
        #expect(book.reach(.rcpt) == nil)
        book.replace(with: [Fault(stage: .mail, action: .hang)], once: false)
        #expect(book.reach(.mail) != nil && book.reach(.mail) != nil, "until cleared")
        book.replace(with: [], once: false)
        #expect(book.active.isEmpty && book.reach(.mail) == nil)
    }
}

/// The server's faults name the client's stages: `starttls` (what users type and scripts read)
/// is `SMTPStage.tls`, and every fault record still writes `starttls`.
@Suite struct FaultStageWordsTests {
    @Test func starttlsAndTlsAreTheClientsTLSStageAndAreWrittenStarttls() throws {
        for text in ["starttls=tls-fail", "STARTTLS=tls-fail", "tls=tls-fail"] {
            let fault = try Fault(parsing: text)
            #expect(fault.stage == .tls && fault.action == .tlsFail, "\(text)")
            #expect(fault.description == "starttls=tls-fail")
        }
        #expect(SMTPStage.allCases.map(\.faultWord) == ["connect", "greeting", "ehlo", "starttls", "auth", "mail", "rcpt", "data", "quit"])
        let report = FaultReport(stage: .tls, occurrence: 1, action: "tls-fail", client: "127.0.0.1:1")
        let json = String(decoding: try JSONEncoder().encode(report), as: UTF8.self)
        #expect(json.contains("\"stage\":\"starttls\""), "\(json)")
        #expect(try JSONDecoder().decode(FaultReport.self, from: Data(json.utf8)) == report)
        let old = #"{"stage":"starttls","occurrence":2,"action":{"close":{}}}"#
        #expect(try JSONDecoder().decode(Fault.self, from: Data(old.utf8)) == Fault(stage: .tls, occurrence: 2, action: .close))
        let written = String(decoding: try JSONEncoder().encode(Fault(stage: .tls, action: .tlsFail)), as: UTF8.self)
        #expect(written.contains("\"stage\":\"starttls\""), "\(written)")
        // The client's own JSON (transcripts, history) keeps writing `tls`, and reads both.
        #expect(String(decoding: try JSONEncoder().encode([SMTPStage.tls]), as: UTF8.self) == #"["tls"]"#)
        #expect(try JSONDecoder().decode([SMTPStage].self, from: Data(#"["starttls","tls"]"#.utf8)) == [.tls, .tls])
    }
}

/// Every reply preset of `mailtui serve` is a reply mailtui's diagnosis knows by name, so that the
/// rehearsal and the diagnosis speak of the same thing.
@Suite struct PresetsMeetTheCatalogueTests {
    @Test func everyPresetReplyIsInTheReplyCatalogue() {
        for preset in Preset.all {
            for fault in preset.faults {
                guard case .reply(let code, let text) = fault.action else { continue }
                let reply = ServerReply(code: code, lines: [text])
                #expect(ReplyCatalogue.match(reply) != nil, "\(preset.name): \(reply) is not in the catalogue")
            }
        }
    }

    /// Through the real server and client: the send fails at the preset's stage, in the catalogue's words.
    @Test(arguments: ["m365-send-as-denied", "sendgrid-sender-identity", "gmail-dmarc", "spf-fail", "ses-throttling"])
    func aPresetIsDiagnosedAsTheProviderMeansIt(_ name: String) throws {
        let preset = try #require(Preset.named(name))
        let harness = try ServerHarness(faults: preset.faults)
        let report = try harness.send()
        let failure = try #require(report.failure)
        guard case .reply(let code, let text) = preset.faults[0].action else { Issue.record("\(name): not a reply"); return }
        let entry = try #require(ReplyCatalogue.match(ServerReply(code: code, lines: [text]), at: failure.stage))
        #expect(failure.explanation == entry.explanation, "\(name): \(failure)")
        #expect(failure.reply?.code == code)
    }
}

@Suite struct FaultParsingTests {
    @Test func aDashAfterTheCodeIsExplained() {
        do {
            _ = try Fault(parsing: "rcpt=550-5.1.1 No such user")
            Issue.record("a continuation line was taken as a fault reply")
        } catch {
            #expect(error.reason.contains("continuation line") && error.reason.contains("'550 5.1.1 No such user'"), "\(error.reason)")
        }
    }
}
