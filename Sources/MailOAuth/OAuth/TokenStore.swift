#if canImport(Glibc)
import Glibc
#endif

/// The signed-in accounts, one JSON file each in `$XDG_DATA_HOME/mailtui/oauth/`: the folder
/// 0700, each file 0600 and written atomically. As ssh does with a private key, a file or folder
/// that others may read is refused, not used: a token another local user could read is no longer
/// the user's alone.
public struct TokenStore: Sendable {
    public let directory: String

    public init(directory: String = XDGPaths.dataDirectory + "/oauth") {
        self.directory = directory
    }

    /// Why `name` cannot name an account (it becomes a file name), or nil.
    public static func problem(withName name: String) -> String? {
        let allowed = name.unicodeScalars.allSatisfy { ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || "._@+-".unicodeScalars.contains($0) }
        guard !name.isEmpty, name.utf8.count <= 64, allowed, !name.hasPrefix(".") else {
            return "\"\(TerminalSanitizer.sanitize(name, maxLength: 80))\" cannot name an account: use 1 to 64 letters, digits and . _ @ + - (not starting with a dot)"
        }
        return nil
    }

    public func path(of name: String) -> String { directory + "/" + name + ".json" }

    /// The account, refused when missing, unreadable or readable by others.
    public func load(_ name: String) throws(OAuthError) -> OAuthAccount {
        if let problem = Self.problem(withName: name) { throw OAuthError(stage: .storage, reason: problem, hint: nil) }
        let file = path(of: name)
        guard FileContents.exists(file) else {
            throw OAuthError(stage: .storage, reason: "no account \"\(name)\" is signed in (no \(file))",
                             hint: "Sign in first: mailtui oauth login --provider microsoft|google --account \(name) --client-id ID")
        }
        if let problem = permissionProblem(file) { throw OAuthError(stage: .storage, reason: problem, hint: nil) }
        guard let bytes = FileContents.read(file, followingLinks: false), bytes.count <= 1 << 20 else {
            throw OAuthError(stage: .storage, reason: "\(file) could not be read", hint: "Sign in again, or remove it with mailtui oauth logout --account \(name)")
        }
        do {
            return try JSONDecoder().decode(OAuthAccount.self, from: Data(bytes))
        } catch {
            throw OAuthError(stage: .storage, reason: "\(file) is not an account mailtui wrote", hint: "Remove it (mailtui oauth logout --account \(name)) and sign in again")
        }
    }

    public func save(_ account: OAuthAccount) throws(OAuthError) {
        if let problem = Self.problem(withName: account.account) { throw OAuthError(stage: .storage, reason: problem, hint: nil) }
        FileContents.makeDirectories(directory)
        if let problem = permissionProblem(directory, folder: true) { throw OAuthError(stage: .storage, reason: problem, hint: nil) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        do {
            let bytes = Array(try encoder.encode(account)) + [10]
            try FileContents.writeAtomically(bytes, to: path(of: account.account), mode: 0o600)
        } catch {
            throw OAuthError(stage: .storage, reason: "\(error)", hint: nil)
        }
    }

    /// Removes the account's file; false when there was none.
    public func remove(_ name: String) throws(OAuthError) -> Bool {
        if let problem = Self.problem(withName: name) { throw OAuthError(stage: .storage, reason: problem, hint: nil) }
        let file = path(of: name)
        guard FileContents.exists(file) else { return false }
        guard unlink(file) == 0 else { throw OAuthError(stage: .storage, reason: "could not remove \(file): \(String(cString: strerror(errno)))", hint: nil) }
        return true
    }

    /// The names of the stored accounts, sorted.
    public func names() -> [String] {
        FileContents.names(in: directory).filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }
            .filter { Self.problem(withName: $0) == nil }.sorted()
    }

    /// Why the file or folder cannot hold tokens: not the user's, not a plain file (or folder),
    /// or open to group or others.
    public func permissionProblem(_ path: String, folder: Bool = false) -> String? {
        if !folder, let problem = permissionProblem(directory, folder: true) { return problem }
        var status = stat()
        guard RawPath.withCString(path, { lstat($0, &status) }) == 0 else { return nil }
        let kind = status.st_mode & S_IFMT
        guard kind == (folder ? S_IFDIR : S_IFREG) else { return "\(path) is not a plain \(folder ? "folder" : "file") (a link is not followed)" }
        if status.st_uid != getuid() { return "\(path) does not belong to you (uid \(getuid())): another user may have prepared it" }
        let mode = status.st_mode & 0o777
        if mode & 0o077 != 0 {
            return "\(path) can be read or changed by others (mode \(String(mode, radix: 8))), so its tokens are refused. Run chmod \(folder ? "700" : "600") \(path), then sign in again if others may have read it"
        }
        return nil
    }
}
