import MailCore
#if canImport(Glibc)
import Glibc
#endif

/// The names the message store makes, recognised exactly: the store retires, reuses and removes
/// only files with these names that are regular files, so a user's `notes.eml`, a folder
/// `archive.eml/`, a link `x.eml` or a `report.tmp-99999-final` are never touched.
///
/// - a message: `<milliseconds>-<pid>-<sequence, six digits or more>.eml` and `.json`
/// - a part file being written (where there is no `O_TMPFILE`): `<message file>.tmp-<pid>-part`
/// - a spare (an expired message's file kept for reuse): `.spare<n>.tmp-<pid>-spare`
enum StoreNames {
    static func part(_ name: String) -> String { "\(name).tmp-\(ThisProcess.idText)-part" }
    static func spare(_ number: Int) -> String { ".spare\(number).tmp-\(ThisProcess.idText)-spare" }

    /// Whether `id` is made as `MessageStore.begin` makes ids.
    static func isID(some id: Substring) -> Bool {
        let fields = id.utf8.split(separator: UInt8(ascii: "-"), omittingEmptySubsequences: false)
        return fields.count == 3 && fields[2].count >= 6 && fields.allSatisfy(isDigits)
    }

    static func isID(_ id: String) -> Bool { isID(some: id[...]) }

    private static func isDigits(_ text: Substring.UTF8View) -> Bool {
        !text.isEmpty && text.count <= 20 && text.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }

    private static func isNumber(_ text: Substring) -> Bool { isDigits(text.utf8) }

    /// The process id in a temporary's name, when the name is exactly one the store makes.
    static func temporaryOwner(_ name: String) -> Int32? {
        let parts = name.split(separator: ".tmp-", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        let tail = parts[1].split(separator: "-", omittingEmptySubsequences: false)
        guard tail.count == 2, isNumber(tail[0]), let pid = Int32(tail[0]), pid > 0 else { return nil }
        let base = parts[0]
        switch tail[1] {
        case "part":
            guard base.hasSuffix(".eml") || base.hasSuffix(".json") else { return nil }
            return isID(some: base[..<base.lastIndex(of: ".")!]) ? pid : nil
        case "spare":
            return base.hasPrefix(".spare") && isNumber(base.dropFirst(6)) ? pid : nil
        default:
            return nil
        }
    }

    /// Whether `path` is a regular file with one name (`lstat`: a link is not followed). A second
    /// name would be someone else's file that writing into this one would change.
    static func isPlainFile(_ path: String) -> Bool {
        var status = stat()
        return lstat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFREG && status.st_nlink == 1
    }

    /// Removes the part files and spares of a store process that is gone.
    static func removeStaleFiles(in directory: String) {
        removeStaleFiles(FileContents.names(in: directory), in: directory)
    }

    /// As above, among names already listed.
    static func removeStaleFiles(_ names: [String], in directory: String) {
        for name in names {
            guard let pid = temporaryOwner(name), kill(pid, 0) != 0 && errno == ESRCH else { continue }
            if isPlainFile(directory + "/" + name) { unlink(directory + "/" + name) }
        }
    }
}
