import CCurl
#if canImport(Glibc)
import Glibc
#endif

/// The authority's answer to one request: its status, its body (capped) and its clock.
public struct AuthorityReply: Sendable, Equatable {
    public var status: Int
    public var body: [UInt8]
    /// The `Date` header, in seconds since 1970, when the authority sent one it could be read.
    public var date: Int?
}

/// Form posts to an OAuth authority through libcurl, which mailtui already trusts for TLS and
/// certificate checks. Bounded: a body past `bodyLimit` or a reply slower than `timeout` stops.
public enum OAuthHTTP {
    /// An authority's JSON is a few kilobytes; a megabyte is no token reply.
    public static let bodyLimit = 1 << 20

    /// Why `url` cannot be used for tokens: only https, except to this machine (a test's fake
    /// authority), since a token sent in the clear is a token given away.
    public static func problem(with url: String) -> String? {
        let lower = url.lowercased()
        if lower.hasPrefix("https://") { return nil }
        guard lower.hasPrefix("http://") else { return "\(url) is not an https:// URL" }
        let rest = lower.dropFirst(7)
        let hostPort = rest.prefix { $0 != "/" }
        let host: Substring
        if hostPort.hasPrefix("[") {
            host = hostPort.dropFirst().prefix { $0 != "]" }
        } else {
            host = hostPort.prefix { $0 != ":" }
        }
        if host == "127.0.0.1" || host == "::1" || host == "localhost" { return nil }
        return "\(url) is plain http: an authority must be reached over https (plain http only to 127.0.0.1 or ::1, for tests)"
    }

    /// Posts `form` (application/x-www-form-urlencoded) and returns the reply, whatever its status.
    public static func post(_ url: String, form: [(String, String)], timeout: Int = 30) throws(OAuthError) -> AuthorityReply {
        if let problem = problem(with: url) { throw OAuthError(stage: .request, reason: problem, hint: "Give --authority an https:// URL.") }
        // Tokens are about to be in memory: no core file may keep them.
        CoreDumps.forbid()
        CurlRuntime.initialize()
        guard let easy = curl_easy_init() else { throw OAuthError(stage: .request, reason: "libcurl could not be initialised", hint: nil) }
        let sink = ReplySink()
        let body = formEncoded(form)
        var headers: UnsafeMutablePointer<curl_slist>? = curl_slist_append(nil, "Accept: application/json")
        headers = curl_slist_append(headers, "Content-Type: application/x-www-form-urlencoded")
        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        defer {
            curl_easy_cleanup(easy)
            curl_slist_free_all(headers)
            errorBuffer.deallocate()
        }
        let me = Unmanaged.passUnretained(sink).toOpaque()
        mt_setopt_string(easy, CURLOPT_URL, url)
        mt_setopt_long(easy, CURLOPT_NOSIGNAL, 1)
        mt_setopt_long(easy, CURLOPT_FOLLOWLOCATION, 0)
        mt_setopt_string(easy, CURLOPT_PROTOCOLS_STR, "http,https")
        mt_setopt_pointer(easy, CURLOPT_HTTPHEADER, headers)
        mt_setopt_string(easy, CURLOPT_COPYPOSTFIELDS, body)
        mt_setopt_long(easy, CURLOPT_TIMEOUT, timeout)
        mt_setopt_long(easy, CURLOPT_CONNECTTIMEOUT, min(timeout, 15))
        mt_setopt_pointer(easy, CURLOPT_ERRORBUFFER, errorBuffer)
        mt_setopt_writefunction(easy, bodyCallback)
        mt_setopt_pointer(easy, CURLOPT_WRITEDATA, me)
        mt_setopt_headerfunction(easy, headerCallback)
        mt_setopt_pointer(easy, CURLOPT_HEADERDATA, me)
        let code = withExtendedLifetime(sink) { curl_easy_perform(easy) }
        guard code == CURLE_OK else {
            let said = String(cString: errorBuffer)
            let reason = sink.overLimit ? "the authority's reply passed \(bodyLimit / 1024) KiB, which is no token reply"
                : (said.isEmpty ? String(cString: curl_easy_strerror(code)) : said) + " (libcurl error \(code.rawValue))"
            throw OAuthError(stage: .request, reason: "\(url): \(reason)",
                             hint: "Check the network and the --authority URL; behind a proxy set https_proxy.")
        }
        var status = 0
        mt_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
        return AuthorityReply(status: status, body: sink.body, date: sink.date.flatMap(HTTPDate.seconds))
    }

    /// `a=1&b=x%20y`: every byte but RFC 3986's unreserved ones percent-encoded.
    static func formEncoded(_ form: [(String, String)]) -> String {
        form.map { percentEncoded($0.0) + "=" + percentEncoded($0.1) }.joined(separator: "&")
    }

    static func percentEncoded(_ text: String) -> String {
        PercentEncoding.unreserved(text)
    }
}

/// What the callbacks collect: the body up to the limit, and the Date header.
private final class ReplySink {
    var body: [UInt8] = []
    var date: String?
    var overLimit = false
}

private let bodyCallback: curl_write_callback = { data, size, count, userdata in
    guard let data, let userdata else { return 0 }
    let sink = Unmanaged<ReplySink>.fromOpaque(userdata).takeUnretainedValue()
    let n = size * count
    if sink.body.count + n > OAuthHTTP.bodyLimit { sink.overLimit = true; return 0 }
    sink.body += UnsafeRawBufferPointer(start: data, count: n)
    return n
}

private let headerCallback: curl_write_callback = { data, size, count, userdata in
    guard let data, let userdata else { return 0 }
    let sink = Unmanaged<ReplySink>.fromOpaque(userdata).takeUnretainedValue()
    let n = size * count
    // Header lines are short; a longer one is not the Date.
    guard n < 512 else { return n }
    let line = String(decoding: UnsafeRawBufferPointer(start: data, count: n), as: UTF8.self)
    if line.lowercased().hasPrefix("date:") { sink.date = String(line.dropFirst(5)).trimmingEnds(of: " \t\r\n") }
    return n
}

/// RFC 9110's IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), the only form servers send today.
enum HTTPDate {
    static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    static func seconds(_ text: String) -> Int? {
        let words = text.split(separator: " ")
        guard words.count == 6, let day = Int(words[1]), let month = months.firstIndex(of: words[2].lowercased()),
              let year = Int(words[3]), year >= 1970, year < 10000 else { return nil }
        let clock = words[4].split(separator: ":").compactMap { Int($0) }
        guard clock.count == 3 else { return nil }
        return days(year: year, month: month + 1, day: day) * 86400 + clock[0] * 3600 + clock[1] * 60 + clock[2]
    }

    /// Days from 1970-01-01 to a date of the proleptic Gregorian calendar.
    static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = y / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146097 + dayOfEra - 719468
    }
}
