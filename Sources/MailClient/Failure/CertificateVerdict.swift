/// What certificate verification said, from OpenSSL's verify result (`X509_V_ERR_*`, read with
/// CURLINFO_SSL_VERIFYRESULT), not from its English message. libcurl checks the host name itself
/// after OpenSSL's chain check: a failed verification with a chain that verified (code 0) is a
/// name that does not match.
public enum CertificateVerdict: Equatable, Sendable {
    case ok
    case expired, notYetValid
    case selfSigned, unknownIssuer
    case nameMismatch
    case revoked
    case other(Int)

    /// `verificationFailed`: libcurl refused the certificate. Its own host name check runs after
    /// OpenSSL's chain check and leaves the result it started with (0, or 1 for "not verified
    /// yet"): a refusal with either is a name that does not match.
    public init(verifyResult code: Int, verificationFailed: Bool = false) {
        switch code {
        case _ where verificationFailed && (code == 0 || code == 1): self = .nameMismatch
        case 0: self = .ok
        case 10: self = .expired
        case 9: self = .notYetValid
        case 18, 19: self = .selfSigned
        case 2, 20, 21: self = .unknownIssuer
        case 62, 64: self = .nameMismatch
        case 23: self = .revoked
        default: self = .other(code)
        }
    }

    /// The failure kind a refused certificate of this verdict is.
    var failureKind: FailureKind {
        switch self {
        case .expired: .certificateExpired
        case .selfSigned, .unknownIssuer: .certificateUntrusted
        case .nameMismatch: .certificateNameMismatch
        case .ok, .notYetValid, .revoked, .other: .certificateProblem
        }
    }

    /// In words, with OpenSSL's code for a search.
    public var words: String {
        switch self {
        case .ok: "verified"
        case .expired: "the certificate has expired (X509_V_ERR_CERT_HAS_EXPIRED, 10)"
        case .notYetValid: "the certificate is not valid yet: check this machine's clock (X509_V_ERR_CERT_NOT_YET_VALID, 9)"
        case .selfSigned: "the certificate is self-signed, or its chain ends in one no CA vouches for (X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT, 18/19)"
        case .unknownIssuer: "the certificate's issuer is not a CA this machine trusts (X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, 20)"
        case .nameMismatch: "the certificate is not for this host name"
        case .revoked: "the certificate has been revoked (X509_V_ERR_CERT_REVOKED, 23)"
        case .other(let code): "OpenSSL's verify error \(code)"
        }
    }
}
