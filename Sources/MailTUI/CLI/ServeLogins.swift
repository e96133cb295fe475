import ArgumentParser
import Foundation
import MailCore
#if canImport(Glibc)
import Glibc
#endif

/// `serve`'s test logins from a file or an environment variable: `--user NAME:PASSWORD` puts the
/// password in the process list, these do not.
enum ServeLogins {
    /// `NAME:PASSWORD` lines; blank lines and `#` comments are skipped. A bad line is named by its
    /// number only: its text may hold a password.
    static func parse(_ text: String, from origin: String) throws -> [String: String] {
        var logins: [String: String] = [:]
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) || line.first == "#" { continue }
            guard let colon = line.firstIndex(of: ":"), colon != line.startIndex else {
                throw ValidationError("\(origin), line \(index + 1): expected NAME:PASSWORD.")
            }
            logins[String(line[..<colon])] = String(line[line.index(after: colon)...])
        }
        // An empty list would mean "any login is accepted": not what a logins file asks for.
        guard !logins.isEmpty else { throw ValidationError("\(origin): no NAME:PASSWORD line in it.") }
        return logins
    }

    /// Reads a logins file that only its owner, this user, can read or write (as ssh asks of a
    /// private key); a symlink is not followed.
    static func readFile(_ path: String) throws -> [String: String] {
        let origin = "--users-file \(path)"
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        guard fd >= 0 else {
            let reason = errno == ELOOP ? "it is a symbolic link; give the file itself" : String(cString: strerror(errno))
            throw ValidationError("\(origin): cannot open it: \(reason).")
        }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { throw ValidationError("\(origin): not a regular file.") }
        guard info.st_uid == getuid() else { throw ValidationError("\(origin): owned by another user; it must be your own file.") }
        guard info.st_mode & 0o077 == 0 else {
            throw ValidationError("\(origin): group or others may read it (mode \(String(info.st_mode & 0o777, radix: 8))); make it private: chmod 600 \(path)")
        }
        guard info.st_size <= 1 << 20, let bytes = try? handle.readToEnd() ?? Data() else { throw ValidationError("\(origin): cannot read it (at most 1 MiB).") }
        return try parse(String(decoding: bytes, as: UTF8.self), from: origin)
    }

    /// The logins in an environment variable, one NAME:PASSWORD a line.
    static func environment(_ name: String) throws -> [String: String] {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else {
            throw ValidationError("--users-env \(name): the variable is not set or empty.")
        }
        return try parse(value, from: "--users-env \(name)")
    }
}
