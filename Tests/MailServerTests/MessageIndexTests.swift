import Foundation
import MailCore
import Synchronization
import Testing
import TestSupport
@testable import MailServer

/// The store's index against the files it is made from: the same answers as reading every file,
/// a growth that stays linear, read marks and tags that outlive the process, a damaged or
/// planted index file, and `--keep` per mailbox.
@Suite struct MessageIndexTests {
    /// A store folder filled as the store writes it, with varied messages.
    final class Folder {
        let path = TestPaths.temporaryDirectory("mailtui-index")
        private var number = 0

        init() { chmod(path, 0o700) }

        @discardableResult
        func store(_ message: String, login: String? = nil, rcpt: [String] = ["bob@example.com"]) -> MailServer.StoredMessage {
            number += 1
            let millis = 1_796_000_000_000 + number * 1000
            let id = "\(millis)-\(getpid())-" + String(repeating: "0", count: max(0, 6 - String(number).count)) + String(number)
            let bytes = Array(message.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\r\n").utf8)
            let record = MailServer.StoredMessage(id: id, path: path + "/" + id + ".eml", from: "sender\(number % 7)@example.com", fromParameters: [],
                                                  recipients: rcpt.map { .init(address: $0, parameters: []) }, helo: "client.test", client: "127.0.0.1:5",
                                                  tls: nil, authUser: login, authMechanism: login == nil ? nil : "PLAIN", time: millis / 1000, bytes: bytes.count,
                                                  subject: nil, transcript: [], faults: [])
            write(path + "/" + id + ".json", record.json)
            write(path + "/" + id + ".eml", bytes)
            return record
        }

        private func write(_ path: String, _ bytes: [UInt8]) {
            let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            _ = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            close(fd)
        }

        /// `count` messages of a few kinds: resets with a PDF, orders, welcomes with a Cc, in the
        /// default mailbox and in two logins' mailboxes.
        func fill(_ count: Int) {
            for n in 0..<count {
                let login = [nil, "project-a", "project-b"][n % 3]
                switch n % 4 {
                case 0: store(Self.reset(n), login: login,
                              rcpt: ["ada@example.com", "hidden\(n % 5)@example.com"])
                case 1: store("From: Shop <orders@shop.example>\nTo: bob@example.com\nSubject: Order \(n) =?UTF-8?Q?confirm=C3=A9?=\n\nYour order \(n) ships.\n", login: login)
                case 2: store("From: welcome@acme.example\nTo: \"Carl, C\" <carl@example.com>\nCc: dora@example.com\nReply-To: help@acme.example\nSubject: Welcome \(n)\n\nHello there, number \(n).\n", login: login)
                default: store("Subject: plain \(n)\n\n" + String(repeating: "word ", count: n % 50) + "\n", login: login)
                }
            }
        }

        static let resetParts = APITests.reset.components(separatedBy: "Password reset")
        static func reset(_ n: Int) -> String { resetParts.joined(separator: "Password reset \(n)") }
    }

    /// What reading the files gives a search: each message, newest first, read once.
    func filesSearchable(_ folder: String, readIDs: Set<String>) -> [(id: String, searchable: SearchableMessage)] {
        MessageStore.storedIDs(in: folder).reversed().compactMap { id in
            guard let message = APIMessage(id: id, directory: folder) else { return nil }
            var searchable = SearchableMessage(parsing: message.root, envelope: message.record.recipients.map(\.address), time: message.record.time,
                                               size: message.record.bytes)
            searchable.read = readIDs.contains(id)
            searchable.tags = Mailbox.tags(mailbox: Mailbox.of(message.record), tags: []).map { $0.lowercased() }
            return (id, searchable)
        }
    }

    static let queries = [
        "subject:reset", "subject:\"order 1\"", "subject:confirmé", "from:acme", "from:\"shop\"", "to:ada", "to:carl", "cc:carl", "cc:dora",
        "bcc:hidden3", "reply-to:help", "addressed:dora", "message-id:reset-1", "has:attachment", "-has:attachment", "is:unread", "is:read",
        "tag:project-a", "tag:PROJECT-B", "-tag:project-a", "is:tagged", "larger:400", "smaller:100", "after:1796001000", "before:1796000500",
        "subject:welcome -cc:nobody", "subject:order -smaller:100",
        // Plain words, which the files answer (for the rows the other terms let through).
        "hello subject:welcome", "\"number 1\" -tag:project-b",
    ]

    @Test func theIndexAnswersAsReadingTheFilesDoes() throws {
        let folder = Folder()
        folder.fill(2000)
        let index = try MessageIndex(directory: folder.path)
        #expect(index.reconcile().added == 2000)
        let read = Set(MessageStore.storedIDs(in: folder.path).filter { $0.hasSuffix("7") })
        index.mark(Array(read), mailbox: nil, read: true)
        let files = filesSearchable(folder.path, readIDs: read)
        func filesAnswer(_ query: String) -> [String] { files.filter { SearchQuery(query).matches($0.searchable) }.map(\.id) }
        for query in Self.queries {
            let expected = filesAnswer(query)
            #expect(index.ids(SearchQuery(query), mailbox: nil) == expected, "\(query)")
            #expect(!expected.isEmpty && expected.count < 2000 || query.hasPrefix("-") || query == "smaller:100",
                    "\(query) matches \(expected.count): the test would not see a difference")
        }
        // Pages, both ways: few matches sorted in memory, many found by walking the ids.
        let walking = try MessageIndex(directory: folder.path, fewMatches: 10)
        for query in Self.queries + ["", "subject:order", "is:unread"] {
            let expected = filesAnswer(query)
            for (start, limit) in [(0, 50), (3, 7), (600, 50)] {
                let shown = Array(expected.dropFirst(start).prefix(limit))
                for found in [index.page(SearchQuery(query), mailbox: nil, start: start, limit: limit),
                              walking.page(SearchQuery(query), mailbox: nil, start: start, limit: limit)] {
                    #expect(found.summaries.map(\.ID) == shown && (found.matched == expected.count || shown.isEmpty), "\(query) \(start) \(limit)")
                }
            }
        }
        // A mailbox: the messages of that login alone.
        let mine = index.ids(nil, mailbox: "project-a")
        #expect(mine.count == 667 && mine == filesAnswer("tag:project-a"))
        #expect(index.ids(nil, mailbox: "").count == 667)
        // The newest 50 as Mailpit lists them: the summary the files give, field for field.
        let page = index.page(nil, mailbox: nil, start: 0, limit: 50)
        #expect(page.matched == 2000 && page.summaries.count == 50)
        for summary in page.summaries {
            let message = try #require(APIMessage(id: summary.ID, directory: folder.path))
            #expect(summary == message.summary(read: read.contains(summary.ID)))
        }
        #expect(index.counts(mailbox: nil) == (total: 2000, unread: 2000 - read.count))
    }

    /// Doubling the store at most about doubles the time of a rebuild and of a search on the
    /// subject (best of several runs; a ratio with slack, never a time).
    @Test func doublingTheStoreAtMostAboutDoublesTheTime() throws {
        func times(_ count: Int) throws -> (rebuild: Double, search: Double) {
            let folder = Folder()
            folder.fill(count)
            let index = try MessageIndex(directory: folder.path)
            let start = Date()
            index.reconcile()
            let rebuild = Date().timeIntervalSince(start)
            var best = Double.infinity
            for _ in 0..<15 {
                let begun = Date()
                _ = index.page(SearchQuery("subject:order"), mailbox: nil, start: 0, limit: 50)
                _ = index.counts(mailbox: nil)
                best = min(best, Date().timeIntervalSince(begun))
            }
            return (rebuild, best)
        }
        let small = try times(1000)
        let large = try times(2000)
        #expect(large.rebuild / small.rebuild < 4, "\(small) \(large)")
        #expect(large.search / max(small.search, 0.0005) < 4, "\(small) \(large)")
    }

    @Test func readMarksAndTagsOutliveTheIndexObject() throws {
        let folder = Folder()
        let first = folder.store("Subject: one\n\nx\n")
        folder.store("Subject: two\n\nx\n", login: "project-a")
        do {
            let index = try MessageIndex(directory: folder.path)
            index.reconcile()
            index.mark([first.id], mailbox: nil, read: true)
            index.setTags(["Urgent", "billing"], on: [first.id])
        }
        let again = try MessageIndex(directory: folder.path)
        #expect(!again.isNew && again.isRead(first.id) == true)
        #expect(again.ids(SearchQuery("tag:urgent"), mailbox: nil) == [first.id])
        #expect(again.page(nil, mailbox: nil, start: 1, limit: 1).summaries.first?.Tags == ["Urgent", "billing"])
        #expect(again.page(nil, mailbox: nil, start: 0, limit: 1).summaries.first?.Tags == ["project-a"])
        #expect(again.tagCounts(mailbox: nil) == ["Urgent": 1, "billing": 1, "project-a": 1])
    }

    @Test func aDamagedIndexOrOneOfAnotherVersionIsMadeAgainFromTheFolder() throws {
        let folder = Folder()
        folder.fill(8)
        let path = folder.path + "/" + MessageIndex.fileName
        #expect(FileManager.default.createFile(atPath: path, contents: Data(repeating: 0x41, count: 8192)))
        let remade = try MessageIndex(directory: folder.path)
        #expect(remade.isNew)
        remade.reconcile()
        #expect(remade.counts(mailbox: nil).total == 8)
        remade.read(()) { connection throws(SQLiteError) in try connection.execute("PRAGMA user_version=99") }
        let other = try MessageIndex(directory: folder.path)
        #expect(other.isNew && other.counts(mailbox: nil).total == 0)
        other.reconcile()
        #expect(other.counts(mailbox: nil).total == 8)
    }

    @Test func aLinkUnderTheIndexNameIsNotFollowedAndTheFileIsTheUsersOnly() throws {
        let folder = Folder()
        let target = TestPaths.temporaryDirectory("mailtui-target") + "/precious"
        #expect(FileManager.default.createFile(atPath: target, contents: Data("keep me".utf8)))
        let path = folder.path + "/" + MessageIndex.fileName
        #expect(symlink(target, path) == 0)
        #expect(symlink(target, path + "-wal") == 0)
        let index = try MessageIndex(directory: folder.path)
        index.mark(nil, mailbox: nil, read: true)
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "keep me")
        for name in [path, path + "-wal", path + "-shm"] {
            var status = stat()
            #expect(lstat(name, &status) == 0 && status.st_mode & S_IFMT == S_IFREG && status.st_mode & 0o777 == 0o600, "\(name)")
        }
    }

    @Test func reconcilingAddsFilesWithoutRowsAndRemovesRowsWithoutFiles() throws {
        let folder = Folder()
        let gone = folder.store("Subject: gone\n\nx\n")
        let index = try MessageIndex(directory: folder.path)
        index.reconcile()
        unlink(folder.path + "/" + gone.id + ".eml")
        unlink(folder.path + "/" + gone.id + ".json")
        let new = folder.store("Subject: new\n\nx\n")
        #expect(index.reconcile() == (added: 1, removed: 1))
        #expect(index.ids(nil, mailbox: nil) == [new.id])
    }

    /// The compose screen's server and `serve` may share a folder: each writes its rows into the
    /// one index, and each lists the other's mail.
    @Test func twoServersOnOneFolderShareTheIndex() throws {
        let folder = TestPaths.temporaryDirectory("mailtui-shared")
        chmod(folder, 0o700)
        let first = try ServerHarness { $0.store = folder }
        let second = try ServerHarness { $0.store = folder }
        #expect(try first.send(.starttls, user: "project-a", text: "from the first").succeeded)
        #expect(try second.send(.starttls, text: "from the second").succeeded)
        _ = second.server.store.currentIndex()
        let index = try #require(first.server.store.currentIndex())
        #expect(index.counts(mailbox: nil).total == 2)
        #expect(index.ids(nil, mailbox: "project-a").count == 1 && index.ids(nil, mailbox: "").count == 1)
    }

    /// A message stored into the folder by hand (or by a mailtui without the index) is found by
    /// the next reconciling, which runs again while the server runs.
    @Test func reconcilingRunsAgainWhileTheStoreIsOpen() throws {
        let folder = Folder()
        let store = MessageStore(directory: folder.path, keep: 100)
        defer { store.close() }
        let index = try #require(store.index)
        let first = Mutex(false)
        store.startReconciling(every: 0.1) { first.withLock { $0 = true } }
        #expect(Wait.until(timeout: 60) { first.withLock { $0 } })
        let late = folder.store("Subject: stored by hand\n\nx\n")
        #expect(Wait.until(timeout: 60) { index.ids(nil, mailbox: nil) == [late.id] })
    }

    /// A client picks its login: 105 logins at `--keep 1` kept 105 messages, one a mailbox, and
    /// would keep as many as it invented. In all the store keeps `keep × 100`, the oldest going.
    @Test func inventedLoginsDoNotKeepMoreThanAHundredMailboxesWorth() throws {
        let folder = Folder()
        let store = MessageStore(directory: folder.path, keep: 1)
        defer { store.close() }
        var ids: [String] = []
        for n in 0..<(MessageStore.mailboxesKept + 5) {
            let incoming = store.begin()
            let bytes = Array("Subject: from login \(n)\r\n\r\nx\r\n".utf8)
            incoming.append(bytes)
            let record = StoredMessage(id: incoming.id, path: store.path(of: incoming.id), from: "a@example.com", fromParameters: [],
                                       recipients: [.init(address: "b@example.com", parameters: [])], helo: "h", client: "127.0.0.1:1", tls: nil,
                                       authUser: "login\(n)", authMechanism: "PLAIN", time: 1_796_000_000, bytes: bytes.count, subject: nil,
                                       transcript: [], faults: [])
            let done = DispatchSemaphore(value: 0)
            store.commit(incoming, record) { _ in done.signal() }
            done.wait()
            ids.append(incoming.id)
        }
        store.settle()
        let index = try #require(store.currentIndex())
        #expect(index.counts(mailbox: nil).total == MessageStore.mailboxesKept)
        #expect(Set(index.ids(nil, mailbox: nil)) == Set(ids.suffix(MessageStore.mailboxesKept)))
        #expect(MessageStore.storedIDs(in: folder.path).count == MessageStore.mailboxesKept)
    }

    @Test func tagsAreCheckedBeforeTheyAreKept() throws {
        let folder = Folder()
        let record = folder.store("Subject: one\n\nx\n")
        let responder = APIResponder(directory: folder.path)
        let api = APITests()
        #expect(api.answer(responder, "PUT", "/api/v1/tags", body: "{\"IDs\": [").status == 400)
        #expect(api.answer(responder, "PUT", "/api/v1/tags", body: "{\"IDs\": [\"\(record.id)\"], \"Tags\": [\"a\\nb\"]}").status == 400)
        #expect(api.answer(responder, "PUT", "/api/v1/tags", body: "{\"IDs\": [\"\(record.id)\"], \"Tags\": [\" urgent \", \"urgent\"]}").status == 200)
        let list = try api.object(api.answer(responder, "GET", "/api/v1/messages"))
        #expect((list["messages"] as? [[String: Any]])?.first?["Tags"] as? [String] == ["urgent"] && list["tags"] as? [String] == ["urgent"])
        #expect(api.answer(responder, "PUT", "/api/v1/tags", body: "{\"IDs\": [\"\(record.id)\"], \"Tags\": []}").status == 200)
        #expect(try api.object(api.answer(responder, "GET", "/api/v1/messages"))["tags"] as? [String] == [])
    }

    /// `--keep 3`: a flood into one login's mailbox expires its own oldest, never another's.
    @Test func keepAppliesPerMailbox() throws {
        let harness = try ServerHarness { $0.keep = 3 }
        for n in 0..<2 { #expect(try harness.send(.starttls, user: "project-b", text: "b\(n)").succeeded) }
        for n in 0..<6 { #expect(try harness.send(.starttls, user: "project-a", text: "a\(n)").succeeded) }
        let index = try #require(harness.server.store.currentIndex())
        let kept = harness.stored
        #expect(kept.filter { $0.authUser == "project-b" }.count == 2)
        #expect(kept.filter { $0.authUser == "project-a" }.count == 3)
        #expect(index.ids(nil, mailbox: "project-b").count == 2 && index.ids(nil, mailbox: "project-a").count == 3)
        let newestA = kept.filter { $0.authUser == "project-a" }.map { String(decoding: harness.storedBytes($0), as: UTF8.self) }
        #expect(newestA.allSatisfy { text in ["a3", "a4", "a5"].contains { text.contains($0) } }, "\(newestA)")
    }
}
