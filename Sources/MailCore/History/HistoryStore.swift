#if canImport(Glibc)
import Glibc
#endif

/// One send or probe, as it is kept: enough to list it, show its transcript and diagnosis, and
/// re-open it in the form. The transcript is the redacted one; there is no password anywhere.
public struct HistoryEntry: Codable, Sendable, Equatable {
    public var id: String
    public var time: Int
    /// "send" or "probe".
    public var kind: String
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

    public init(kind: String, profile: String?, settings: ServerSettings, draft: MessageDraft?, recipients: [String], report: SessionReport, time: Int = Int(Glibc.time(nil))) {
        self.id = "\(time)-\(RandomToken.hex(bytes: 3))"
        self.time = time
        self.kind = kind
        self.profile = profile
        self.settings = settings
        self.draft = draft
        self.recipients = recipients
        self.succeeded = report.succeeded
        if let failure = report.failure {
            result = "failed at \(failure.stage.displayName)" + (failure.reply.map { ": \($0)" } ?? ": \(failure.kind.rawValue)")
            failureStage = failure.stage.rawValue
            failureKind = failure.kind.rawValue
            explanation = failure.explanation
            suggestions = failure.suggestions
        } else {
            result = report.finalReply?.description ?? (kind == "probe" ? "probe ok" : "ok")
            suggestions = []
        }
        self.transcript = report.transcript
    }
}

/// The history: one JSON object per line in `$XDG_STATE_HOME/mailtui/history.jsonl`. Each entry is
/// appended with a single write under an exclusive lock (a separate lock file, so that trimming
/// can replace the file), which keeps entries whole when two processes write at once; a line cut
/// short by a crash is skipped when reading, and every earlier entry survives.
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
        try withLock { () throws(FileWriteError) in
            let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
            guard fd >= 0 else { throw FileWriteError(path: path, reason: String(cString: strerror(errno))) }
            defer { close(fd) }
            var line = [UInt8](json)
            line.append(10)
            // After a crash mid-write the file may end in a cut line: start on a fresh one.
            if Self.endsWithoutNewline(path) { line.insert(10, at: 0) }
            let written = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            // No fsync: a crash can only cut this last line, which readers skip; earlier entries are safe.
            guard written == line.count else { throw FileWriteError(path: path, reason: String(cString: strerror(errno))) }
            try trimIfNeeded()
        }
    }

    /// Every readable entry, newest first.
    public func entries() -> [HistoryEntry] {
        guard let bytes = FileContents.read(path) else { return [] }
        let decoder = JSONDecoder()
        return bytes.split(separator: 10).compactMap { try? decoder.decode(HistoryEntry.self, from: Data($0)) }.reversed()
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

    /// Keeps the newest `limit` entries, replacing the file atomically (called under the lock).
    private func trimIfNeeded() throws(FileWriteError) {
        // Entries are at least 300 bytes: below that size there cannot be too many to count.
        var info = stat()
        guard stat(path, &info) == 0, Int(info.st_size) > limit * 300, let bytes = FileContents.read(path) else { return }
        let lines = bytes.split(separator: 10)
        guard lines.count > limit + limit / 10 else { return }
        var kept: [UInt8] = []
        for line in lines.suffix(limit) { kept += line; kept.append(10) }
        try FileContents.writeAtomically(kept, to: path, mode: 0o600)
    }

    private func withLock<T>(_ body: () throws(FileWriteError) -> T) throws(FileWriteError) -> T {
        let lock = open(path + ".lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard lock >= 0 else { throw FileWriteError(path: path + ".lock", reason: String(cString: strerror(errno))) }
        defer { close(lock) }
        while flock(lock, LOCK_EX) != 0 && errno == EINTR {}
        defer { flock(lock, LOCK_UN) }
        return try body()
    }
}
