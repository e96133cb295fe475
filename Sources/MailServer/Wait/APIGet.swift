import CCurl
import MailCore

/// One GET to `mailtui serve`'s HTTP API through libcurl (already mailtui's HTTP and TLS
/// client): plain http or https, no redirect followed, the body capped, one deadline, the token
/// sent as a bearer header and never shown. Loopback addresses never go through a proxy.
public struct APIGet: Sendable {
    public struct Reply: Sendable, Equatable {
        public var status: Int
        public var body: [UInt8]

        /// The body as text for a message: the first line, at most 300 characters.
        public var said: String {
            let text = String(decoding: body.prefix(600), as: UTF8.self)
            let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
            return String(line.prefix(300))
        }
    }

    /// Why no answer came; libcurl's code kept with its words.
    public struct Failure: Error, Sendable, Equatable {
        public var code: Int
        public var words: String
        /// The body passed the cap (`code` is then libcurl's write error).
        public var tooLarge: Bool
    }

    /// `http://127.0.0.1:8025`, without a trailing slash.
    public let base: String
    public let token: String?

    public init(base: String, token: String?) {
        var base = base
        while base.hasSuffix("/") { base.removeLast() }
        self.base = base
        self.token = token
    }

    /// Why `url` is no API address, or nil: it must be http:// or https:// with a host.
    public static func problem(with url: String) -> String? {
        let lower = url.lowercased()
        guard let scheme = ["http://", "https://"].first(where: { lower.hasPrefix($0) }) else {
            return "--api takes the API's URL, http://HOST:PORT (e.g. http://127.0.0.1:8025), not \"\(url)\""
        }
        let rest = lower.dropFirst(scheme.count)
        guard let host = rest.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).first, !host.isEmpty,
              !host.contains(where: { $0.isWhitespace || $0 == "@" }) else {
            return "--api takes http://HOST:PORT (e.g. http://127.0.0.1:8025), with no user or spaces: \"\(url)\""
        }
        return nil
    }

    /// GETs `base + path` (path with its query, already encoded), waiting `seconds` at most.
    public func get(_ path: String, seconds: Double, limit: Int) -> Result<Reply, Failure> {
        guard CurlRuntime.initialize(), let easy = curl_easy_init() else { return .failure(Failure(code: -1, words: "libcurl could not start", tooLarge: false)) }
        let sink = Sink(limit: limit)
        let context = Unmanaged.passRetained(sink)
        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        var headers: UnsafeMutablePointer<curl_slist>? = curl_slist_append(nil, "Accept: application/json")
        if let token { headers = curl_slist_append(headers, "Authorization: Bearer " + token) }
        defer {
            curl_easy_cleanup(easy)
            curl_slist_free_all(headers)
            errorBuffer.deallocate()
            context.release()
        }
        mt_setopt_string(easy, CURLOPT_URL, base + path)
        mt_setopt_string(easy, CURLOPT_PROTOCOLS_STR, "http,https")
        mt_setopt_string(easy, CURLOPT_NOPROXY, "127.0.0.1,localhost,::1")
        mt_setopt_long(easy, CURLOPT_FOLLOWLOCATION, 0)
        mt_setopt_long(easy, CURLOPT_NOSIGNAL, 1)
        mt_setopt_long(easy, CURLOPT_TIMEOUT_MS, Int(max(1, seconds) * 1000))
        mt_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, Int(min(max(1, seconds), 15) * 1000))
        mt_setopt_pointer(easy, CURLOPT_HTTPHEADER, headers)
        mt_setopt_pointer(easy, CURLOPT_ERRORBUFFER, errorBuffer)
        mt_setopt_writefunction(easy) { data, size, count, context in
            let sink = Unmanaged<Sink>.fromOpaque(context!).takeUnretainedValue()
            let length = size * count
            guard sink.body.count + length <= sink.limit else { sink.overflowed = true; return 0 }
            if let data { sink.body += UnsafeRawBufferPointer(start: UnsafeRawPointer(data), count: length) }
            return length
        }
        mt_setopt_pointer(easy, CURLOPT_WRITEDATA, context.toOpaque())
        let code = curl_easy_perform(easy)
        guard code == CURLE_OK else {
            let said = String(cString: errorBuffer)
            return .failure(Failure(code: Int(code.rawValue), words: said.isEmpty ? String(cString: curl_easy_strerror(code)) : said, tooLarge: sink.overflowed))
        }
        var status = 0
        mt_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
        return .success(Reply(status: status, body: sink.body))
    }

    /// The body as it arrives; only the transfer's thread touches it.
    private final class Sink: @unchecked Sendable {
        let limit: Int
        var body: [UInt8] = []
        var overflowed = false
        init(limit: Int) { self.limit = limit }
    }
}
