import CCurl
#if canImport(Glibc)
import Glibc
#endif

/// libcurl's process-wide set-up: `curl_global_init` once, before any other thread starts, and
/// SIGPIPE ignored (a server closing the connection must not kill mailtui).
public enum CurlRuntime {
    private static let initialized: Bool = {
        signal(SIGPIPE, SIG_IGN)
        return mt_global_init() == CURLE_OK
    }()

    /// The libcurl and TLS library this process runs with: `libcurl 7.88.1 with OpenSSL/3.0.22`,
    /// for failure reports and the probe (a bug report needs them).
    public static let versions: String = {
        guard let info = mt_version_info() else { return "libcurl (unknown version)" }
        let curl = info.pointee.version.map { String(cString: $0) } ?? "?"
        let tls = info.pointee.ssl_version.map { " with " + String(cString: $0) } ?? ""
        return "libcurl \(curl)\(tls)"
    }()

    /// Call from the main thread at start-up; later calls do nothing.
    @discardableResult
    public static func initialize() -> Bool { initialized }
}
