import CSQLite
import Dispatch
import MailCore
import Synchronization

/// A damaged index is remade from the folder, which stays the truth: SQLite may open a file whose
/// first page is whole while the rest is not, or one of the right version with other tables.
/// The tables are compared at open; `PRAGMA quick_check` runs at the first reconciling (after the
/// server listens: it reads the whole file); and SQLite's CORRUPT or NOTADB at any time starts a
/// rebuild (`note`). Each is said once: on stderr through `warnings`, and in `lastProblem`.
extension MessageIndex {
    /// Where `serve` prints warnings (stderr); nil in the compose screen, whose terminal is drawn.
    public static let warnings = Mutex<(@Sendable (String) -> Void)?>(nil)

    /// The tables, indexes and trigger this version makes, as `sqlite_master` keeps them.
    static let expectedSchema: [String] = {
        do throws(SQLiteError) {
            let memory = try SQLiteConnection(path: ":memory:")
            try memory.execute(schema)
            return try schemaEntries(memory)
        } catch {
            return []
        }
    }()

    /// Each table, index and trigger with its SQL, spaces folded (a schema only laid out
    /// otherwise is the same one).
    static func schemaEntries(_ connection: SQLiteConnection) throws(SQLiteError) -> [String] {
        var entries: [String] = []
        try connection.rows("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name") {
            let sql = $0.text(3).split(whereSeparator: \.isWhitespace).joined(separator: " ")
            entries.append([$0.text(0), $0.text(1), $0.text(2), sql].joined(separator: "\u{0}"))
        }
        return entries
    }

    /// Why the file's tables are not those of this version, or nil (cheap: the first page).
    static func schemaProblem(_ connection: SQLiteConnection) throws(SQLiteError) -> String? {
        let expected = expectedSchema
        guard !expected.isEmpty else { return nil }
        return try schemaEntries(connection) == expected ? nil : "its tables are not those of this mailtui's index"
    }

    /// Whether the index is being remade (lists are partial meanwhile).
    public var isRebuilding: Bool { rebuilding.load(ordering: .acquiring) }

    /// Hears the ids of rows that reconciling adds, after they are committed.
    func observe(_ observer: @escaping @Sendable ([String]) -> Void) {
        observers.withLock { $0.append(observer) }
    }

    func tell(_ ids: [String]) {
        guard !ids.isEmpty else { return }
        for observer in observers.withLock({ $0 }) { observer(ids) }
    }

    /// Why `PRAGMA quick_check` finds the file damaged, or nil.
    func integrityProblem() -> String? {
        read(nil as String?) { connection throws(SQLiteError) in
            var found: [String] = []
            try connection.rows("PRAGMA quick_check(5)") { found.append($0.text(0)) }
            guard found != ["ok"] else { return nil }
            // Its first finding, on one line: the report goes to stderr and to `info`.
            let first = found.joined(separator: " ").split(whereSeparator: \.isNewline).joined(separator: " ")
            return "PRAGMA quick_check found: " + String(first.prefix(160))
        }
    }

    /// Damage was found: the index is remade in the background, once at a time, and it is said.
    /// Called with a connection's lock held: the rebuild takes them all on another thread.
    func damaged(because reason: String) {
        damageFound.add(1, ordering: .acquiringAndReleasing)
        guard rebuilding.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return }
        let text = "the index \(path) is damaged (\(reason)): it is being rebuilt from the folder (the messages are safe; read marks and tags are lost)"
        lastProblem.withLock { $0 = text }
        Self.warn(text)
        DispatchQueue.global(qos: .utility).async { self.rebuild(reason) }
    }

    static func warn(_ text: String) {
        warnings.withLock { $0 }?(text)
    }

    /// Closes the three connections, removes the files, makes a new index under the same name
    /// and fills it from the folder.
    private func rebuild(_ reason: String) {
        var failure: String?
        writing.withLock { writer in
            reading.withLock { reader in
                changing.withLock { changer in
                    for connection in [writer, reader, changer] { connection.close() }
                    uncommitted.withLock { $0 = 0 }
                    Self.removeFiles(path)
                    do throws(MessageIndexError) {
                        var made = try Self.prepareFile(path)
                        made = true
                        (writer, reader, changer) = try Self.connect(path, makeSchema: &made)
                    } catch {
                        // The closed connections stay: each use fails and is noted.
                        failure = "\(error)"
                    }
                }
            }
        }
        checked.store(true, ordering: .relaxed)
        let added = failure == nil ? fill(since: damageFound.load(ordering: .acquiring)).added : 0
        let text = failure.map { "the index \(path) was damaged (\(reason)) and could not be made again: \($0). Stop serve and remove it" }
            ?? "the index \(path) was damaged (\(reason)) and was rebuilt from the folder (\(added) messages)"
        lastProblem.withLock { $0 = text }
        rebuilding.store(false, ordering: .releasing)
        Self.warn(text)
    }
}
