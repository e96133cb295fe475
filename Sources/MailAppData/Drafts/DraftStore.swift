#if canImport(Glibc)
import Glibc
#endif

/// What the compose screen keeps between runs: everything but the password.
public struct Draft: Codable, Sendable, Equatable {
    public var settings: ServerSettings
    public var message: MessageDraft
    public var savedAt: Int
    /// True when the form pointed at the compose screen's local test server: the next start runs
    /// it again and points the form at it (its port or CA may differ), with its any-password login.
    public var localServer: Bool?
    /// Where the screen's local server relayed to (`smtp.gmail.com:587 as USER`) when it was
    /// saved. Relayed mail really goes out, so the next start does not relay again by itself: it
    /// asks, naming this.
    public var relayedTo: String?

    public init(settings: ServerSettings, message: MessageDraft, savedAt: Int, localServer: Bool? = nil, relayedTo: String? = nil) {
        self.settings = settings
        self.message = message
        self.savedAt = savedAt
        self.localServer = localServer
        self.relayedTo = relayedTo
    }
}

/// Saves and restores the draft as JSON, atomically, so that a crash or a `kill -9` in the
/// middle of a save leaves the previous draft intact.
public struct DraftStore: Sendable {
    public let path: String

    public init(path: String = XDGPaths.stateDirectory + "/draft.json") {
        self.path = path
    }

    /// The draft this compose screen may write. The first screen on a state folder takes
    /// `draft.json` and holds a lock on it while it runs; a second one gets a draft of its own
    /// (`draft.PID.json`), so that neither overwrites what the other has typed. `shared` then
    /// names the draft that is in use elsewhere. Temporary files left by a killed save are removed.
    public static func claim(directory: String = XDGPaths.stateDirectory) -> (store: DraftStore, shared: DraftStore?) {
        FileContents.makeDirectories(directory)
        // In a folder another user could change, nothing is removed (and nothing read or saved).
        if OwnPath.problem(directory, what: "") == nil { FileContents.removeStaleTemporaries(in: directory) }
        let main = DraftStore(path: directory + "/draft.json")
        let lock = open(directory + "/draft.json.lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        // The descriptor stays open (and the lock held) until the process ends.
        if lock >= 0, flock(lock, LOCK_EX | LOCK_NB) == 0 { return (main, nil) }
        if lock >= 0 { close(lock) }
        return (DraftStore(path: directory + "/draft.\(getpid()).json"), main)
    }

    public func load() -> Draft? {
        guard OwnPath.problem(OwnPath.parent(of: path), what: "") == nil, let bytes = FileContents.read(path) else { return nil }
        return try? JSONDecoder().decode(Draft.self, from: Data(bytes))
    }

    public func save(_ draft: Draft) throws(FileWriteError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        guard let data = try? encoder.encode(draft) else { throw FileWriteError(path: path, reason: "could not encode the draft") }
        if let problem = OwnPath.problem(OwnPath.parent(of: path), what: "the drafts folder") {
            throw FileWriteError(path: path, reason: "not saved: " + problem)
        }
        try FileContents.writeAtomically(Array(data), to: path, mode: 0o600)
    }
}
