import CCurl
#if canImport(Glibc)
import Glibc
#endif

/// A short extra connection after a failure, to explain it: a TLS handshake without verifying the
/// certificate, which tells whether a port speaks implicit TLS and what its certificate says.
enum SecondLook {
    /// Connects with `security` (TLS or STARTTLS), certificate checks off, and returns the leaf
    /// certificate's facts; nil when no TLS session could be made.
    static func certificate(_ settings: ServerSettings, security: SecurityMode, timeout: Double = 3) -> TLSInfo? {
        var s = settings
        s.security = security
        s.verifyCertificate = false
        return handshake(s, timeout: timeout) { easy, result in
            result == CURLE_OK ? CertificateFacts.read(easy) ?? TLSInfo() : nil
        }
    }

    /// A CONNECT_ONLY session up to the TLS handshake (and EHLO for STARTTLS), verifying or not as
    /// the settings say, no login; `read` looks at the handle before it is cleaned up.
    private static func handshake<T>(_ settings: ServerSettings, timeout: Double, read: (UnsafeMutableRawPointer, CURLcode) -> T?) -> T? {
        guard settings.security != .none, let easy = curl_easy_init() else { return nil }
        let resolveList = CurlResolve.apply(easy, settings)
        defer {
            curl_easy_cleanup(easy)
            curl_slist_free_all(resolveList)
        }
        mt_setopt_string(easy, CURLOPT_URL, SMTPSession.url(for: settings))
        mt_setopt_long(easy, CURLOPT_CONNECT_ONLY, 1)
        mt_setopt_long(easy, CURLOPT_NOSIGNAL, 1)
        CurlTLS.apply(easy, settings, security: settings.security)
        mt_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, timeout.saturatingMilliseconds)
        mt_setopt_long(easy, CURLOPT_TIMEOUT_MS, timeout.saturatingMilliseconds)
        return read(easy, curl_easy_perform(easy))
    }
}

extension SecondLook {
    /// What certificate verification says of this server, with the settings' CA file: for a probe
    /// with verification turned off, which must still tell whether it would pass. nil when no TLS
    /// session could be made at all.
    static func verdict(_ settings: ServerSettings, timeout: Double = 5) -> CertificateVerdict? {
        var s = settings
        s.verifyCertificate = true
        return handshake(s, timeout: timeout) { easy, result in
            guard result == CURLE_OK || result == CURLE_PEER_FAILED_VERIFICATION else { return nil }
            var code = 0
            mt_getinfo_long(easy, CURLINFO_SSL_VERIFYRESULT, &code)
            return CertificateVerdict(verifyResult: result == CURLE_OK ? 0 : code, verificationFailed: result != CURLE_OK)
        }
    }
}

/// The leaf certificate as libcurl's CERTINFO gives it.
enum CertificateFacts {
    static func read(_ easy: UnsafeMutableRawPointer) -> TLSInfo? {
        var info: UnsafeMutablePointer<curl_certinfo>?
        guard mt_getinfo_certinfo(easy, &info) == CURLE_OK, let info, info.pointee.num_of_certs > 0,
              let lists = info.pointee.certinfo else { return nil }
        var fields: [String: String] = [:]
        var node = lists[0]
        while let current = node {
            // Certificate text comes from the server: made safe like everything it says.
            let entry = TerminalSanitizer.sanitize(String(cString: current.pointee.data))
            if let colon = entry.firstIndex(of: ":") {
                fields[String(entry[..<colon])] = String(entry[entry.index(after: colon)...])
            }
            node = current.pointee.next
        }
        var tls = TLSInfo()
        tls.subject = fields["Subject"]
        tls.issuer = fields["Issuer"]
        tls.notBefore = fields["Start date"]
        tls.notAfter = fields["Expire date"]
        tls.names = (fields["X509v3 Subject Alternative Name"] ?? "")
            .split(separator: ",")
            .map { $0.trimmingSpaces.replacing("DNS:", with: "").replacing("IP Address:", with: "") }
        return tls
    }
}
