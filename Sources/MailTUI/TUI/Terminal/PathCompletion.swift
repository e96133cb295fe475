import MailCore
#if canImport(Glibc)
import Glibc
#endif

/// File-name completion for the attachment field, like a shell's Tab.
enum PathCompletion {
    /// Completes `input` against the names in its directory: the longest common extension, and
    /// every candidate; a single directory gets a trailing "/".
    static func complete(_ input: String, listing: (String) -> [(name: String, isDirectory: Bool)] = PathCompletion.list) -> (completion: String, candidates: [String]) {
        let slash = input.lastIndex(of: "/")
        let directoryPart = slash.map { String(input[...$0]) } ?? ""
        let prefix = slash.map { String(input[input.index(after: $0)...]) } ?? input
        var directory = directoryPart.isEmpty ? "." : directoryPart
        if directory.hasPrefix("~/"), let home = getenv("HOME") { directory = String(cString: home) + directory.dropFirst() }
        let matches = listing(directory)
            .filter { $0.name.hasPrefix(prefix) && (prefix.hasPrefix(".") || !$0.name.hasPrefix(".")) }
            .sorted { $0.name < $1.name }
        guard let first = matches.first else { return (input, []) }
        if matches.count == 1 {
            return (directoryPart + first.name + (first.isDirectory ? "/" : ""), [first.name])
        }
        var common = Array(first.name)
        for match in matches.dropFirst() {
            let other = Array(match.name)
            var n = 0
            while n < common.count && n < other.count && common[n] == other[n] { n += 1 }
            common = Array(common[0..<n])
        }
        return (directoryPart + String(common), matches.map { $0.name + ($0.isDirectory ? "/" : "") })
    }

    static func list(_ directory: String) -> [(name: String, isDirectory: Bool)] {
        FileContents.names(in: directory).map { name in
            var info = stat()
            return (name, RawPath.stat(directory + "/" + name, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR)
        }
    }
}
