import NIOCore

/// Reads the cipher suite the TLS handshake chose from the ServerHello on its way out (it is not
/// encrypted in TLS 1.2 or 1.3), since NIOSSL does not say which one it negotiated. Sits between
/// the socket and the TLS handler and tells the session with a `CipherChosen` event.
final class CipherSniffer: ChannelOutboundHandler {
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// The ServerHello is the server's first handshake message: one look is enough.
    private var looked = false

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if !looked {
            looked = true
            if let code = Self.cipherSuite(inServerHello: unwrapOutboundIn(data).readableBytesView) {
                context.fireUserInboundEventTriggered(CipherChosen(name: Self.name(code)))
            }
        }
        context.write(data, promise: promise)
    }

    /// The cipher suite's code in a TLS record holding a ServerHello, or nil.
    static func cipherSuite(inServerHello record: some Collection<UInt8>) -> UInt16? {
        let b = Array(record.prefix(512))
        // Record: type 22 (handshake), version, length; then handshake type 2 (ServerHello) and a
        // 3-byte length; then version (2), random (32), session id (length-prefixed), cipher (2).
        guard b.count > 5 + 4 + 2 + 32 + 1, b[0] == 22, b[5] == 2 else { return nil }
        let sessionIDLength = Int(b[5 + 4 + 2 + 32])
        let at = 5 + 4 + 2 + 32 + 1 + sessionIDLength
        guard at + 2 <= b.count else { return nil }
        return UInt16(b[at]) << 8 | UInt16(b[at + 1])
    }

    /// The IANA name of the suites a BoringSSL server picks, else the code in hex.
    static func name(_ code: UInt16) -> String {
        switch code {
        case 0x1301: "TLS_AES_128_GCM_SHA256"
        case 0x1302: "TLS_AES_256_GCM_SHA384"
        case 0x1303: "TLS_CHACHA20_POLY1305_SHA256"
        case 0xC02B: "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"
        case 0xC02C: "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"
        case 0xC02F: "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"
        case 0xC030: "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"
        case 0xCCA8: "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"
        case 0xCCA9: "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"
        case 0xC013: "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"
        case 0xC014: "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA"
        case 0x009C: "TLS_RSA_WITH_AES_128_GCM_SHA256"
        case 0x009D: "TLS_RSA_WITH_AES_256_GCM_SHA384"
        case 0x002F: "TLS_RSA_WITH_AES_128_CBC_SHA"
        case 0x0035: "TLS_RSA_WITH_AES_256_CBC_SHA"
        default:
            "0x" + String(repeating: "0", count: 4 - String(code, radix: 16).count) + String(code, radix: 16, uppercase: true)
        }
    }
}

/// The cipher suite a TLS handshake chose, by its IANA name.
struct CipherChosen {
    var name: String
}
