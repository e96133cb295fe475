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

    /// Call from the main thread at start-up; later calls do nothing.
    @discardableResult
    public static func initialize() -> Bool { initialized }
}
