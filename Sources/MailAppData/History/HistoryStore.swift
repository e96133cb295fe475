#if canImport(Glibc)
import Glibc
#endif

/// One send or probe, as it is kept: enough to list it, show its transcript and diagnosis, and
/// re-open it in the form. The transcript is the redacted one; there is no password anywhere.
public struct HistoryEntry: Codable, Sendable, Equatable {
    public var id: String
    public var time: Int
    public var kind: Kind
    public var profile: String?
    public var settings: ServerSettings
    public var draft: MessageDraft?
    public var recipients: [String]
    public var succeeded: Bool
    /// The server's final reply, or the failure in one line.
    public var result: String
    public var failureStage: String?
    public var failureKind: String?
    public var explanation: String?
    public var suggestions: [String]
    public var transcript: [TranscriptLine]
    /// True when a body was longer than `bodyLimit` and only its start is kept here.
    public var bodyCut: Bool?
    /// The faults mailtui's own test server had in force when this went to it (`rcpt:550 ...`):
    /// its failure was then asked for, not the server's. Nil for any other server.
    public var faults: [String]?

    /// What an entry records. The raw values are what history files hold, so files written
    /// before this type read the same.
    public enum Kind: String, Codable, Sendable {
        case send, probe
        /// A message read on `mailtui sendmail`'s standard input (a cron job's, PHP's mail()).
        case sendmail
    }

    /// How much of each typed body the history keeps. A body sent from a file is kept as its path.
    public static let bodyLimit = 64 * 1024

    public init(kind: Kind, profile: String?, settings: ServerSettings, draft: MessageDraft?, recipients: [String], report: SessionReport, time: Int = Int(Glibc.time(nil))) {
        self.id = "\(time)-\(RandomToken.hex(bytes: 3))"
        self.time = time
        self.kind = kind
        self.profile = profile
        self.settings = settings
        self.draft = draft.map(Self.capped)
        if let draft, draft.textBody.utf8.count > Self.bodyLimit || draft.htmlBody.utf8.count > Self.bodyLimit { bodyCut = true }
        self.recipients = recipients
        self.succeeded = report.succeeded
        if let failure = report.failure {
            result = "failed at \(failure.stage.displayName)" + (failure.reply.map { ": \($0)" } ?? ": \(failure.kind.words)")
            failureStage = failure.stage.rawValue
            failureKind = failure.kind.rawValue
            explanation = failure.explanation
            suggestions = failure.suggestions
        } else {
            result = report.finalReply?.description ?? (kind == .probe ? "probe ok" : "ok")
            suggestions = []
        }
        self.transcript = report.transcript
    }

    /// The draft with each body cut to `bodyLimit` bytes, at a character boundary.
    static func capped(_ draft: MessageDraft) -> MessageDraft {
        var draft = draft
        for keyPath in [\MessageDraft.textBody, \MessageDraft.htmlBody] where draft[keyPath: keyPath].utf8.count > bodyLimit {
            var kept = 0
            var cut = String.UnicodeScalarView()
            for scalar in draft[keyPath: keyPath].unicodeScalars {
                kept += String(scalar).utf8.count
                if kept > bodyLimit { break }
                cut.append(scalar)
            }
            draft[keyPath: keyPath] = String(cut)
        }
        return draft
    }
}

/// The history: one JSON object per line in `$XDG_STATE_HOME/mailtui/history.jsonl`. Each entry is
/// appended with a single write under an exclusive lock (a separate lock file, so that trimming
/// can replace the file), which keeps entries whole when two processes write at once; a write that
/// fails (a full disk) is undone, and a line cut short by a crash is skipped when reading.
///
/// An append costs the same whatever the file's size: the file is trimmed only when it has doubled
/// since the last trim (the lock file remembers that size), so reading it whole is rare.
public struct HistoryStore: Sendable {
    public let path: String
    public var limit: Int

    public init(path: String = XDGPaths.stateDirectory + "/history.jsonl", limit: Int = 500) {
        self.path = path
        self.limit = max(1, limit)
    }

    public func append(_ entry: HistoryEntry) throws(FileWriteError) {
        guard let json = try? JSONEncoder().encode(entry) else { throw FileWriteError(path: path, reason: "could not encode the entry") }
        let directory = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        FileContents.makeDirectories(directory)
        if let problem = OwnPath.problem(directory, what: "the history folder") {
            throw FileWriteError(path: path, reason: "not written: " + problem)
        }
        try withLock { () throws(FileWriteError) in
            let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
            guard fd >= 0 else { throw FileWriteError(path: path, reason: String(cString: strerror(errno))) }
            defer { close(fd) }
            var line = [UInt8](json)
            line.append(10)
            // After a crash mid-write the file may end in a cut line: start on a fresh one.
            if Self.endsWithoutNewline(path) { line.insert(10, at: 0) }
            let sizeBefore = lseek(fd, 0, SEEK_END)
            var offset = 0
            while offset < line.count {
                let n = line.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 {
                    // A full disk or a size limit: take back what was written, so no cut line stays.
                    let reason = n < 0 ? String(cString: strerror(errno)) : "nothing could be written"
                    if sizeBefore >= 0 { _ = ftruncate(fd, sizeBefore) }
                    throw FileWriteError(path: path, reason: reason)
                }
                offset += n
            }
            // No fsync: a crash can only cut this last line, which readers skip; earlier entries are safe.
            try trimIfNeeded(size: Int(sizeBefore) + line.count)
        }
    }

    /// The newest `limit` readable entries, newest first (the file may hold more until its next trim).
    public func entries() -> [HistoryEntry] {
        // A folder another user prepared holds no history of ours.
        guard OwnPath.problem(OwnPath.parent(of: path), what: "") == nil, let bytes = FileContents.read(path) else { return [] }
        let decoder = JSONDecoder()
        let entries = bytes.split(separator: 10).compactMap { try? decoder.decode(HistoryEntry.self, from: Data($0)) }
        return Array(entries.suffix(limit).reversed())
    }

    public func entry(id: String) -> HistoryEntry? { entries().first { $0.id == id } }

    static func endsWithoutNewline(_ path: String) -> Bool {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        let size = lseek(fd, 0, SEEK_END)
        var last: UInt8 = 10
        return size > 0 && pread(fd, &last, 1, size - 1) == 1 && last != 10
    }

    /// Keeps the newest `limit` entries, replacing the file atomically (called under the lock). The
    /// file is read only when it has doubled since the size noted at the last trim, so the cost of
    /// trimming, spread over the appends, stays constant.
    private func trimIfNeeded(size: Int) throws(FileWriteError) {
        // Entries are at least 300 bytes: below that size there cannot be too many to count.
        let noted = Self.notedSize(lockPath)
        guard size > limit * 300, size > 2 * noted else { return }
        guard let bytes = FileContents.read(path) else { return }
        let lines = bytes.split(separator: 10)
        var kept = bytes
        if lines.count > limit {
            kept = []
            for line in lines.suffix(limit) { kept += line; kept.append(10) }
            try FileContents.writeAtomically(kept, to: path, mode: 0o600)
        }
        Self.note(size: kept.count, in: lockPath)
    }

    private var lockPath: String { path + ".lock" }

    /// The file's size after the last trim, kept in the lock file (0 when unknown).
    static func notedSize(_ lockPath: String) -> Int {
        guard let bytes = FileContents.read(lockPath) else { return 0 }
        return Int(String(decoding: bytes.prefix { $0 != 10 }, as: UTF8.self)) ?? 0
    }

    static func note(size: Int, in lockPath: String) {
        let fd = open(lockPath, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        defer { close(fd) }
        let text = Array("\(size)\n".utf8)
        _ = ftruncate(fd, 0)
        _ = text.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
    }

    private func withLock<T>(_ body: () throws(FileWriteError) -> T) throws(FileWriteError) -> T {
        let lock = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard lock >= 0 else { throw FileWriteError(path: lockPath, reason: String(cString: strerror(errno))) }
        defer { close(lock) }
        while flock(lock, LOCK_EX) != 0 && errno == EINTR {}
        defer { flock(lock, LOCK_UN) }
        return try body()
    }
}
