import MailCore

/// Records sends and probes in the history; a history that cannot be written is reported, never fatal.
enum History {
    /// The store, with the limit from config.toml (read once per process).
    static let store = HistoryStore(limit: (try? LoadedConfig.result.get().historyLimit) ?? 500)

    static func record(_ entry: HistoryEntry) {
        do { try store.append(entry) } catch { Console.err("warning: history not saved: \(error)") }
    }
}
