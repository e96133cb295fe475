import Foundation
import MailCore
@testable import MailServer
import Testing
import TestSupport

/// The store touches only the files it made: with `--keep 1`, a link `x.eml` had its target
/// overwritten with a client's message, a user's `notes.eml` was deleted, a folder `archive.eml/`
/// became a hidden spare and `report.tmp-99999-final` was removed as stale.
@Suite struct StoreSafetyTests {
    /// Sends `count` messages over a raw connection and waits for each to be stored.
    private func deliver(_ count: Int, to harness: ServerHarness) throws {
        let client = try RawClient(port: harness.port)
        #expect(client.reply()?.hasPrefix("220") == true)
        #expect(client.command("EHLO store.example").hasPrefix("250"))
        for n in 1...count {
            #expect(client.command("MAIL FROM:<a@example.com>") == "250")
            #expect(client.command("RCPT TO:<b@example.com>") == "250")
            #expect(client.command("DATA") == "354")
            #expect(client.command("Subject: s\(n)\r\n\r\nclient's bytes \(n)\r\n.") == "250")
        }
    }

    private func contents(_ path: String) -> [UInt8]? { FileContents.read(path, followingLinks: false) }

    private func isLink(_ path: String) -> Bool {
        var status = stat()
        return lstat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFLNK
    }

    private func isFolder(_ path: String) -> Bool {
        var status = stat()
        return lstat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFDIR
    }

    @Test func linksFoldersAndTheUsersFilesAreNeverWrittenMovedOrRemoved() throws {
        let store = TestPaths.temporaryDirectory("mailtui-inbox")
        let outside = TestPaths.temporaryDirectory("mailtui-outside")
        let precious = Array("precious bytes\n".utf8)
        for name in ["target", "target2", "target3"] { TestFiles.write(outside + "/" + name, Data(precious)) }
        // A link under any name, a link under a name the store itself would make, and a second
        // name of another file under such a name.
        #expect(symlink(outside + "/target", store + "/x.eml") == 0)
        #expect(symlink(outside + "/target2", store + "/1000-1-000001.eml") == 0)
        #expect(link(outside + "/target3", store + "/1000-1-000002.eml") == 0)
        TestFiles.write(store + "/notes.eml", Data("my notes\n".utf8))
        #expect(mkdir(store + "/archive.eml", 0o700) == 0)
        TestFiles.write(store + "/report.tmp-99999-final", Data("report\n".utf8))

        let harness = try ServerHarness { $0.keep = 1; $0.store = store }
        try deliver(4, to: harness)

        for name in ["target", "target2", "target3"] {
            #expect(contents(outside + "/" + name) == precious, "\(name) was written through the store")
        }
        #expect(isLink(store + "/x.eml") && isLink(store + "/1000-1-000001.eml"), "links stay where they were")
        #expect(contents(store + "/1000-1-000002.eml") == precious)
        #expect(contents(store + "/notes.eml") == Array("my notes\n".utf8))
        #expect(isFolder(store + "/archive.eml"))
        #expect(contents(store + "/report.tmp-99999-final") == Array("report\n".utf8))
        #expect(harness.stored.map(\.subject) == ["s4"], "the newest message is kept, nothing else is taken for one")
        #expect(String(decoding: harness.storedBytes(try #require(harness.stored.first)), as: UTF8.self) == "Subject: s4\r\n\r\nclient's bytes 4\r\n")
        harness.server.stop()
        #expect(!FileContents.names(in: store).contains { $0.contains("spare") }, "the server's spares are gone")
        #expect(contents(store + "/notes.eml") != nil && isLink(store + "/x.eml") && isFolder(store + "/archive.eml"))
    }

    /// A stored file the user opened up (chmod 666) is reused for a later message: that message
    /// must not inherit the mode.
    @Test func storedFilesAreReadableByTheUserOnlyWhateverFileTheyReuse() throws {
        let harness = try ServerHarness { $0.keep = 1 }
        try deliver(1, to: harness)
        let first = try #require(harness.stored.first)
        #expect(chmod(first.path, 0o666) == 0)
        #expect(chmod(String(first.path.dropLast(4)) + ".json", 0o666) == 0)
        try deliver(3, to: harness)
        // Expiry retires files after the client heard 250: let it finish before looking.
        harness.server.store.settle()
        let directory = harness.server.store.directory
        for name in FileContents.names(in: directory) {
            var status = stat()
            #expect(lstat(directory + "/" + name, &status) == 0)
            #expect(status.st_mode & 0o777 == 0o600, "\(name) has mode \(String(status.st_mode & 0o777, radix: 8))")
        }
    }

    @Test func partFilesAndSparesOfADeadServerAreRemovedAndNothingElse() throws {
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/true")
        try child.run()
        child.waitUntilExit()
        let dead = child.processIdentifier
        let store = TestPaths.temporaryDirectory("mailtui-inbox")
        let ours = [".spare3.tmp-\(dead)-spare", "1700000000000-\(dead)-000001.eml.tmp-\(dead)-part"]
        let theirs = ["report.tmp-\(dead)-final", "notes.eml.tmp-\(dead)-part", ".spare.tmp-\(dead)-spare", "1-2-3.eml.tmp-\(dead)-part"]
        for name in ours + theirs { TestFiles.write(store + "/" + name, Data("x".utf8)) }
        #expect(symlink("/nonexistent", store + "/.spare4.tmp-\(dead)-spare") == 0)
        // Reconciling the index lists the folder, after the server listens.
        MessageStore(directory: store, keep: 10).index?.reconcile()
        let left = Set(FileContents.names(in: store)).filter { !$0.hasPrefix(MessageIndex.fileName) }
        #expect(left == Set(theirs + [".spare4.tmp-\(dead)-spare"]))
    }

    @Test func aFolderThatGroupOrOthersCanWriteIsRefused() throws {
        let store = TestPaths.temporaryDirectory("mailtui-inbox")
        #expect(chmod(store, 0o777) == 0)
        do {
            _ = try ServerHarness { $0.store = store }
            Issue.record("a store folder of mode 0777 was used")
        } catch let error as MessageStoreError {
            #expect(error.reason.contains("chmod go-w \(store)"), "\(error.reason)")
        }
        #expect(MessageStore(directory: store, keep: 1).refusal != nil)
    }

    @Test(.enabled(if: getuid() == 0, "only root can give a folder to another user"))
    func aFolderOfAnotherUserIsRefused() throws {
        let store = TestPaths.temporaryDirectory("mailtui-inbox")
        #expect(chmod(store, 0o755) == 0)
        #expect(chown(store, 65534, 65534) == 0)
        do {
            _ = try ServerHarness { $0.store = store }
            Issue.record("a store folder of another user was used")
        } catch let error as MessageStoreError {
            #expect(error.reason.contains(store) && error.reason.contains("not to you"), "\(error.reason)")
        }
    }

    @Test func theStoreFolderIsMadeForTheUserOnly() throws {
        let store = TestPaths.temporaryDirectory("mailtui-data") + "/new/inbox"
        let made = MessageStore(directory: store, keep: 1)
        #expect(made.refusal == nil)
        var status = stat()
        #expect(stat(store, &status) == 0)
        #expect(status.st_mode & 0o777 == 0o700)
    }
}
