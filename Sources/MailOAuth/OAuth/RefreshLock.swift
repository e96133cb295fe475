#if canImport(Glibc)
import Glibc
#endif

/// One account's refresh, one process at a time: an exclusive `flock` on `NAME.lock` beside the
/// account's token file. Microsoft rotates refresh tokens: two processes refreshing with the same
/// one (two cron sendmails whose token expired together) would spend it twice, and the authority
/// refuses the second, so the loser's stored token is dead. With the lock, the second waits, then
/// reads the token the first stored.
///
/// The file is the user's own (0600), opened without following a link, and never removed: a
/// process waiting on a file that another one unlinked and made again would hold a lock nobody
/// else sees. The kernel drops the lock when its holder exits, so a crash leaves no stale lock.
/// The wait (45 s by default, `TokenKeeper.lockWait`) is longer than the holder's refresh (an
/// HTTP request of at most 30 s, then the Secret Service), shorter than a person waits.
enum RefreshLock {
    /// Runs `body` holding the lock on `path`, after waiting at most `wait` for another process
    /// to let it go.
    static func holding<T>(_ path: String, account: String, wait: Duration, _ body: () throws(OAuthError) -> T) throws(OAuthError) -> T {
        let fd = RawPath.withCString(path) { open($0, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600) }
        guard fd >= 0 else {
            let code = errno
            let why = code == ELOOP ? "it is a symbolic link, which is not followed" : String(cString: strerror(code))
            throw OAuthError(stage: .storage, reason: "cannot open the refresh lock \(path): \(why)", hint: "Remove \(path); mailtui makes it again")
        }
        var status = stat()
        guard fstat(fd, &status) == 0, status.st_mode & S_IFMT == S_IFREG, status.st_uid == getuid(), status.st_mode & 0o077 == 0 else {
            close(fd)
            throw OAuthError(stage: .storage, reason: "the refresh lock \(path) is not a plain file of yours that only you can open",
                             hint: "Remove \(path); mailtui makes it again (mode 0600)")
        }
        let deadline = ContinuousClock.now + wait
        var pause = Duration.milliseconds(10)
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            if code == EINTR { continue }
            guard code == EWOULDBLOCK else {
                close(fd)
                throw OAuthError(stage: .storage, reason: "cannot lock \(path): \(String(cString: strerror(code)))", hint: nil)
            }
            guard ContinuousClock.now < deadline else {
                close(fd)
                throw OAuthError(stage: .refresh, reason: "another mailtui has been refreshing the token of \(account) for over \(wait.components.seconds) s (it holds \(path))",
                                 hint: "Try again in a minute; if it stays so, stop the mailtui that hangs (fuser \(path) names it)")
            }
            // The holder's refresh is one HTTP request: a short poll, growing, never past the deadline.
            let left = deadline - ContinuousClock.now
            sleep(min(pause, max(left, .milliseconds(1))))
            pause = min(pause * 2, .milliseconds(200))
        }
        defer {
            flock(fd, LOCK_UN)
            close(fd)
        }
        return try body()
    }

    private static func sleep(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
        var rest = timespec()
        while nanosleep(&request, &rest) != 0 && errno == EINTR { request = rest }
    }
}
