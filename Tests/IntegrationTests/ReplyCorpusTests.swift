import Foundation
import Testing
@testable import MailCore
import TestSupport

/// Every reply of the corpus (Tests/Fixtures/replies.json: real servers' and providers' words)
/// through the whole engine: one fault server plays each entry at its stage on a new connection,
/// and the diagnosis must name the entry's kind and advice.
@Suite struct ReplyCorpusTests {
    init() { CurlRuntime.initialize() }

    /// The settings an entry needs: a login for AUTH replies, STARTTLS for replies to STARTTLS,
    /// and otherwise a plain session whose EHLO offered STARTTLS (as aiosmtpd's does).
    func settings(for entry: ReplyCorpusEntry, server: TestSMTPServer) -> ServerSettings {
        var settings = server.settings(entry.stage == "starttls" ? .starttls : .none)
        settings.username = entry.stage == "auth" ? "alice" : nil
        settings.timeouts = Timeouts(connect: 10, response: 10, total: 30)
        return settings
    }

    @Test func everyReplyOfTheCorpusGetsItsDiagnosis() throws {
        let entries = ReplyCorpusEntry.all
        #expect(entries.count >= 60, "the corpus has \(entries.count) entries")
        let next = TestPaths.temporaryDirectory("mailtui-corpus") + "/next.json"
        let server = try TestSMTPServer.faulty(["--next", next, "--auth-plaintext"])
        defer { server.stop() }
        let message = try MessageDraft(from: "app@example.com", to: "ada@example.org", textBody: "hello").validated()
        var right = 0
        var wrong: [String] = []
        for entry in entries {
            let play = try JSONSerialization.data(withJSONObject: ["stage": entry.stage, "reply": entry.reply])
            try play.write(to: URL(fileURLWithPath: next))
            let settings = settings(for: entry, server: server)
            let report = SMTPSession().run(.send(message, settings: settings, secret: settings.username == nil ? nil : Secret("pw"))) { _ in }
            guard let failure = report.failure else {
                wrong.append("\(entry.id): no failure")
                continue
            }
            let ok = failure.kind.rawValue == entry.kind && failure.advice == entry.advice && failure.stage == entry.smtpStage
            if ok { right += 1 } else {
                wrong.append("\(entry.id): got \(failure.stage.displayName) \(failure.kind.rawValue) \(failure.advice ?? "-"), want \(entry.smtpStage.displayName) \(entry.kind) \(entry.advice ?? "-")")
            }
            #expect(failure.reply == entry.serverReply, "\(entry.id): the server's words are kept whole: \(String(describing: failure.reply))")
            // Quoted once: in the transcript as the server said it, and with the diagnosis as
            // "server said"; neither the explanation nor mailtui's closing note repeats it.
            let first = entry.serverReply.lines[0]
            #expect(!failure.explanation.contains(first), "\(entry.id): \(failure.explanation)")
            #expect(report.transcript.filter { $0.speaker != .server && $0.text.contains(first) }.isEmpty,
                    "\(entry.id): \(report.transcript.filter { $0.speaker != .server }.map(\.text))")
            #expect(failure.transportCause == nil, "\(entry.id): the server's reply explains it, not libcurl's \(failure.curlMessage ?? "")")
        }
        print("reply corpus through the engine: \(right) of \(entries.count) right")
        #expect(wrong.isEmpty, "\(wrong.count) of \(entries.count) wrong:\n\(wrong.joined(separator: "\n"))")
    }
}
