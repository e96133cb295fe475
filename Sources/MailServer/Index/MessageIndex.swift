import CSQLite
import MailCore
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The message store's index: a SQLite file beside the messages with a row per message (what
/// lists and searches need, its read mark and its tags), so that the API answers without listing
/// the folder or reading files. The folder stays the truth: the index is rebuilt from it when it is
/// missing, damaged or of another version, and reconciled with it at each start (another process,
/// the compose screen's server or a second `serve`, may store into the same folder and index).
///
/// Safety as the store has it: a fixed name of ours, mode 0600, never opened through a link
/// (`O_NOFOLLOW`, `SQLITE_OPEN_NOFOLLOW`); WAL, which two processes share safely on a local disk.
///
/// Three connections, each used under its lock: the store's writer thread (`writing`, which
/// groups the rows of messages stored close together into one transaction), the API's reads
/// (`reading`), and changes made by the API and by reconciling (`changing`).
public final class MessageIndex: Sendable {
    public static let fileName = ".mailtui-index.sqlite3"
    /// Raised whenever the schema or a column's meaning changes: an index of another version is
    /// rebuilt from the folder.
    static let version = 1

    public let directory: String
    public let path: String
    let writing: Mutex<SQLiteConnection>
    let reading: Mutex<SQLiteConnection>
    let changing: Mutex<SQLiteConnection>
    /// Rows added in the writer's open transaction.
    let uncommitted = Mutex(0)
    /// Whether it was made new at this start (missing, damaged, another version): its rows come
    /// from reconciling the folder.
    public let isNew: Bool
    /// The last failure of a change, for `info` and the log: a message is stored even when its
    /// row could not be written, and reconciling adds the row later.
    let lastProblem = Mutex<String?>(nil)
    /// Whether the folder is being reconciled (at a start, in the background).
    let reconciling = Atomic<Bool>(false)
    /// Whether the index is being remade from the folder after damage was found (`damaged`).
    let rebuilding = Atomic<Bool>(false)
    /// How many times damage was found: a reconciling that saw it change stops.
    let damageFound = Atomic<Int>(0)
    /// Whether the integrity check ran (at the first reconciling, off the start's path).
    let checked = Atomic<Bool>(false)
    /// Told the ids of the rows reconciling added (the API's waiters hear of them).
    let observers = Mutex<[@Sendable ([String]) -> Void]>([])

    /// Up to this many matches of a search are sorted in memory rather than found by walking
    /// the ids in order (see `page`).
    let fewMatches: Int

    /// Opens the index of `directory`, making or remaking it when needed.
    public init(directory: String, fewMatches: Int = 2000) throws(MessageIndexError) {
        self.directory = directory
        self.fewMatches = fewMatches
        path = directory + "/" + Self.fileName
        var made = false
        var opened: (SQLiteConnection, SQLiteConnection, SQLiteConnection)?
        for attempt in 0..<2 {
            do throws(MessageIndexError) {
                made = try Self.prepareFile(path) || attempt > 0
                opened = try Self.connect(path, makeSchema: &made)
                break
            } catch {
                guard attempt == 0, error.isDamage else { throw error }
                // Another version, or not a database: it is made again from the folder.
                Self.removeFiles(path)
            }
        }
        guard let opened else { throw MessageIndexError(reason: "the index \(path) could not be opened") }
        writing = Mutex(opened.0)
        reading = Mutex(opened.1)
        changing = Mutex(opened.2)
        isNew = made
    }

    /// Makes the file (0600, exclusive, not through a link) unless it is there; checks that one
    /// that is there is a plain file of this user. True when it was made. A link under one of our
    /// names (the file, its WAL or its shared memory) is removed, not followed.
    static func prepareFile(_ path: String) throws(MessageIndexError) -> Bool {
        for name in [path, path + "-wal", path + "-shm"] {
            var status = stat()
            guard lstat(name, &status) == 0 else { continue }
            if status.st_mode & S_IFMT == S_IFLNK { unlink(name); continue }
            guard status.st_mode & S_IFMT == S_IFREG, status.st_uid == getuid() else {
                throw MessageIndexError(reason: "\(name) is not a plain file of yours: move it away (the index is made again from the folder)")
            }
        }
        var fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        let made = fd >= 0
        if !made { fd = open(path, O_RDWR | O_NOFOLLOW | O_CLOEXEC) }
        guard fd >= 0 else { throw MessageIndexError(reason: "\(path) cannot be opened: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0, status.st_mode & S_IFMT == S_IFREG, status.st_nlink == 1, fchmod(fd, 0o600) == 0 else {
            throw MessageIndexError(reason: "\(path) is not a plain file with one name: move it away")
        }
        return made
    }

    /// The writer's, the reader's and the changer's connections; the schema made when `made`,
    /// else its version checked.
    static func connect(_ path: String, makeSchema made: inout Bool) throws(MessageIndexError)
        -> (SQLiteConnection, SQLiteConnection, SQLiteConnection) {
        do throws(SQLiteError) {
            let first = try SQLiteConnection(path: path)
            // The WAL and shared-memory files take the main file's mode (0600).
            try first.execute("PRAGMA journal_mode=WAL")
            try first.execute("BEGIN IMMEDIATE")
            let version = try first.number("PRAGMA user_version")
            let tables = try first.number("SELECT COUNT(*) FROM sqlite_master")
            if version == 0 && tables == 0 {
                try first.execute(schema + "PRAGMA user_version=\(Self.version);")
                made = true
            } else if version != Self.version {
                try? first.execute("ROLLBACK")
                throw SQLiteError(doing: "reading \(path)", code: SQLITE_NOTADB, message: "an index of version \(version), not \(Self.version)")
            } else if let problem = try schemaProblem(first) {
                try? first.execute("ROLLBACK")
                throw SQLiteError(doing: "reading \(path)", code: SQLITE_NOTADB, message: problem)
            }
            try first.execute("COMMIT")
            var connections = [first]
            for _ in 0..<2 { connections.append(try SQLiteConnection(path: path)) }
            for connection in connections {
                // Not synced at each commit (the store does not sync its files either); WAL keeps
                // the file whole through a crash, and a damaged one is made again.
                try connection.execute("PRAGMA synchronous=NORMAL; PRAGMA mmap_size=268435456; PRAGMA cache_size=-16384; PRAGMA temp_store=MEMORY")
            }
            return (connections[0], connections[1], connections[2])
        } catch {
            throw MessageIndexError(reason: "the index \(path) cannot be used: \(error)", isDamage: error.isDamage)
        }
    }

    static func removeFiles(_ path: String) {
        for name in [path, path + "-wal", path + "-shm"] where StoreNames.isPlainFile(name) || isLink(name) { unlink(name) }
    }

    private static func isLink(_ path: String) -> Bool {
        var status = stat()
        return lstat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFLNK
    }

    static let schema = """
        CREATE TABLE messages (
            number INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            created INTEGER NOT NULL,
            time INTEGER NOT NULL,
            mailbox TEXT NOT NULL,
            mailbox_folded TEXT NOT NULL,
            read INTEGER NOT NULL DEFAULT 0,
            tags TEXT NOT NULL DEFAULT '',
            tags_folded TEXT NOT NULL DEFAULT '',
            size INTEGER NOT NULL,
            attachments INTEGER NOT NULL,
            inlines INTEGER NOT NULL,
            s_from TEXT NOT NULL, s_to TEXT NOT NULL, s_cc TEXT NOT NULL, s_bcc TEXT NOT NULL,
            s_reply_to TEXT NOT NULL, s_subject TEXT NOT NULL, s_message_id TEXT NOT NULL
        );
        CREATE INDEX messages_mailbox ON messages(mailbox, id);
        CREATE INDEX messages_unread ON messages(mailbox) WHERE read = 0;
        CREATE INDEX messages_tagged ON messages(mailbox) WHERE tags != '';
        CREATE TABLE summaries (
            message INTEGER PRIMARY KEY,
            envelope_from TEXT NOT NULL, username TEXT NOT NULL,
            from_name TEXT, from_address TEXT,
            to_json TEXT NOT NULL, cc_json TEXT NOT NULL, bcc_json TEXT NOT NULL, reply_to_json TEXT NOT NULL,
            subject TEXT NOT NULL, message_id TEXT NOT NULL, snippet TEXT NOT NULL
        );
        CREATE TRIGGER messages_gone AFTER DELETE ON messages BEGIN DELETE FROM summaries WHERE message = old.number; END;

        """

    // MARK: The store's writer thread

    /// Adds a row in the writer's transaction (begun if none is open); `flush` commits it.
    func add(_ row: IndexRow) {
        writing.withLock { connection in
            do throws(SQLiteError) {
                if !connection.inTransaction { try connection.execute("BEGIN IMMEDIATE") }
                try Self.insert(row, into: connection)
                uncommitted.withLock { $0 += 1 }
            } catch {
                note(error)
            }
        }
    }

    /// How many rows wait in the writer's open transaction.
    var waitingRows: Int { uncommitted.withLock { $0 } }

    /// Commits the writer's transaction, if one is open.
    func flush() {
        writing.withLock { connection in
            guard connection.inTransaction else { return }
            do throws(SQLiteError) { try connection.execute("COMMIT") } catch {
                note(error)
                try? connection.execute("ROLLBACK")
            }
            uncommitted.withLock { $0 = 0 }
        }
    }

    /// Removes rows in the writer's transaction (expired messages).
    func removeInTransaction(_ ids: [String]) {
        writing.withLock { connection in
            do throws(SQLiteError) {
                if !connection.inTransaction { try connection.execute("BEGIN IMMEDIATE") }
                for id in ids { try connection.run("DELETE FROM messages WHERE id = ?", [.text(id)]) }
            } catch {
                note(error)
            }
        }
    }

    /// The oldest `count` ids of a mailbox (on the writer's connection: its own rows count).
    func oldest(in mailbox: String, count: Int) -> [String] {
        writing.withLock { connection in
            var ids: [String] = []
            do throws(SQLiteError) {
                try connection.rows("SELECT id FROM messages WHERE mailbox = ? ORDER BY id LIMIT ?", [.text(mailbox), .int(count)]) { ids.append($0.text(0)) }
            } catch {
                note(error)
            }
            return ids
        }
    }

    /// The oldest `count` messages of any mailbox, with their mailboxes.
    func oldestOfAll(count: Int) -> [(id: String, mailbox: String)] {
        writing.withLock { connection in
            var found: [(id: String, mailbox: String)] = []
            do throws(SQLiteError) {
                try connection.rows("SELECT id, mailbox FROM messages ORDER BY id LIMIT ?", [.int(count)]) { found.append(($0.text(0), $0.text(1))) }
            } catch {
                note(error)
            }
            return found
        }
    }

    /// How many messages each mailbox holds.
    func mailboxCounts() -> [String: Int] {
        writing.withLock { connection in
            var counts: [String: Int] = [:]
            do throws(SQLiteError) {
                try connection.rows("SELECT mailbox, COUNT(*) FROM messages GROUP BY mailbox") { counts[$0.text(0)] = $0.int(1) }
            } catch {
                note(error)
            }
            return counts
        }
    }

    static func insert(_ row: IndexRow, into connection: SQLiteConnection) throws(SQLiteError) {
        try connection.run("""
            INSERT OR IGNORE INTO messages (id, created, time, mailbox, mailbox_folded, size, attachments, inlines,
                s_from, s_to, s_cc, s_bcc, s_reply_to, s_subject, s_message_id, tags, tags_folded) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
            """, [.text(row.id), .int(row.created), .int(row.time), .text(row.mailbox), .text(row.mailbox.lowercased()), .int(row.size),
                  .int(row.attachments), .int(row.inlines), .text(row.searchFrom), .text(row.searchTo), .text(row.searchCc), .text(row.searchBcc),
                  .text(row.searchReplyTo), .text(row.searchSubject), .text(row.searchMessageID), .text(Self.joined(row.tags)), .text(Self.folded(row.tags))])
        guard connection.changes == 1 else { return }
        try connection.run("""
            INSERT INTO summaries (message, envelope_from, username, from_name, from_address, to_json, cc_json, bcc_json, reply_to_json,
                subject, message_id, snippet) VALUES ((SELECT number FROM messages WHERE id = ?),?,?,?,?,?,?,?,?,?,?,?)
            """, [.text(row.id), .text(row.envelopeFrom), .text(row.username), row.from.map { .text($0.Name) } ?? .null,
                  row.from.map { .text($0.Address) } ?? .null, .text(IndexRow.json(row.to)), .text(IndexRow.json(row.cc)),
                  .text(IndexRow.json(row.bcc)), .text(IndexRow.json(row.replyTo)), .text(row.subject), .text(row.messageID), .text(row.snippet)])
    }

    /// Keeps the failure for `info`; damage (SQLite's CORRUPT or NOTADB) starts a rebuild.
    func note(_ error: SQLiteError) {
        guard error.isDamage else {
            lastProblem.withLock { $0 = "the index \(path): \(error)" }
            return
        }
        damaged(because: "\(error)")
    }

    // MARK: The API's reads and changes

    /// Runs `body` on the reading connection; a failure is noted and answered with `fallback`.
    func read<T: Sendable>(_ fallback: T, _ body: (SQLiteConnection) throws(SQLiteError) -> T) -> T {
        reading.withLock { connection in
            do throws(SQLiteError) { return try body(connection) } catch {
                note(error)
                return fallback
            }
        }
    }

    /// Runs `body` in one transaction on the changing connection; false (and noted) on failure.
    @discardableResult
    func change(_ body: (SQLiteConnection) throws(SQLiteError) -> Void) -> Bool {
        changing.withLock { connection in
            do throws(SQLiteError) {
                try connection.execute("BEGIN IMMEDIATE")
                try body(connection)
                try connection.execute("COMMIT")
                return true
            } catch {
                note(error)
                try? connection.execute("ROLLBACK")
                return false
            }
        }
    }

    /// Marks messages read or unread: `ids`, or (nil) every one of the mailbox (nil: of all).
    @discardableResult
    func mark(_ ids: [String]?, mailbox: String?, read: Bool) -> Bool {
        change { connection throws(SQLiteError) in
            if let ids {
                for id in ids { try connection.run("UPDATE messages SET read = ? WHERE id = ?", [.int(read ? 1 : 0), .text(id)]) }
            } else if let mailbox {
                try connection.run("UPDATE messages SET read = ? WHERE mailbox = ?", [.int(read ? 1 : 0), .text(mailbox)])
            } else {
                try connection.run("UPDATE messages SET read = ?", [.int(read ? 1 : 0)])
            }
        }
    }

    /// Tags as the `tags` column keeps them: one a line.
    static func joined(_ tags: [String]) -> String { tags.joined(separator: "\n") }

    /// Tags as `tags_folded` keeps them for `tag:` searches: lower-cased, each between newlines.
    static func folded(_ tags: [String]) -> String {
        tags.isEmpty ? "" : "\n" + tags.map { $0.lowercased() }.joined(separator: "\n") + "\n"
    }

    /// Replaces the tags of messages (Mailpit's `PUT /api/v1/tags`).
    @discardableResult
    func setTags(_ tags: [String], on ids: [String]) -> Bool {
        var unique: [String] = []
        // Once each in any case: a `tag:` search does not tell `Urgent` from `urgent` either.
        for tag in tags where !unique.contains(where: { $0.lowercased() == tag.lowercased() }) { unique.append(tag) }
        let joined = Self.joined(unique)
        let folded = Self.folded(unique)
        return change { connection throws(SQLiteError) in
            for id in ids { try connection.run("UPDATE messages SET tags = ?, tags_folded = ? WHERE id = ?", [.text(joined), .text(folded), .text(id)]) }
        }
    }

    /// Removes rows (their files are gone or going).
    @discardableResult
    func remove(_ ids: [String]) -> Bool {
        change { connection throws(SQLiteError) in
            for id in ids { try connection.run("DELETE FROM messages WHERE id = ?", [.text(id)]) }
        }
    }

    /// Adds the row of a message that is not indexed yet (one the API heard of first).
    func ensure(record: StoredMessage, bytes: () -> [UInt8]?) {
        let known = read(true) { connection throws(SQLiteError) in try connection.number("SELECT COUNT(*) FROM messages WHERE id = ?", [.text(record.id)]) > 0 }
        guard !known, let bytes = bytes() else { return }
        let row = IndexRow(record: record, bytes: bytes)
        change { connection throws(SQLiteError) in try Self.insert(row, into: connection) }
    }
}

public struct MessageIndexError: Error, Sendable, CustomStringConvertible {
    public var reason: String
    var isDamage = false
    public var description: String { reason }
}
