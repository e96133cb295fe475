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
/// Between looks it sleeps on inotify: a new name wakes it at once, and only the names inotify
/// reports are read, so a store of 100,000 messages is not listed again for each new one. The
/// whole folder is listed at the start, when inotify's queue overflowed, every few seconds in
/// case an event was lost, and at each look where there is no inotify (then it looks every
/// `pollInterval`). No loop spins.
public final class StoreWatch {
    public let directory: String
    private var seen = Set<String>()
    private let notify: Int32
    /// Message ids inotify reported since the last look.
    private var reported: [String] = []
    /// When the folder is next listed whole (monotonic seconds); 0: at the next look.
    private var nextListing = 0.0

    /// The longest sleep between two looks at the folder.
    static let pollInterval = 0.25
    /// The longest time between two listings of the whole folder while inotify works.
    static let listingInterval = 5.0
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
        drain()
        var candidates = reported.filter { StoreNames.isID($0) && StoreNames.isPlainFile(directory + "/" + $0 + ".eml") }.sorted()
        reported = []
        if notify < 0 || StoreWait.now() >= nextListing {
            candidates = MessageStore.storedIDs(in: directory)
            nextListing = StoreWait.now() + Self.listingInterval
        }
        for id in candidates where !seen.contains(id) {
            let base = directory + "/" + id
            // The record is linked in before the message; without it, the message is not the store's.
            guard let json = FileContents.read(base + ".json", followingLinks: false) else { continue }
            seen.insert(id)
            // A relayed attempt's note is not the app's mail: no wait is answered with it.
            guard let record = try? decoder.decode(StoredMessage.self, from: Data(json)), record.notSent != true else { continue }
            var size = stat()
            let bytes = lstat(base + ".eml", &size) == 0 && Int(size.st_size) <= Self.largestRead ? FileContents.read(base + ".eml", followingLinks: false) ?? [] : []
            found.append(ArrivedMessage(record: record, bytes: bytes))
        }
        return found
    }

    /// Sleeps until the folder changes or `seconds` pass (at most `pollInterval`); the next
    /// `arrivals` reads what changed.
    public func pause(upTo seconds: Double) {
        let wait = max(0, min(seconds, Self.pollInterval))
        guard notify >= 0 else {
            usleep(UInt32(wait * 1_000_000))
            return
        }
        var ready = pollfd(fd: notify, events: Int16(POLLIN), revents: 0)
        _ = poll(&ready, 1, Int32(wait * 1000))
    }

    /// Takes the events inotify has queued, without waiting (the descriptor does not block).
    private func drain() {
        guard notify >= 0 else { return }
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(notify, $0.baseAddress, $0.count) }
            guard n > 0 else { return }
            if !collect(buffer[0..<n]) { nextListing = 0 }
        }
    }

    /// The ids of the `.eml` names in a run of inotify events; false when the queue overflowed
    /// (events were lost: the folder must be listed).
    private func collect(_ events: ArraySlice<UInt8>) -> Bool {
        // struct inotify_event: int wd; uint32 mask, cookie, len; char name[len] (NUL-padded).
        var complete = true
        var offset = events.startIndex
        while offset + 16 <= events.endIndex {
            let mask = Self.word(events, offset + 4)
            let length = Int(Self.word(events, offset + 12))
            let nameEnd = min(events.endIndex, offset + 16 + length)
            if mask & UInt32(IN_Q_OVERFLOW) != 0 { complete = false }
            let name = String(decoding: events[(offset + 16)..<nameEnd].prefix { $0 != 0 }, as: UTF8.self)
            if name.hasSuffix(".eml") { reported.append(String(name.dropLast(4))) }
            offset = nameEnd
        }
        return complete
    }

    /// A field of the event, in this machine's byte order, as the kernel writes it.
    private static func word(_ bytes: ArraySlice<UInt8>, _ at: Int) -> UInt32 {
        bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: at - bytes.startIndex, as: UInt32.self) }
    }
}
