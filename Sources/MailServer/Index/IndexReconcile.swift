import MailCore
#if canImport(Glibc)
import Glibc
#endif

extension MessageIndex {
    /// How many rows one transaction of reconciling adds: the store's writer and the API wait at
    /// most for one such transaction.
    static let reconcileChunk = 256

    /// Makes the index agree with the folder: rows whose files are gone are removed, messages
    /// without a row (stored by a mailtui without the index, or while the index was remade) are
    /// read and added, oldest first. Part files and spares of store processes that are gone are
    /// removed on the way (the same listing). Slow on a large folder: it runs after the server
    /// listens, in the background.
    /// The first one checks the file's integrity: damage found rebuilds it (`damaged`).
    @discardableResult
    public func reconcile() -> (added: Int, removed: Int) {
        guard !isRebuilding else { return (0, 0) }
        let damage = damageFound.load(ordering: .acquiring)
        if !checked.exchange(true, ordering: .relaxed), let problem = integrityProblem() {
            damaged(because: problem)
            return (0, 0)
        }
        return fill(since: damage)
    }

    /// Reconciles; stops when damage is found after `damage` was counted (a rebuild follows).
    func fill(since damage: Int) -> (added: Int, removed: Int) {
        func damageFoundMeanwhile() -> Bool { damageFound.load(ordering: .acquiring) != damage }
        reconciling.store(true, ordering: .relaxed)
        defer { reconciling.store(false, ordering: .relaxed) }
        // The rows before the folder: a row is written after its files, so a message stored in
        // between has its files listed (and its row added twice is added once).
        let indexed = read(Set<String>()) { connection throws(SQLiteError) in
            var ids = Set<String>()
            try connection.rows("SELECT id FROM messages") { ids.insert($0.text(0)) }
            return ids
        }
        guard !damageFoundMeanwhile() else { return (0, 0) }
        let names = FileContents.names(in: directory)
        StoreNames.removeStaleFiles(names, in: directory)
        var present = Set<String>()
        var missing: [String] = []
        for name in names where name.hasSuffix(".eml") {
            let id = String(name.dropLast(4))
            guard StoreNames.isID(id) else { continue }
            present.insert(id)
            if !indexed.contains(id) { missing.append(id) }
        }
        let gone = Array(indexed.subtracting(present))
        for start in stride(from: 0, to: gone.count, by: Self.reconcileChunk) {
            remove(Array(gone[start..<min(gone.count, start + Self.reconcileChunk)]))
        }
        missing.sort()
        var added = 0
        for start in stride(from: 0, to: missing.count, by: Self.reconcileChunk) {
            // Read and parsed outside the transaction: only the inserts hold the lock.
            let rows = missing[start..<min(missing.count, start + Self.reconcileChunk)].compactMap { id in
                APIMessage(id: id, directory: directory).map(IndexRow.init)
            }
            let done = change { connection throws(SQLiteError) in
                for row in rows { try Self.insert(row, into: connection) }
            }
            guard done, !damageFoundMeanwhile() else { break }
            added += rows.count
            tell(rows.map(\.id))
        }
        return (added, gone.count)
    }
}
