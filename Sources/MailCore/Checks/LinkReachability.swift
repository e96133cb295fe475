import CCurl

/// Whether the message's links and images answer: a HEAD request each through libcurl,
/// redirects followed, certificates verified. Only with `--network`: a check must not reach out
/// to the world unless asked.
public struct LinkReachability: Sendable {
    /// At most this many distinct addresses are asked, each within `timeout`.
    public var maximumAddresses = 50
    public var timeout: Int = 10
    /// A CA bundle to trust (tests); nil uses the system's.
    public var caFile: String?

    public init(caFile: String? = nil, timeout: Int = 10) {
        self.caFile = caFile
        self.timeout = timeout
    }

    /// What one HEAD request found.
    public enum Answer: Sendable, Equatable {
        case status(Int, redirects: Int)
        /// libcurl's error, its code kept.
        case failed(code: Int, words: String)
    }

    func check(_ addresses: [String]) -> [MessageCheck.Finding] {
        var seen = Set<String>()
        let distinct = addresses.filter { seen.insert($0).inserted }
        var broken: [String] = []
        for address in distinct.prefix(maximumAddresses) {
            switch head(address) {
            case .status(let code, _) where code < 400 || code == 405 || code == 501:
                continue
            case .status(let code, let redirects):
                broken.append("\(address) (HTTP \(code)\(redirects > 0 ? " after \(redirects) redirect\(redirects == 1 ? "" : "s")" : ""))")
            case .failed(_, let words):
                broken.append("\(address) (\(words))")
            }
        }
        var found: [MessageCheck.Finding] = broken.map {
            .init(.links, .problem, "Does not answer: \($0).", fix: "Fix or remove the link; readers and spam filters both notice dead links.")
        }
        let asked = min(distinct.count, maximumAddresses)
        if broken.isEmpty && asked > 0 { found.append(.init(.links, .ok, "All \(asked) link\(asked == 1 ? "" : "s") and image\(asked == 1 ? "" : "s") answered a HEAD request.")) }
        if distinct.count > maximumAddresses { found.append(.init(.links, .info, "\(distinct.count - maximumAddresses) more addresses not asked (the first \(maximumAddresses) were).")) }
        return found
    }

    public func head(_ address: String) -> Answer {
        guard CurlRuntime.initialize() else { return .failed(code: -1, words: "libcurl could not start") }
        guard let easy = curl_easy_init() else { return .failed(code: -1, words: "libcurl could not start") }
        defer { curl_easy_cleanup(easy) }
        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        defer { errorBuffer.deallocate() }
        mt_setopt_string(easy, CURLOPT_URL, address)
        mt_setopt_long(easy, CURLOPT_NOBODY, 1)
        mt_setopt_long(easy, CURLOPT_FOLLOWLOCATION, 1)
        mt_setopt_long(easy, CURLOPT_MAXREDIRS, 10)
        mt_setopt_long(easy, CURLOPT_TIMEOUT, timeout)
        mt_setopt_long(easy, CURLOPT_NOSIGNAL, 1)
        mt_setopt_string(easy, CURLOPT_PROTOCOLS_STR, "http,https")
        mt_setopt_string(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        mt_setopt_string(easy, CURLOPT_USERAGENT, "mailtui check-message")
        mt_setopt_pointer(easy, CURLOPT_ERRORBUFFER, errorBuffer)
        if let caFile { mt_setopt_string(easy, CURLOPT_CAINFO, caFile) }
        let code = curl_easy_perform(easy)
        guard code == CURLE_OK else {
            let words = String(cString: errorBuffer)
            return .failed(code: Int(code.rawValue), words: words.isEmpty ? String(cString: curl_easy_strerror(code)) : words)
        }
        var status = 0
        var redirects = 0
        mt_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
        mt_getinfo_long(easy, CURLINFO_REDIRECT_COUNT, &redirects)
        return .status(status, redirects: redirects)
    }
}
