import Foundation
import MailCore
@testable import MailServer
import Testing
import TestSupport

/// `<id>.json` is written by hand (StoredMessage.json): whatever a client put in its envelope,
/// JSONDecoder must read back the same record.
struct RecordJSONTests {
    @Test func everyRecordReadsBackAsItWasWritten() throws {
        var fuzz = Fuzz(seed: 0x5EED_0F_150)
        for _ in 0..<500 {
            func text() -> String { fuzz.mutate(["a@example.com", "Subject \"quoted\" \\ back", "é 👨‍👩‍👧 \u{1}", "C: EHLO x"].randomElement(using: &fuzz)!) }
            func maybe() -> String? { Bool.random(using: &fuzz) ? text() : nil }
            func line() -> TranscriptLine {
                TranscriptLine(elapsed: .microseconds(Int.random(in: 0...100_000_000_000, using: &fuzz)), speaker: [.client, .server, .note].randomElement(using: &fuzz)!,
                               inTLS: Bool.random(using: &fuzz), stage: SMTPStage.allCases.randomElement(using: &fuzz)!, text: text())
            }
            let record = StoredMessage(
                id: text(), path: "/inbox/" + text(), from: text(), fromParameters: (0..<Int.random(in: 0...3, using: &fuzz)).map { _ in text() },
                recipients: (0..<Int.random(in: 0...3, using: &fuzz)).map { _ in .init(address: text(), parameters: [text()]) },
                helo: maybe(), client: text(), tls: maybe(), cipher: maybe(), authUser: maybe(), authMechanism: maybe(),
                time: Int.random(in: 0...Int.max, using: &fuzz), bytes: Int.random(in: 0...Int.max, using: &fuzz),
                subject: maybe(), transcript: (0..<Int.random(in: 0...5, using: &fuzz)).map { _ in line() }, faults: maybe().map { [$0] } ?? [],
                relayed: Bool.random(using: &fuzz) ? nil : RelayedLeg(server: text(), stage: SMTPStage.allCases.randomElement(using: &fuzz)!, reply: text(),
                                                                      delivered: Bool.random(using: &fuzz), diagnosis: maybe(),
                                                                      transcript: (0..<Int.random(in: 0...5, using: &fuzz)).map { _ in line() }))
            let read = try JSONDecoder().decode(StoredMessage.self, from: Data(record.json))
            #expect(read == record)
        }
    }

    @Test func keysAreSortedAndAbsentValuesLeftOut() {
        let record = StoredMessage(id: "1", path: "/p", from: "a@b", fromParameters: [], recipients: [.init(address: "c@d", parameters: ["NOTIFY=NEVER"])],
                                   helo: nil, client: "127.0.0.1:5", tls: "TLSv1.3", authUser: nil, authMechanism: nil, time: 7, bytes: 3,
                                   subject: "Hi \"you\"",
                                   transcript: [TranscriptLine(elapsed: .microseconds(1_000_003), speaker: .server, inTLS: false, stage: .greeting, text: "220 ok")], faults: [])
        #expect(String(decoding: record.json, as: UTF8.self) == #"{"bytes":3,"client":"127.0.0.1:5","faults":[],"from":"a@b","fromParameters":[],"id":"1","path":"/p","recipients":[{"address":"c@d","parameters":["NOTIFY=NEVER"]}],"subject":"Hi \"you\"","time":7,"tls":"TLSv1.3","transcript":[{"elapsed":1.000003,"inTLS":false,"speaker":"server","stage":"greeting","text":"220 ok"}]}"#)
    }

    /// Records written before lines were objects held `C: `/`S: ` strings: they still read, and
    /// show as they did.
    @Test func anOlderRecordWithStringLinesStillReads() throws {
        let old = #"{"bytes":3,"client":"127.0.0.1:5","faults":[],"from":"a@b","fromParameters":[],"id":"1","path":"/p","recipients":[],"time":7,"transcript":["S: 220 ok","C: RCPT TO:<c@d>","(fault rcpt=close)"]}"#
        let read = try JSONDecoder().decode(StoredMessage.self, from: Data(old.utf8))
        #expect(read.transcript.map(\.tagged) == ["S: 220 ok", "C: RCPT TO:<c@d>", "(fault rcpt=close)"])
        #expect(read.transcript.map(\.speaker) == [.server, .client, .note])
        #expect(read.transcript[1].stage == .rcpt)
    }

    /// A relayed message keeps its upstream leg; records without one (older, or `serve`'s) read
    /// as before.
    @Test func aRelayedLegIsWrittenAndReadBack() throws {
        let leg = RelayedLeg(server: "smtp.example.test:587", stage: .rcpt, reply: "550 5.1.1 \"No\" such user", delivered: false,
                             diagnosis: "The recipient does not exist/was mistyped.",
                             transcript: [TranscriptLine(elapsed: .microseconds(2_500_001), speaker: .client, inTLS: true, stage: .rcpt, text: "RCPT TO:<x@y>")])
        let record = StoredMessage(id: "1", path: "/p", from: "a@b", fromParameters: [], recipients: [], helo: nil, client: "c", tls: nil,
                                   authUser: nil, authMechanism: nil, time: 1, bytes: 0, subject: nil, transcript: [], faults: [], relayed: leg)
        let read = try JSONDecoder().decode(StoredMessage.self, from: Data(record.json))
        #expect(read.relayed == leg)
        #expect(read == record)
        let old = #"{"bytes":3,"client":"127.0.0.1:5","faults":[],"from":"a@b","fromParameters":[],"id":"1","path":"/p","recipients":[],"time":7,"transcript":[]}"#
        #expect(try JSONDecoder().decode(StoredMessage.self, from: Data(old.utf8)).relayed == nil)
    }
}
