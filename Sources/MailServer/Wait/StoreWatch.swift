import MailCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// The messages that appear in a store folder, each read once and only when whole: the store
/// links `<id>.json` and then `<id>.eml` into the folder only after writing each completely, so a
/// message whose `.eml` is there is complete (and a part file has another name). Links are never
/// followed, and only names the store makes are read.
///
/// Between looks it sleeps on inotify (a new name in the folder wakes it at once) with a short
/// timeout, so that nothing is missed where inotify is not there and no loop spins.
public final class StoreWatch {
    public let directory: String
    private var seen = Set<String>()
    private let notify: Int32

    /// The longest sleep between two looks at the folder.
    static let pollInterval = 0.25
    /// A message file larger than this is matched on its record alone (the store takes 32 MiB by default).
    static let largestRead = 64 * 1024 * 1024

    public init(directory: String) {
        self.directory = directory
        let fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        if fd >= 0, inotify_add_watch(fd, directory, UInt32(IN_CREATE | IN_MOVED_TO)) < 0 {
            close(fd)
            notify = -1
        } else {
            notify = fd
        }
    }

    deinit { if notify >= 0 { close(notify) } }

    /// Marks what the folder holds now as seen: only later messages will be new.
    public func skipPresent() {
        seen.formUnion(MessageStore.storedIDs(in: directory))
    }

    /// The messages that appeared since the last look, oldest first.
    public func arrivals() -> [ArrivedMessage] {
        let decoder = JSONDecoder()
        var found: [ArrivedMessage] = []
        for id in MessageStore.storedIDs(in: directory) where !seen.contains(id) {
            let base = directory + "/" + id
            // The record is linked in before the message; without it, the message is not the store's.
            guard let json = FileContents.read(base + ".json", followingLinks: false) else { continue }
            seen.insert(id)
            guard let record = try? decoder.decode(StoredMessage.self, from: Data(json)) else { continue }
            var size = stat()
            let bytes = lstat(base + ".eml", &size) == 0 && Int(size.st_size) <= Self.largestRead ? FileContents.read(base + ".eml", followingLinks: false) ?? [] : []
            found.append(ArrivedMessage(record: record, bytes: bytes))
        }
        return found
    }

    /// Sleeps until the folder changes or `seconds` pass (at most `pollInterval`).
    public func pause(upTo seconds: Double) {
        let wait = max(0, min(seconds, Self.pollInterval))
        guard notify >= 0 else {
            usleep(UInt32(wait * 1_000_000))
            return
        }
        var ready = pollfd(fd: notify, events: Int16(POLLIN), revents: 0)
        if poll(&ready, 1, Int32(wait * 1000)) > 0 {
            var buffer = [UInt8](repeating: 0, count: 4096)
            while buffer.withUnsafeMutableBytes({ read(notify, $0.baseAddress, $0.count) }) > 0 {}
        }
    }
}
