import Foundation
import MailCore
import Synchronization
import Testing
import TestSupport
@testable import MailServer

/// An index that SQLite still opens but that is damaged, or of another schema, is rebuilt from
/// the folder (the truth) and says so; a wait during a rebuild finds what is being indexed.
@Suite struct IndexDamageTests {
    typealias Folder = MessageIndexTests.Folder
    let api = APITests()

    func total(_ responder: APIResponder) -> Int? {
        (try? api.object(api.answer(responder, "GET", "/api/v1/messages")))?["total"] as? Int
    }

    /// The outside tester's repro: the WAL checkpointed, every byte from offset 4096 on
    /// overwritten, then a start as serve makes it (store, responder, reconciling after listening).
    @Test func anIndexDamagedPastItsFirstPageIsRebuiltAndSaysSo() throws {
        let folder = Folder()
        folder.fill(400)
        let path = folder.path + "/" + MessageIndex.fileName
        do {
            let index = try MessageIndex(directory: folder.path)
            #expect(index.reconcile().added == 400)
            index.read(()) { connection throws(SQLiteError) in try connection.execute("PRAGMA wal_checkpoint(TRUNCATE)") }
        }
        var status = stat()
        #expect(lstat(path, &status) == 0 && status.st_size > 3 * 4096)
        let fd = open(path, O_WRONLY)
        let junk = [UInt8](repeating: 0xA5, count: Int(status.st_size) - 4096)
        #expect(pwrite(fd, junk, junk.count, 4096) == junk.count)
        close(fd)

        let store = MessageStore(directory: folder.path, keep: 10_000)
        defer { store.close() }
        let responder = APIResponder(directory: folder.path, store: store, reconcilesOwnIndex: false)
        store.startReconciling()
        #expect(Wait.until(timeout: 120) { total(responder) == 400 })
        let info = try api.object(api.answer(responder, "GET", "/api/v1/info"))
        #expect((info["IndexProblem"] as? String)?.contains("rebuilt") == true, "\(info)")
        // New mail gets its row, and changes are taken again.
        let late = folder.store("Subject: after the rebuild\n\nx\n")
        responder.arrived(late)
        _ = store.currentIndex()?.ensure(record: late) { MessageStore.bytes(of: late.path) }
        #expect(Wait.until(timeout: 60) { total(responder) == 401 })
        #expect(api.answer(responder, "PUT", "/api/v1/tags", body: "{\"IDs\": [\"\(late.id)\"], \"Tags\": [\"seen\"]}").status == 200)
        #expect(api.answer(responder, "PUT", "/api/v1/messages", body: "{\"IDs\": [\"\(late.id)\"], \"Read\": true}").status == 200)
        let search = try api.object(api.answer(responder, "GET", "/api/v1/search?query=tag%3Aseen"))
        #expect(search["messages_count"] as? Int == 1)
    }

    /// Damaged while it is in use (after the check at the first reconciling): the first read
    /// that meets the damage starts the rebuild, and the index answers as the files do again.
    @Test func damageFoundWhileInUseRebuildsTheIndex() throws {
        let folder = Folder()
        folder.fill(400)
        let index = try MessageIndex(directory: folder.path)
        #expect(index.reconcile().added == 400)
        index.read(()) { connection throws(SQLiteError) in try connection.execute("PRAGMA wal_checkpoint(TRUNCATE)") }
        let path = folder.path + "/" + MessageIndex.fileName
        var status = stat()
        #expect(lstat(path, &status) == 0 && status.st_size > 3 * 4096)
        let fd = open(path, O_WRONLY)
        let junk = [UInt8](repeating: 0x5A, count: Int(status.st_size) - 4096)
        #expect(pwrite(fd, junk, junk.count, 4096) == junk.count)
        close(fd)
        #expect(Wait.until(timeout: 120) { index.counts(mailbox: nil).total == 400 && !index.isRebuilding })
        #expect(index.lastProblem.withLock { $0 }?.contains("rebuilt from the folder (400 messages)") == true)
        #expect(index.ids(SearchQuery("subject:welcome"), mailbox: nil).count == 100)
        #expect(index.setTags(["kept"], on: index.ids(nil, mailbox: nil).prefix(1).map { $0 }))
    }

    /// The right `user_version`, but a `messages` table of another shape.
    @Test func anIndexOfAnotherSchemaIsMadeAgain() throws {
        let folder = Folder()
        folder.fill(12)
        let path = folder.path + "/" + MessageIndex.fileName
        #expect(FileManager.default.createFile(atPath: path, contents: Data(), attributes: [.posixPermissions: 0o600]))
        do {
            let connection = try SQLiteConnection(path: path)
            try connection.execute("CREATE TABLE messages (id TEXT, body TEXT); PRAGMA user_version=\(MessageIndex.version)")
        }
        let index = try MessageIndex(directory: folder.path)
        #expect(index.isNew)
        index.reconcile()
        #expect(index.counts(mailbox: nil).total == 12)
        #expect(index.ids(SearchQuery("subject:welcome"), mailbox: nil).count == 3)
    }

    /// A folder of a few thousand messages and no index: a wait asked while it is being indexed
    /// is answered by a message already stored, once its row is made.
    @Test func aWaitDuringTheFirstIndexingFindsStoredMail() throws {
        let folder = Folder()
        folder.fill(3000)
        let newest = try #require(MessageStore.storedIDs(in: folder.path).last)
        let store = MessageStore(directory: folder.path, keep: 10_000)
        defer { store.close() }
        let responder = APIResponder(directory: folder.path, store: store, reconcilesOwnIndex: false)
        let box = Mutex<APIResponse?>(nil)
        let done = Mutex(false)
        store.startReconciling { done.withLock { $0 = true } }
        responder.handle(APIRequest(method: "GET", target: "/api/v1/wait?query=subject%3A%22plain%202999%22&timeout=120", host: "localhost")) { response in
            box.withLock { $0 = response }
        }
        // Not indexed yet when the wait looked (else this test would prove nothing).
        #expect(box.withLock { $0 } == nil)
        #expect(Wait.until(timeout: 150) { box.withLock { $0 } != nil })
        let response = try #require(box.withLock { $0 })
        #expect(response.status == 200)
        #expect(try api.object(response)["ID"] as? String == newest)
        #expect(Wait.until(timeout: 60) { done.withLock { $0 } })
    }
}
