import Foundation
import MailCore
@testable import MailServer
import Testing
import TestSupport

/// What `mailtui wait` reads of a store folder: only whole messages of the store's own naming,
/// each once, and never through a link.
@Suite struct StoreWatchTests {
    @Test func onlyWholeMessagesAreReadAndEachOnce() throws {
        let harness = try ServerHarness()
        let watch = StoreWatch(directory: harness.server.store.directory)
        #expect(watch.arrivals().isEmpty)
        let report = try harness.send(text: "Reset: https://acme.example/r?t=1")
        #expect(report.failure == nil)
        #expect(harness.waitForEvents { $0.contains { if case .message = $0 { true } else { false } } })
        let first = watch.arrivals()
        try #require(first.count == 1)
        #expect(first[0].link == "https://acme.example/r?t=1" && first[0].subject == "test")
        #expect(watch.arrivals().isEmpty, "each message once")

        // A record without its message (being stored), a part file, a link and a user's file: none is a message.
        let directory = harness.server.store.directory
        let id = "1700000000000-1-000009"
        try Data(first[0].record.json).write(to: URL(fileURLWithPath: "\(directory)/\(id).json"))
        try Data("Subject: half\r\n".utf8).write(to: URL(fileURLWithPath: "\(directory)/\(id).eml.tmp-1-part"))
        try Data("Subject: notes\r\n".utf8).write(to: URL(fileURLWithPath: "\(directory)/notes.eml"))
        try FileManager.default.createSymbolicLink(atPath: "\(directory)/1700000000000-1-000010.eml", withDestinationPath: first[0].record.path)
        try Data(first[0].record.json).write(to: URL(fileURLWithPath: "\(directory)/1700000000000-1-000010.json"))
        watch.pause(upTo: 0.01)
        #expect(watch.arrivals().isEmpty)
        // Once the message is linked in whole, it is one.
        #expect(rename("\(directory)/\(id).eml.tmp-1-part", "\(directory)/\(id).eml") == 0)
        watch.pause(upTo: 0.25)
        #expect(watch.arrivals().map(\.subject) == ["half"])
    }

    @Test func skipPresentLeavesOnlyLaterMessages() throws {
        let harness = try ServerHarness()
        #expect(try harness.send(text: "one").failure == nil)
        #expect(harness.waitForEvents { $0.contains { if case .message = $0 { true } else { false } } })
        let watch = StoreWatch(directory: harness.server.store.directory)
        watch.skipPresent()
        #expect(watch.arrivals().isEmpty)
        #expect(try harness.send(text: "two").failure == nil)
        #expect(Wait.until { watch.pause(upTo: 0.1); return !watch.arrivals().isEmpty })
    }
}
