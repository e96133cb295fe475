import MailCore
#if canImport(Glibc)
import Glibc
#endif

/// What a running `mailtui serve` tells the compose screen about itself: `serve-PORT.json` in
/// `$XDG_RUNTIME_DIR/mailtui/` (the state folder when that is unset), with its CA, its inbox folder
/// and its PID. A serve started with another data folder has another CA and inbox than the screen
/// would guess; with this file the screen trusts the right CA and shows the right inbox. The file
/// goes when serve ends; one left by a killed serve is known by its dead PID.
struct ServeRuntimeFile: Codable, Equatable, Sendable {
    var port: Int
    var pid: Int32
    /// The CA that signed the server's certificate; nil when serve was given its own (`--cert`).
    var ca: String?
    /// The inbox folder.
    var store: String
    /// False when serve was given its logins (`--user`): then the password matters.
    var anyLogin: Bool?

    static var directory: String {
        if let value = getenv("XDG_RUNTIME_DIR").map({ String(cString: $0) }), value.hasPrefix("/") { return value + "/mailtui" }
        return XDGPaths.stateDirectory
    }

    static func path(port: Int, in directory: String) -> String { directory + "/serve-\(port).json" }

    /// Writes one file per SMTP port the server listens on; returns their paths, for `withdraw`.
    static func announce(_ smtpAddresses: [String], ca: String?, store: String, anyLogin: Bool, in directory: String = directory) -> [String] {
        let ports = Set(smtpAddresses.compactMap { $0.split(separator: ":").last.flatMap { Int($0) } })
        FileContents.makeDirectories(directory)
        return ports.sorted().compactMap { port in
            let file = ServeRuntimeFile(port: port, pid: getpid(), ca: ca, store: store, anyLogin: anyLogin)
            guard let data = try? JSONEncoder().encode(file) else { return nil }
            let path = path(port: port, in: directory)
            do { try FileContents.writeAtomically(Array(data), to: path, mode: 0o600) } catch { return nil }
            return path
        }
    }

    /// Removes the files this process wrote (not one a later serve put in their place).
    static func withdraw(_ paths: [String]) {
        for path in paths where read(path)?.pid == getpid() { unlink(path) }
    }

    /// The file of the serve that listens on `port`, when it is there, is this user's own, and
    /// names a running process and a CA that can be read; otherwise nil (and a stale file goes).
    static func find(port: Int, in directory: String = directory) -> ServeRuntimeFile? {
        let path = path(port: port, in: directory)
        guard let file = read(path), file.port == port else { return nil }
        guard kill(file.pid, 0) == 0 || errno == EPERM else {
            unlink(path)
            return nil
        }
        guard let ca = file.ca, access(ca, R_OK) == 0, file.store.hasPrefix("/") else { return nil }
        return file
    }

    /// The file's content, if it is a regular file of this user that no one else may write.
    private static func read(_ path: String) -> ServeRuntimeFile? {
        var info = stat()
        guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_uid == getuid(), info.st_mode & 0o022 == 0,
              info.st_size < 64 * 1024, let bytes = FileContents.read(path) else { return nil }
        return try? JSONDecoder().decode(ServeRuntimeFile.self, from: Data(bytes))
    }
}
