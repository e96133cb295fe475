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
/// and the session), each written to a hidden temporary file and renamed, so that a message is
/// either stored whole or not at all. Keeps the newest `keep`.
public final class MessageStore: Sendable {
    public let directory: String
    let keep: Int
    /// Stored ids, oldest first (loaded once, then kept up to date).
    private let ids: Mutex<[String]>
    private let sequence = Mutex(0)

    public init(directory: String, keep: Int) {
        self.directory = directory
        self.keep = max(1, keep)
        FileContents.makeDirectories(directory)
        // Part files of a server that is gone: their messages were never stored.
        FileContents.removeStaleTemporaries(in: directory)
        ids = Mutex(Self.storedIDs(in: directory))
    }

    /// A message being received: its bytes go to a hidden file until it is committed or dropped.
    final class Receiving {
        let id: String
        let partPath: String
        private var fd: Int32
        private var pending: [UInt8] = []
        private(set) var bytes = 0
        private(set) var failed: String?

        init(id: String, partPath: String) {
            self.id = id
            self.partPath = partPath
            fd = open(partPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
            if fd < 0 { failed = String(cString: strerror(errno)) }
            pending.reserveCapacity(64 * 1024)
        }

        func append(_ line: some Collection<UInt8>) {
            bytes += line.count
            guard failed == nil else { return }
            pending.append(contentsOf: line)
            if pending.count >= 64 * 1024 { flush() }
        }

        func flush() {
            var offset = 0
            while offset < pending.count && failed == nil {
                let n = pending.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { failed = String(cString: strerror(errno)); break }
                offset += n
            }
            pending.removeAll(keepingCapacity: true)
        }

        func close() {
            if fd >= 0 { Glibc.close(fd); fd = -1 }
        }

        deinit { close() }
    }

    func begin() -> Receiving {
        let number = sequence.withLock { n in n += 1; return n }
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let millis = Int(now.tv_sec) * 1000 + Int(now.tv_nsec) / 1_000_000
        let id = "\(millis)-\(String(getpid()))-" + String(repeating: "0", count: max(0, 6 - String(number).count)) + String(number)
        return Receiving(id: id, partPath: "\(directory)/\(id).eml.tmp-\(getpid())-part")
    }

    func drop(_ receiving: Receiving) {
        receiving.close()
        unlink(receiving.partPath)
    }

    /// Stores the message under its id; returns its record, or why it could not be stored.
    func commit(_ receiving: Receiving, _ record: StoredMessage) -> Result<StoredMessage, MessageStoreError> {
        receiving.flush()
        receiving.close()
        if let failed = receiving.failed {
            unlink(receiving.partPath)
            return .failure(MessageStoreError(reason: failed))
        }
        let base = directory + "/" + receiving.id
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let json = try? encoder.encode(record) else { unlink(receiving.partPath); return .failure(MessageStoreError(reason: "could not encode the record")) }
        // Written and renamed, not synced: a test server trades durability for speed, and a crash
        // still leaves each file whole or absent.
        do { try FileContents.writeAtomically(Array(json), to: base + ".json", mode: 0o600, sync: false) } catch {
            unlink(receiving.partPath)
            return .failure(MessageStoreError(reason: error.reason))
        }
        guard rename(receiving.partPath, base + ".eml") == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(receiving.partPath)
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
            unlink(directory + "/" + id + ".eml")
            unlink(directory + "/" + id + ".json")
        }
        return .success(record)
    }

    /// Removes stored messages (both files); returns the ids that were removed.
    @discardableResult
    public func delete(_ remove: [String]) -> [String] {
        ids.withLock { ids in ids.removeAll { remove.contains($0) } }
        // Another process (a `mailtui serve`) may have stored some: the files decide.
        return remove.filter { id in
            guard !id.contains("/") else { return false }
            let gone = unlink(directory + "/" + id + ".eml") == 0
            unlink(directory + "/" + id + ".json")
            return gone
        }
    }

    /// Removes every stored message.
    @discardableResult
    public func deleteAll() -> [String] { delete(records().map(\.id)) }

    /// The ids of the messages in a folder, oldest first (ids sort by time).
    static func storedIDs(in directory: String) -> [String] {
        FileContents.names(in: directory).filter { $0.hasSuffix(".eml") }.map { String($0.dropLast(4)) }.sorted()
    }

    /// Every stored message's record, newest first, as the folder has them now (another process
    /// may store into it too).
    public func records() -> [StoredMessage] {
        let decoder = JSONDecoder()
        return Self.storedIDs(in: directory).reversed().compactMap { id in
            FileContents.read(directory + "/" + id + ".json").flatMap { try? decoder.decode(StoredMessage.self, from: Data($0)) }
        }
    }
}

public struct MessageStoreError: Error, Sendable, CustomStringConvertible {
    public var reason: String
    public var description: String { "the message could not be stored: \(reason)" }
}
