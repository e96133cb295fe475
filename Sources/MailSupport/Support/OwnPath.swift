#if canImport(Glibc)
import Glibc
#endif

/// Whether a file or folder is the user's own, by ssh's rule (StrictModes): a file mailtui reads
/// settings from, or a folder it stores into, must belong to the user (or to root) and must not be
/// writable by group or others. Otherwise another local user could have prepared it: a planted
/// `config.toml` with a `password_cmd` would run as the victim, and a store folder with a planted
/// link would be written through.
public enum OwnPath {
    /// Why `path` cannot be trusted, or nil when it can (or does not exist yet: mailtui makes it).
    /// `what` names it for people ("the configuration folder"). A folder that others can write is
    /// allowed only when `stickyAllowed` and it has the sticky bit (as `/tmp`): then nobody can
    /// replace what another user put in it.
    public static func problem(_ path: String, what: String, stickyAllowed: Bool = false) -> String? {
        var status = stat()
        guard RawPath.withCString(path, { stat($0, &status) }) == 0 else { return nil }
        let me = getuid()
        if status.st_uid != me && status.st_uid != 0 {
            let owner = getpwuid(status.st_uid).map { String(cString: $0.pointee.pw_name) } ?? "uid \(status.st_uid)"
            return "\(what) \(path) belongs to \(owner), not to you (uid \(me)): another user may have prepared it. "
                + "Remove it, or make it yours (chown \(me) \(path))"
        }
        let mode = status.st_mode & 0o7777
        let isFolder = status.st_mode & S_IFMT == S_IFDIR
        if mode & 0o022 != 0 && !(isFolder && stickyAllowed && mode & 0o1000 != 0) {
            return "\(what) \(path) can be changed by group or others (mode \(String(mode, radix: 8))): run chmod go-w \(path)"
        }
        return nil
    }

    /// The first problem of a file and the folders it is in: the file, its folder, and the folder
    /// above (as `~/.config` above `~/.config/mailtui`), which may be shared only if sticky.
    public static func problem(ofFile path: String, what: String) -> String? {
        let folder = parent(of: path)
        return problem(path, what: what)
            ?? problem(folder, what: "the folder")
            ?? problem(parent(of: folder), what: "the folder", stickyAllowed: true)
    }

    /// The folder `path` is in ("/" for "/x", "." for "x").
    public static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let folder = String(path[..<slash])
        return folder.isEmpty ? "/" : folder
    }
}
