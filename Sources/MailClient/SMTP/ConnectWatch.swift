/// The connect limit covers the TCP connect and each TLS handshake, nothing else. libcurl's own
/// connect timeout runs on through the greeting, EHLO, STARTTLS and AUTH, so a server that answers
/// every line within the reply limit would still fail at the connect limit; this tells when a
/// connect is under way, so the session can enforce the limit where it belongs.
enum ConnectWatch {
    /// When the connect or handshake now under way started, or nil when none is.
    /// - Parameters:
    ///   - tcpConnectedAfter: libcurl's connect time, once the TCP connection is up.
    ///   - startTLSAcceptedAt: when the server said 220 to STARTTLS.
    ///   - handshakeDone: whether the TLS session is established.
    static func connectingSince(start: ContinuousClock.Instant, tcpConnectedAfter: Duration?, implicitTLS: Bool,
                                startTLSAcceptedAt: ContinuousClock.Instant?, handshakeDone: Bool) -> ContinuousClock.Instant? {
        guard let tcpConnectedAfter else { return start }
        if handshakeDone { return nil }
        if implicitTLS { return start + tcpConnectedAfter }
        return startTLSAcceptedAt
    }
}
