#if canImport(Glibc)
import Glibc
#endif

/// Small whole-file reads and atomic writes (write a temporary file, fsync, rename), for drafts,
/// configuration and history, which must never be left half-written.
public enum FileContents {
    /// The file's bytes, or nil when it cannot be read. Without `followingLinks`, a symbolic
    /// link is not read (a store's file must be one it made).
    public static func read(_ path: String, followingLinks: Bool = true) -> [UInt8]? {
        let fd = RawPath.open(path.expandingTilde, O_RDONLY | O_CLOEXEC | (followingLinks ? 0 : O_NOFOLLOW))
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, 65536) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { return nil }
            if n == 0 { return result }
            result += buffer[0..<n]
        }
    }

    /// Replaces the file atomically; `mode` applies to a new file. Creates missing parent folders.
    /// Without `sync`, a crash still leaves the old file or the new one whole, but a power cut may
    /// lose the new one (for a test server's inbox, where speed matters more).
    public static func writeAtomically(_ bytes: [UInt8], to path: String, mode: mode_t = 0o600, sync: Bool = true) throws(FileWriteError) {
        let directory = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        if !directory.isEmpty { makeDirectories(directory) }
        let temporary = "\(path).tmp-\(getpid())-\(RandomToken.hex(bytes: 4))"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw FileWriteError(path: path, reason: String(cString: strerror(errno))) }
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, bytes.count - offset) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 {
                let reason = String(cString: strerror(errno))
                close(fd); unlink(temporary)
                throw FileWriteError(path: path, reason: reason)
            }
            offset += n
        }
        if sync { fsync(fd) }
        close(fd)
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw FileWriteError(path: path, reason: reason)
        }
    }

    /// `mkdir -p` with mode 0700.
    public static func makeDirectories(_ path: String) {
        var current = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            current += "/" + component
            mkdir(current, 0o700)
        }
    }

    /// Removes `NAME.tmp-PID-XXXXXXXX` files (as `writeAtomically` names them: eight lower-case
    /// hex digits) that a save killed half-way left behind: those whose process is gone, and only
    /// regular files. A file of a running process, a user's `report.tmp-99999-final`, a link or a
    /// folder is left alone.
    public static func removeStaleTemporaries(in directory: String) {
        for name in names(in: directory) {
            guard let marker = name.firstRange(of: ".tmp-") else { continue }
            let fields = name[marker.upperBound...].split(separator: "-", omittingEmptySubsequences: false)
            guard fields.count == 2, fields[0].allSatisfy(\.isASCII), let pid = Int32(fields[0]), pid > 0,
                  fields[1].utf8.count == 8, fields[1].utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else { continue }
            var status = stat()
            guard RawPath.withCString(directory + "/" + name, { lstat($0, &status) }) == 0, status.st_mode & S_IFMT == S_IFREG else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { unlink(directory + "/" + name) }
        }
    }

    /// The names in a folder (without `.` and `..`), every byte kept (see `RawPath`); none when
    /// it cannot be read.
    public static func names(in directory: String) -> [String] {
        guard let dir = RawPath.withCString(directory, { opendir($0) }) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { RawPath.string(fromBytes: $0.prefix(while: { $0 != 0 })) }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    public static func exists(_ path: String) -> Bool { RawPath.access(path.expandingTilde, F_OK) == 0 }
}

public struct FileWriteError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "could not write \(path): \(reason)" }

    package init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }
}
