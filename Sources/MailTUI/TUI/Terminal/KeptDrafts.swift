import MailCore
#if canImport(Glibc)
import Glibc
#endif

/// Drafts `draft.PID.json` of compose screens that are gone (killed, or closed while another
/// screen held `draft.json`): nothing else would ever read them again, so the next screen offers
/// them (Ctrl-R). A draft of a screen that still runs is its own and is left alone.
enum KeptDrafts {
    static func find(in directory: String, except own: String) -> [KeptDraft] {
        var kept: [KeptDraft] = []
        for name in FileContents.names(in: directory) where name.hasPrefix("draft.") && name.hasSuffix(".json") {
            let middle = name.dropFirst("draft.".count).dropLast(".json".count)
            guard let pid = Int32(middle), pid > 0, directory + "/" + name != own else { continue }
            guard !isRunning(pid) else { continue }
            let path = directory + "/" + name
            var info = stat()
            guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_uid == getuid(),
                  let draft = DraftStore(path: path).load() else { continue }
            kept.append(KeptDraft(path: path, draft: draft))
        }
        return kept.sorted { $0.draft.savedAt > $1.draft.savedAt }
    }

    /// Whether the process runs and is a mailtui (a PID reused by another program does not count).
    static func isRunning(_ pid: Int32) -> Bool {
        guard kill(pid, 0) == 0 || errno == EPERM else { return false }
        guard let comm = FileContents.read("/proc/\(pid)/comm") else { return true }
        return String(decoding: comm, as: UTF8.self).hasPrefix("mailtui")
    }
}
