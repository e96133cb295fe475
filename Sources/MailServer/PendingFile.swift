#if canImport(Glibc)
import Glibc
#endif

/// A file being written that appears in its folder, whole, only when it is published: a nameless
/// (`O_TMPFILE`) file linked into place, or, where the file system has no nameless files, a hidden
/// part file renamed into place. Opened at the first write.
///
/// It is used by one thread at a time: the event loop while a message arrives, then the store's
/// writer thread, which it is handed to at commit.
final class PendingFile: @unchecked Sendable {
    private var partPath: String
    private let directory: String
    private var fd: Int32 = -1
    private var opened = false
    /// Whether this is a part file with a name (no O_TMPFILE here).
    private var named = false
    private(set) var failed: String?
    /// Bytes written so far.
    private var length = 0
    /// Whether this is a spare being overwritten: cut to length when published.
    private var reusing = false

    /// `O_TMPFILE` as Linux defines it (Swift cannot import the macro).
    private static let nameless = 0o20000000 | O_DIRECTORY
    /// Linking a nameless file into place goes through its /proc/self/fd link.
    private static let canLink = access("/proc/self/fd", F_OK) == 0

    init(directory: String, name: String) {
        self.directory = directory
        partPath = directory + "/" + StoreNames.part(name)
    }

    private func openOnce() {
        guard !opened else { return }
        opened = true
        if Self.canLink { fd = open(directory, Self.nameless | O_WRONLY | O_CLOEXEC, 0o600) }
        if fd < 0 {
            // A new file of our own: never one that is there already, never through a link.
            fd = open(partPath, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            named = fd >= 0
        }
        if fd < 0 { failed = String(cString: strerror(errno)) } else { fchmod(fd, 0o600) }
    }

    /// Writes into `spare` (an existing hidden file of the folder) rather than a new file, unless
    /// writing has begun; returns whether it took the spare. The spare is overwritten and cut to
    /// length at the end, not emptied first: ext4 writes a file emptied by truncation out to disk
    /// when it is closed, which made every message wait for the disk.
    ///
    /// Only a regular file of this user with no other name is taken (a link is not followed), and
    /// it gets mode 0600 whatever it had.
    func reuse(_ spare: String) -> Bool {
        guard !opened else { return false }
        let reused = open(spare, O_WRONLY | O_NOFOLLOW | O_CLOEXEC)
        guard reused >= 0 else { return false }
        var status = stat()
        guard fstat(reused, &status) == 0, status.st_mode & S_IFMT == S_IFREG, status.st_nlink == 1, status.st_uid == getuid(),
              fchmod(reused, 0o600) == 0 else {
            close(reused)
            return false
        }
        opened = true
        fd = reused
        named = true
        reusing = true
        partPath = spare
        return true
    }

    func write(_ bytes: [UInt8]) {
        openOnce()
        var offset = 0
        while offset < bytes.count && failed == nil {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { failed = String(cString: strerror(errno)); break }
            offset += n
            length += n
        }
    }

    /// Gives the file its name; returns why it could not, or nil.
    func publish(as path: String) -> String? {
        openOnce()
        if reusing {
            var status = stat()
            if fstat(fd, &status) != 0 || Int(status.st_size) > length, ftruncate(fd, off_t(length)) != 0 { failed = String(cString: strerror(errno)) }
        }
        if let failed { discard(); return failed }
        let done = named ? rename(partPath, path) : linkat(AT_FDCWD, "/proc/self/fd/\(fd)", AT_FDCWD, path, AT_SYMLINK_FOLLOW)
        let reason = done == 0 ? nil : String(cString: strerror(errno))
        // A renamed part file is no longer there to remove.
        if done == 0 { named = false }
        discard()
        return reason
    }

    /// Closes it; unless published, it is gone.
    func discard() {
        if fd >= 0 { close(fd); fd = -1 }
        if named { unlink(partPath); named = false }
    }

    deinit { discard() }
}

/// This process's id, asked once: glibc no longer caches getpid(), and the store named two files
/// a message with it, a system call each.
enum ThisProcess {
    static let idText = String(getpid())
}
