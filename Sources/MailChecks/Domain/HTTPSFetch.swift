import CCurl

/// One HTTPS GET through libcurl, as RFC 8461 fetches an MTA-STS policy: certificates verified
/// (against `caFile` when given), no redirects followed, the body capped, one deadline.
public enum HTTPSFetch {
    public struct Response: Sendable, Equatable {
        public var status: Int
        public var contentType: String?
        public var body: [UInt8]
    }

    public enum Failure: Error, Sendable, Equatable {
        /// libcurl's code kept, with its words.
        case transfer(code: Int, words: String)
        case tooLarge(limit: Int)
    }

    public static func get(_ url: String, caFile: String?, timeout: Int = 10, limit: Int = 65536) -> Result<Response, Failure> {
        guard CurlRuntime.initialize(), let easy = curl_easy_init() else { return .failure(.transfer(code: -1, words: "libcurl could not start")) }
        defer { curl_easy_cleanup(easy) }
        let sink = Sink(limit: limit)
        let context = Unmanaged.passRetained(sink)
        defer { context.release() }
        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        defer { errorBuffer.deallocate() }
        mt_setopt_string(easy, CURLOPT_URL, url)
        mt_setopt_string(easy, CURLOPT_PROTOCOLS_STR, "https")
        mt_setopt_long(easy, CURLOPT_FOLLOWLOCATION, 0)
        mt_setopt_long(easy, CURLOPT_TIMEOUT, timeout)
        mt_setopt_long(easy, CURLOPT_NOSIGNAL, 1)
        mt_setopt_pointer(easy, CURLOPT_ERRORBUFFER, errorBuffer)
        if let caFile { mt_setopt_string(easy, CURLOPT_CAINFO, caFile) }
        mt_setopt_writefunction(easy) { data, size, count, context in
            let sink = Unmanaged<Sink>.fromOpaque(context!).takeUnretainedValue()
            let length = size * count
            guard sink.body.count + length <= sink.limit else { sink.overflowed = true; return 0 }
            if let data { sink.body += UnsafeRawBufferPointer(start: UnsafeRawPointer(data), count: length) }
            return length
        }
        mt_setopt_pointer(easy, CURLOPT_WRITEDATA, context.toOpaque())
        let code = curl_easy_perform(easy)
        if sink.overflowed { return .failure(.tooLarge(limit: limit)) }
        guard code == CURLE_OK else {
            let words = String(cString: errorBuffer)
            return .failure(.transfer(code: Int(code.rawValue), words: words.isEmpty ? String(cString: curl_easy_strerror(code)) : words))
        }
        var status = 0
        mt_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
        var type: UnsafeMutablePointer<CChar>?
        mt_getinfo_string(easy, CURLINFO_CONTENT_TYPE, &type)
        return .success(Response(status: status, contentType: type.map { String(cString: $0) }, body: sink.body))
    }

    /// The body as it arrives; only the transfer's thread touches it.
    private final class Sink: @unchecked Sendable {
        let limit: Int
        var body: [UInt8] = []
        var overflowed = false
        init(limit: Int) { self.limit = limit }
    }
}
