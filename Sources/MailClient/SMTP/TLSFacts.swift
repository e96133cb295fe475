/// What the session knows of its TLS session and of the server's certificate, gathered from
/// libcurl's narration, its CERTINFO and verify result, and a second look after a failure. Each
/// change is worth telling the UI at once; `tlsInfo` is what the report and the diagnosis get.
struct TLSFacts {
    private(set) var info = TLSInfo()
    /// Whether any fact was told, which makes `tlsInfo` non-nil even before a handshake.
    private(set) var reported = false

    /// What the report says of TLS: nil when nothing of it happened.
    var tlsInfo: TLSInfo? { reported || info.version != nil ? info : nil }

    var handshakeDone: Bool { info.version != nil }

    mutating func established(version: String?, cipher: String?) {
        info.version = version
        info.cipher = cipher
        reported = true
    }

    /// A `key: value` line of the certificate as libcurl prints it; unknown keys change nothing
    /// but are still reported, as they always were.
    mutating func certificateField(key: String, value: String) {
        switch key {
        case "subject": info.subject = value
        case "issuer": info.issuer = value
        case "start date": info.notBefore = value
        case "expire date": info.notAfter = value
        case "subjectAltName": info.verification = value
        default: break
        }
        reported = true
    }

    /// libcurl's verdict: nil when verification passed, else its words.
    mutating func verification(problem: String?) {
        info.verified = problem == nil
        if let problem { info.verification = problem }
        reported = true
    }

    /// Certificate facts read after the handshake (libcurl's CERTINFO, or a second look).
    mutating func addCertificate(_ certificate: TLSInfo) {
        if let subject = certificate.subject { info.subject = subject }
        if let issuer = certificate.issuer { info.issuer = issuer }
        if let notBefore = certificate.notBefore { info.notBefore = notBefore }
        if let notAfter = certificate.notAfter { info.notAfter = notAfter }
        if !certificate.names.isEmpty { info.names = certificate.names }
        reported = true
    }

    /// What verification would have said (a probe with verification turned off).
    mutating func setVerificationWouldSay(_ words: String) {
        info.verificationWouldSay = words
        reported = true
    }

    /// OpenSSL's verify result, read once the handshake is over (or failed). Returns false when
    /// there is nothing to record: no handshake and no error.
    mutating func setVerifyResult(_ code: Int) -> Bool {
        guard info.version != nil || code != 0 else { return false }
        info.verifyResult = code
        reported = true
        return true
    }
}
