import MailCore
#if canImport(Glibc)
import Glibc
#endif

/// Writes a file saved from a caught message where the user asked, never over another file: a
/// folder gets the file inside it, and a name that is taken becomes `name (1).ext`, and so on.
/// The bytes go to a temporary file first and are linked into place, so the name appears whole
/// or not at all, and `link` refuses a name that exists (no check-then-write race).
enum SavedFile {
    struct Saved: Equatable {
        var path: String
        /// What the user should know: the name was taken and another was chosen.
        var note: String?
    }

    struct Failure: Error, Equatable {
        var path: String
        var reason: String
    }

    /// Writes `bytes` to `path`, or into it under `name` when it is a folder.
    static func write(_ bytes: [UInt8], to path: String, name: () -> String) -> Result<Saved, Failure> {
        var target = path
        var info = stat()
        if stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR {
            target = (path.hasSuffix("/") ? path : path + "/") + AppState.safeFileName(name())
        }
        let folder = String(target[..<(target.lastIndex(of: "/") ?? target.startIndex)])
        let fileName = String(target[(target.lastIndex(of: "/").map { target.index(after: $0) } ?? target.startIndex)...])
        if !folder.isEmpty { FileContents.makeDirectories(folder) }
        let temporary = (folder.isEmpty ? "." : folder) + "/.mailtui-save-\(getpid())-\(RandomToken.hex(bytes: 4))"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return .failure(Failure(path: target, reason: String(cString: strerror(errno)))) }
        defer { unlink(temporary) }
        if let reason = writeAll(bytes, to: fd) {
            close(fd)
            return .failure(Failure(path: target, reason: reason))
        }
        close(fd)
        for number in 0...999 {
            let candidate = number == 0 ? target : numbered(target, number)
            if link(temporary, candidate) == 0 {
                let note = number == 0 ? nil : "\(fileName) was there already and is kept"
                return .success(Saved(path: candidate, note: note))
            }
            guard errno == EEXIST else { return .failure(Failure(path: candidate, reason: String(cString: strerror(errno)))) }
        }
        return .failure(Failure(path: target, reason: "\(fileName) and 999 numbered names are taken"))
    }

    /// `report.pdf` → `report (2).pdf`; a name without an extension gets the number at its end.
    static func numbered(_ path: String, _ number: Int) -> String {
        let slash = path.lastIndex(of: "/").map { path.index(after: $0) } ?? path.startIndex
        let name = path[slash...]
        guard let dot = name.lastIndex(of: "."), dot > name.startIndex else { return path + " (\(number))" }
        return String(path[..<dot]) + " (\(number))" + String(path[dot...])
    }

    private static func writeAll(_ bytes: [UInt8], to fd: Int32) -> String? {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, bytes.count - offset) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return String(cString: strerror(errno)) }
            offset += n
        }
        return nil
    }
}
