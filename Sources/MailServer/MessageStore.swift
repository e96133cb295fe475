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
        FileContents.removeStaleTemporaries(in: directory)
        var found: [String] = []
        if let dir = opendir(directory) {
            while let entry = readdir(dir) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                if name.hasSuffix(".eml") && !name.hasPrefix(".") { found.append(String(name.dropLast(4))) }
                // A part file of a server that is gone: its message was never stored.
                if name.hasPrefix("."), let marker = name.firstRange(of: ".part-"), let pid = Int32(name[marker.upperBound...]),
                   kill(pid, 0) != 0 && errno == ESRCH {
                    unlink(directory + "/" + name)
                }
            }
            closedir(dir)
        }
        ids = Mutex(found.sorted())
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
        return Receiving(id: id, partPath: "\(directory)/.\(id).part-\(getpid())")
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
        if let problem = Self.writeFile(Array(json), to: base + ".json") {
            unlink(receiving.partPath)
            return .failure(MessageStoreError(reason: problem))
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

    /// Writes `bytes` to a hidden file beside `path` and renames it; nil, or why it failed.
    private static func writeFile(_ bytes: [UInt8], to path: String) -> String? {
        let temporary = path + ".tmp-\(getpid())-\(RandomToken.hex(bytes: 3))"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return String(cString: strerror(errno)) }
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { let reason = String(cString: strerror(errno)); close(fd); unlink(temporary); return reason }
            offset += n
        }
        close(fd)
        guard rename(temporary, path) == 0 else { let reason = String(cString: strerror(errno)); unlink(temporary); return reason }
        return nil
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

    /// Every stored message's record, newest first, as the folder has them now (another process
    /// may store into it too).
    public func records() -> [StoredMessage] {
        let decoder = JSONDecoder()
        var found: [String] = []
        if let dir = opendir(directory) {
            while let entry = readdir(dir) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                if name.hasSuffix(".eml") && !name.hasPrefix(".") { found.append(String(name.dropLast(4))) }
            }
            closedir(dir)
        }
        return found.sorted().reversed().compactMap { id in
            FileContents.read(directory + "/" + id + ".json").flatMap { try? decoder.decode(StoredMessage.self, from: Data($0)) }
        }
    }
}

public struct MessageStoreError: Error, Sendable, CustomStringConvertible {
    public var reason: String
    public var description: String { "the message could not be stored: \(reason)" }
}
