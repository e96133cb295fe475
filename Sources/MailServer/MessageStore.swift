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
/// newest `keep`.
///
/// Every change to the folder happens on one writer thread: connections on several event loops
/// that each created and renamed files spent most of their time waiting on the directory's lock.
/// And the files of an expired message are not deleted but kept as hidden spares that the next
/// messages are written into: on ext4 without a journal, creating a file soon after deleting
/// others scans for inodes that were not deleted recently, and a busy store spent its time there.
///
/// Only mailtui's own files are touched: names made the way `begin` makes ids, and only when they
/// are regular files (`lstat`), never a link, a folder or a user's `notes.eml`. The folder must be
/// the user's own and closed to group and others, or nothing is stored (`refusal`).
public final class MessageStore: Sendable, MessageSink {
    public let directory: String
    let keep: Int
    /// Stored ids, oldest first (loaded once, then kept up to date).
    private let ids: Mutex<[String]>
    private let sequence = Mutex(0)
    private let writer = DispatchQueue(label: "mailtui.message-store")
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
        FileContents.makeDirectories(directory)
        refusal = Self.problem(ofFolder: directory).map { MessageStoreError(reason: $0) }
        guard refusal == nil else { ids = Mutex([]); return }
        // Part files and spares of a server that is gone: never stored.
        StoreNames.removeStaleFiles(in: directory)
        ids = Mutex(Self.storedIDs(in: directory))
    }

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

        fileprivate init(id: String, directory: String) {
            self.id = id
            file = PendingFile(directory: directory, name: id + ".eml")
        }

        func append(_ line: some Collection<UInt8>) {
            bytes += line.count
            guard file.failed == nil else { return }
            pending.append(contentsOf: line)
            if pending.count >= MessageStore.spillAt {
                file.write(pending)
                pending.removeAll(keepingCapacity: true)
            }
        }

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
        let job = CommitJob(receiving: receiving, record: record)
        writer.async { [self] in done(write(job)) }
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
        let expired: [String] = ids.withLock { ids in
            ids.append(receiving.id)
            guard ids.count > keep else { return [] }
            let old = Array(ids.prefix(ids.count - keep))
            ids.removeFirst(old.count)
            return old
        }
        for id in expired {
            retire(directory + "/" + id + ".eml")
            retire(directory + "/" + id + ".json")
        }
        return .success(job.record)
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

    /// Waits for every commit asked for so far, then removes the spares.
    func close() {
        writer.sync {
            for spare in spares.withLock({ spares in defer { spares = [] }; return spares }) { unlink(spare) }
        }
    }

    /// Removes stored messages (both files); returns the ids that were removed.
    @discardableResult
    public func delete(_ remove: [String]) -> [String] {
        ids.withLock { ids in ids.removeAll { remove.contains($0) } }
        // Another process (a `mailtui serve`) may have stored some: the files decide.
        return remove.filter { id in
            guard StoreNames.isID(id), StoreNames.isPlainFile(directory + "/" + id + ".eml") else { return false }
            let gone = unlink(directory + "/" + id + ".eml") == 0
            if StoreNames.isPlainFile(directory + "/" + id + ".json") { unlink(directory + "/" + id + ".json") }
            return gone
        }
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
}
