#if canImport(Glibc)
import Glibc
#endif

extension String {
    package var lastPathComponent: String {
        split(separator: "/").last.map(String.init) ?? self
    }

    /// The path made absolute (libcurl's TLS back end does not reliably resolve relative CA paths).
    public var absolutePath: String {
        let expanded = expandingTilde
        guard let resolved = realpath(expanded, nil) else { return expanded }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// `~/x` with the home directory put in.
    public var expandingTilde: String {
        guard hasPrefix("~/") || self == "~", let home = getenv("HOME") else { return self }
        return String(cString: home) + dropFirst()
    }
}
