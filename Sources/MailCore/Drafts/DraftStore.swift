/// What the compose screen keeps between runs: everything but the password.
public struct Draft: Codable, Sendable, Equatable {
    public var settings: ServerSettings
    public var message: MessageDraft
    public var savedAt: Int

    public init(settings: ServerSettings, message: MessageDraft, savedAt: Int) {
        self.settings = settings
        self.message = message
        self.savedAt = savedAt
    }
}

/// Saves and restores the draft as JSON, atomically, so that a crash or a `kill -9` in the
/// middle of a save leaves the previous draft intact.
public struct DraftStore: Sendable {
    public let path: String

    public init(path: String = XDGPaths.stateDirectory + "/draft.json") {
        self.path = path
    }

    public func load() -> Draft? {
        guard let bytes = FileContents.read(path) else { return nil }
        return try? JSONDecoder().decode(Draft.self, from: Data(bytes))
    }

    public func save(_ draft: Draft) throws(FileWriteError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        guard let data = try? encoder.encode(draft) else { throw FileWriteError(path: path, reason: "could not encode the draft") }
        try FileContents.writeAtomically(Array(data), to: path, mode: 0o600)
    }
}
