import CCurl

/// The TLS options of every libcurl handle mailtui makes, the session's and the second look's,
/// set in one place so that both verify (or not) and trust the same CA file alike.
enum CurlTLS {
    /// `security` is the transport the handle uses (`SessionRequest.transportSecurity`, which may
    /// differ from the settings' when a probe stops before STARTTLS).
    static func apply(_ easy: UnsafeMutableRawPointer, _ s: ServerSettings, security: SecurityMode) {
        switch security {
        case .none: mt_setopt_long(easy, CURLOPT_USE_SSL, Int(CURLUSESSL_NONE.rawValue))
        case .starttls, .tls: mt_setopt_long(easy, CURLOPT_USE_SSL, Int(CURLUSESSL_ALL.rawValue))
        }
        mt_setopt_long(easy, CURLOPT_SSL_VERIFYPEER, s.verifyCertificate ? 1 : 0)
        mt_setopt_long(easy, CURLOPT_SSL_VERIFYHOST, s.verifyCertificate ? 2 : 0)
        // No HTTP here, even when the URL says https:// to get a bare TLS connection.
        mt_setopt_long(easy, CURLOPT_SSL_ENABLE_ALPN, 0)
        // Given even when not verifying: the verify result is still read (and shown) then.
        if let ca = s.caFile, !ca.isEmpty { mt_setopt_string(easy, CURLOPT_CAINFO, ca.absolutePath) }
        mt_setopt_long(easy, CURLOPT_CERTINFO, 1)
    }
}
