import Dispatch
import MailCore
import Synchronization
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// Where accepted messages go: `<id>.eml` (the bytes as received) and `<id>.json` (the envelope
/// and the session). Each file is written nameless (`O_TMPFILE`) and then linked into the folder,
/// so a message is either stored whole or not at all, and a crash leaves nothing behind. Keeps the
/// newest `keep` of each mailbox (SMTP login).
///
/// Every change to the folder happens on one writer thread: connections on several event loops
/// that each created and renamed files spent most of their time waiting on the directory's lock.
/// And the files of an expired message are not deleted but kept as hidden spares that the next
/// messages are written into: on ext4 without a journal, creating a file soon after deleting
/// others scans for inodes that were not deleted recently, and a busy store spent its time there.
///
/// Beside the messages, an index (`MessageIndex`), so that neither a start nor an answer of the
/// API lists the folder. A message's row is made on a second thread (the indexer) once the writer
/// stored its files, and expiry is decided there from the index; reconciling the index with the
/// folder runs after the server listens (`startReconciling`).
///
/// Only mailtui's own files are touched: names made the way `begin` makes ids, and only when they
/// are regular files (`lstat`), never a link, a folder or a user's `notes.eml`. The folder must be
/// the user's own and closed to group and others, or nothing is stored (`refusal`).
public final class MessageStore: Sendable, MessageSink {
    public let directory: String
    let keep: Int
    /// The index beside the messages; nil only when the store is refused.
    public let index: MessageIndex?
    /// How many messages each mailbox holds, and all of them (the indexer's; nil: to be counted
    /// again).
    private let mailboxCounts = Mutex<MailboxCounts?>(nil)
    /// A client picks its login, so it may make as many mailboxes as it likes: in all, the store
    /// keeps at most this many mailboxes' worth (`keep` times it), the oldest of any going first.
    static let mailboxesKept = 100
    /// Whether a commit of the index's transaction is due (the indexer's).
    private let commitDue = Mutex(false)
    private let sequence = Mutex(0)
    private let writer = DispatchQueue(label: "mailtui.message-store")
    /// Where rows are made and added to the index, after the writer stored the files: reading a
    /// message for its row took as long as storing it, and a client waited for both.
    private let indexer = DispatchQueue(label: "mailtui.message-index")
    private static let onIndexer = DispatchSpecificKey<Bool>()
    /// Hidden files of expired messages, ready to be written into (the writer thread's).
    private let spares = Mutex<[String]>([])
    private let spareNumber = Mutex(0)
    static let maximumSpares = 256
    /// A message up to this size stays in memory until it is committed; a larger one spills to a
    /// nameless file as it arrives, so memory stays bounded at any size.
    static let spillAt = 128 * 1024
    /// Why the folder is not used, when it is not: another user owns it, or group or others can
    /// write it (they could plant links that the store would write through).
    public let refusal: MessageStoreError?

    public init(directory: String, keep: Int) {
        self.directory = directory
        self.keep = max(1, keep)
        indexer.setSpecific(key: Self.onIndexer, value: true)
        FileContents.makeDirectories(directory)
        if let problem = Self.problem(ofFolder: directory) {
            refusal = MessageStoreError(reason: problem)
            index = nil
            return
        }
        // Not the folder: listing 100,000 messages took seconds. Reconciling lists it later.
        do {
            index = try MessageIndex(directory: directory)
            refusal = nil
        } catch {
            index = nil
            refusal = MessageStoreError(reason: "\(error). Remove \(directory)/\(MessageIndex.fileName) (it is made again from the folder), or choose another folder with --store")
        }
        // Rows added by reconciling (a rebuild after damage): each mailbox is counted again.
        index?.observe { [weak self] _ in self?.mailboxCounts.withLock { $0 = nil } }
    }

    /// Reconciles the index with the folder in the background (the server listens already), then
    /// again every `every` seconds until the store closes: both servers on a shared folder write
    /// the index, but files removed by hand or stored by an older mailtui are only found so. Each
    /// mailbox is counted again at the next commit, which expires what is past `keep` there (as
    /// before the index: a start alone removes nothing). `finished` hears when the first is done.
    public func startReconciling(every: Double = 300, finished: (@Sendable () -> Void)? = nil) {
        guard let index else { finished?(); return }
        DispatchQueue.global(qos: .utility).async { [weak self] in
            guard let self, !closed.load(ordering: .relaxed) else { return }
            index.reconcile()
            mailboxCounts.withLock { $0 = nil }
            finished?()
            DispatchQueue.global(qos: .utility).asyncAfter(deadline: .now() + every) { [weak self] in self?.startReconciling(every: every) }
        }
    }

    /// Set by `close`: no more reconciling.
    private let closed = Atomic(false)

    /// Why `directory` cannot hold the store, or nil.
    static func problem(ofFolder directory: String) -> String? {
        var status = stat()
        guard stat(directory, &status) == 0 else {
            return "the message store folder \(directory) cannot be used: \(String(cString: strerror(errno))). Choose another with --store"
        }
        guard status.st_mode & S_IFMT == S_IFDIR else {
            return "the message store \(directory) is not a folder. Choose another with --store"
        }
        return OwnPath.problem(directory, what: "the message store folder")
            ?? OwnPath.problem(OwnPath.parent(of: directory), what: "the folder above the message store", stickyAllowed: true)
    }

    /// A message being received: in memory while small, then in a nameless file.
    final class Receiving: IncomingMessage {
        let id: String
        fileprivate let file: PendingFile
        private var pending: [UInt8] = []
        private(set) var bytes = 0
        /// Whether some of it went to the file (it is no longer all in memory).
        private var spilled = false

        fileprivate init(id: String, directory: String) {
            self.id = id
            file = PendingFile(directory: directory, name: id + ".eml")
        }

        func append(_ line: some Collection<UInt8>) {
            bytes += line.count
            guard file.failed == nil else { return }
            pending.append(contentsOf: line)
            if pending.count >= MessageStore.spillAt {
                spilled = true
                file.write(pending)
                pending.removeAll(keepingCapacity: true)
            }
        }

        /// The whole message, while it is all in memory.
        var inMemory: [UInt8]? { spilled ? nil : pending }

        /// Whatever is still in memory goes to the file.
        fileprivate func flush() {
            if !pending.isEmpty { file.write(pending) }
            pending = []
        }
    }

    func begin() -> any IncomingMessage {
        let number = sequence.withLock { n in n += 1; return n }
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let millis = Int(now.tv_sec) * 1000 + Int(now.tv_nsec) / 1_000_000
        let id = "\(millis)-\(ThisProcess.idText)-" + String(repeating: "0", count: max(0, 6 - String(number).count)) + String(number)
        return Receiving(id: id, directory: directory)
    }

    func drop(_ message: any IncomingMessage) {
        (message as? Receiving)?.file.discard()
    }

    func path(of id: String) -> String { directory + "/" + id + ".eml" }

    /// Stores the message under its id on the writer thread, then tells `done` (on that thread)
    /// its record, or why it could not be stored.
    func commit(_ message: any IncomingMessage, _ record: StoredMessage, done: @escaping @Sendable (Result<StoredMessage, MessageStoreError>) -> Void) {
        guard let receiving = message as? Receiving else {
            done(.failure(MessageStoreError(reason: "message \(message.id) was not begun by this store")))
            return
        }
        let job = CommitJob(receiving: receiving, record: record, bytes: receiving.inMemory)
        writer.async { [self] in
            let result = write(job)
            // Answered once the files are there; the row is made after, off the client's path.
            // It is queued first, and a reader of the index waits for what is queued
            // (`currentIndex`): a message acknowledged is one the API lists.
            if case .success = result, index != nil { indexer.async { [self] in addRow(job) } }
            done(result)
        }
    }

    /// The most rows one transaction of the index takes.
    static let largestBatch = 256
    /// How long rows may wait in the indexer's transaction for others to join them (another
    /// process sees them then; this one's API commits them when it reads).
    static let commitDelay = 0.02

    /// The index, with the rows of every message acknowledged so far committed: the API reads
    /// through this.
    public func currentIndex() -> MessageIndex? {
        guard let index else { return nil }
        if DispatchQueue.getSpecific(key: Self.onIndexer) == true { index.flush() } else { indexer.sync { index.flush() } }
        return index
    }

    /// The row of a stored message, in the indexer's transaction, and expiry past `keep` in its
    /// mailbox (the indexer's).
    private func addRow(_ job: CommitJob) {
        guard let index else { return }
        let mailbox = Mailbox.of(job.record)
        countMailboxes()
        index.add(IndexRow(record: job.record, bytes: job.bytes ?? Self.bytes(of: directory + "/" + job.record.id + ".eml")))
        mailboxCounts.withLock { $0?.add(1, to: mailbox) }
        expire(mailbox)
        if index.waitingRows >= Self.largestBatch {
            index.flush()
        } else if !commitDue.withLock({ due in defer { due = true }; return due }) {
            indexer.asyncAfter(deadline: .now() + Self.commitDelay) { [self] in
                commitDue.withLock { $0 = false }
                index.flush()
            }
        }
    }

    /// The store's side of a commit, on the writer thread.
    private func write(_ job: CommitJob) -> Result<StoredMessage, MessageStoreError> {
        let receiving = job.receiving
        if let refusal {
            receiving.file.discard()
            return .failure(refusal)
        }
        let base = directory + "/" + receiving.id
        // Not synced: a test server trades durability for speed, and a crash still leaves each
        // file whole or absent. The JSON goes first: an .eml is the mark of a stored message.
        let record = PendingFile(directory: directory, name: receiving.id + ".json")
        if let spare = takeSpare(), !record.reuse(spare) { unlink(spare) }
        record.write(job.record.json)
        if let reason = record.publish(as: base + ".json") {
            receiving.file.discard()
            return .failure(MessageStoreError(reason: reason))
        }
        if let spare = takeSpare(), !receiving.file.reuse(spare) { putSpare(spare) }
        receiving.flush()
        if let reason = receiving.file.publish(as: base + ".eml") {
            unlink(base + ".json")
            return .failure(MessageStoreError(reason: reason))
        }
        return .success(job.record)
    }

    /// A stored message's bytes, when it is not too large to read whole.
    static func bytes(of path: String) -> [UInt8] {
        var size = stat()
        return lstat(path, &size) == 0 && Int(size.st_size) <= APIMessage.largestRead ? FileContents.read(path, followingLinks: false) ?? [] : []
    }

    /// Counts each mailbox's messages, unless they are counted (the indexer's).
    private func countMailboxes() {
        guard let index, mailboxCounts.withLock({ $0 == nil }) else { return }
        let counts = index.mailboxCounts()
        mailboxCounts.withLock { $0 = MailboxCounts(each: counts, total: counts.values.reduce(0, +)) }
    }

    /// Expires the oldest messages of `mailbox` past `keep`, then the oldest of all past
    /// `keep × mailboxesKept`: their rows go in the indexer's transaction, their files become
    /// spares on the writer thread (the indexer's).
    private func expire(_ mailbox: String) {
        guard let index else { return }
        let excess = mailboxCounts.withLock { ($0?.each[mailbox] ?? 0) - keep }
        if excess > 0 {
            let expired = index.oldest(in: mailbox, count: excess)
            index.removeInTransaction(expired)
            mailboxCounts.withLock { $0?.add(-expired.count, to: mailbox) }
            retire(expired)
        }
        let most = keep.multipliedReportingOverflow(by: Self.mailboxesKept)
        let over = mailboxCounts.withLock { ($0?.total ?? 0) } - (most.overflow ? Int.max : most.partialValue)
        guard over > 0 else { return }
        let oldest = index.oldestOfAll(count: over)
        index.removeInTransaction(oldest.map(\.id))
        mailboxCounts.withLock { counts in for message in oldest { counts?.add(-1, to: message.mailbox) } }
        retire(oldest.map(\.id))
    }

    /// The files of expired messages become spares, on the writer thread.
    private func retire(_ expired: [String]) {
        writer.async { [self] in
            for id in expired {
                retire(directory + "/" + id + ".eml")
                retire(directory + "/" + id + ".json")
            }
        }
    }

    private func takeSpare() -> String? {
        spares.withLock { $0.popLast() }
    }

    private func putSpare(_ path: String) {
        spares.withLock { $0.append(path) }
    }

    /// An expired message's file becomes a spare, or goes when there are enough. Only a regular
    /// file with no other name is ours to take: a link or a folder under our name stays as it is.
    private func retire(_ path: String) {
        guard StoreNames.isPlainFile(path) else { return }
        guard spares.withLock({ $0.count }) < Self.maximumSpares else { unlink(path); return }
        let number = spareNumber.withLock { n in n += 1; return n }
        // Named as a temporary of this process: a later start removes it if this one is gone.
        let spare = directory + "/" + StoreNames.spare(number)
        if rename(path, spare) == 0 { putSpare(spare) }
    }

    /// Waits until every commit asked for so far is indexed and what it expired is retired.
    public func settle() {
        writer.sync {}
        indexer.sync {}
        writer.sync {}
    }

    /// Waits for every commit asked for so far, then removes the spares.
    func close() {
        closed.store(true, ordering: .relaxed)
        // The writer's last commits queue rows; the indexer's expiries queue files to retire.
        settle()
        indexer.sync { index?.flush() }
        writer.sync {
            for spare in spares.withLock({ spares in defer { spares = [] }; return spares }) { unlink(spare) }
        }
    }

    /// Removes stored messages (both files); returns the ids that were removed.
    @discardableResult
    public func delete(_ remove: [String]) -> [String] {
        // Another process (a `mailtui serve`) may have stored some: the files decide.
        let removed = Self.deleteFiles(remove, in: directory)
        index?.remove(removed)
        // Counted again at the next commit.
        mailboxCounts.withLock { $0 = nil }
        return removed
    }

    /// Removes every stored message.
    @discardableResult
    public func deleteAll() -> [String] { delete(records().map(\.id)) }

    /// The ids of the messages in a folder, oldest first (ids sort by time): names as `begin`
    /// makes them, of regular files. A user's `notes.eml` is not a message of the store.
    static func storedIDs(in directory: String) -> [String] {
        FileContents.names(in: directory).filter { $0.hasSuffix(".eml") }.map { String($0.dropLast(4)) }
            .filter { StoreNames.isID($0) && StoreNames.isPlainFile(directory + "/" + $0 + ".eml") }.sorted()
    }

    /// Every stored message's record, newest first, as the folder has them now (another process
    /// may store into it too).
    public func records() -> [StoredMessage] {
        guard refusal == nil else { return [] }
        let decoder = JSONDecoder()
        return Self.storedIDs(in: directory).reversed().compactMap { id in
            FileContents.read(directory + "/" + id + ".json", followingLinks: false).flatMap { try? decoder.decode(StoredMessage.self, from: Data($0)) }
        }
    }
}

public struct MessageStoreError: Error, Sendable, CustomStringConvertible {
    public var reason: String
    public var description: String { "the message could not be stored: \(reason)" }
}

/// A message handed from its connection to the store's writer thread, which alone touches it from
/// then on.
private struct CommitJob: @unchecked Sendable {
    let receiving: MessageStore.Receiving
    let record: StoredMessage
    /// The message, when it was all in memory (else it is read back from its file).
    let bytes: [UInt8]?
}

/// How many messages each mailbox holds, and all of them, kept up to date at each commit.
private struct MailboxCounts {
    var each: [String: Int]
    var total: Int

    mutating func add(_ count: Int, to mailbox: String) {
        each[mailbox, default: 0] += count
        total += count
    }
}
