import Foundation
import Testing
import MailCore
@testable import MailServer
import TestSupport

/// A long Subject comes folded over several lines (encoded words, each about 40 characters); the
/// inbox showed only the first line.
@Suite struct FoldedSubjectTests {
    static let long = "Grüße aus Köln: your weekly report for the project is ready to read now ✓"

    @Test func aFoldedSubjectSentWithDataIsKeptWhole() throws {
        let harness = try ServerHarness()
        let message = try MessageDraft(from: "a@example.com", to: "b@example.com", subject: Self.long, textBody: "x").validated()
        let rendered = String(decoding: try MessageRenderer(options: .deterministic).render(message).readAll(), as: UTF8.self)
        #expect(rendered.contains("?=\r\n "), "the renderer folds this Subject:\n\(rendered)")
        CurlRuntime.initialize()
        let report = SMTPSession().run(.send(message, settings: harness.settings(.none), secret: nil)) { _ in }
        #expect(report.succeeded, "\(report.failure?.description ?? "")")
        let stored = try #require(harness.stored.first)
        #expect(EncodedWords.decode(stored.subject ?? "") == Self.long, "\(stored.subject ?? "nil")")
    }

    @Test func aFoldedSubjectInAChunkIsUnfoldedAndBounded() {
        let header = Array("From: a@example.com\r\nSubject: first part,\r\n second part\r\n\tthird\r\nTo: b@example.com\r\n\r\nbody\r\n".utf8)
        #expect(SubjectReader.subject(inHeader: header) == "first part, second part\tthird")
        let huge = Array(("Subject: x\r\n" + String(repeating: " y\r\n", count: 20_000) + "\r\n").utf8)
        #expect((SubjectReader.subject(inHeader: huge)?.utf8.count ?? 0) <= SubjectReader.limit)
    }
}
