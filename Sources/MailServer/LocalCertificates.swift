import Crypto
import MailCore
import SwiftASN1
import X509
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// The local server's certificates: a CA made on first use and a server certificate it signs for
/// localhost, 127.0.0.1 and ::1, kept in `$XDG_DATA_HOME/mailtui/tls/` (mode 0700), valid a year
/// and made anew when expired. Clients trust `ca.pem` (`curl --cacert`, `mailtui --ca-file`).
public struct LocalCertificates: Sendable {
    public let directory: String
    public var caPath: String { directory + "/ca.pem" }
    public var certificatePath: String { directory + "/server.pem" }
    public var keyPath: String { directory + "/server.key" }

    public init(directory: String = XDGPaths.dataDirectory + "/tls") {
        self.directory = directory
    }

    /// The certificate chain and key, made when missing, unreadable or within a day of expiry.
    public func ensure(now: Date = Date()) throws -> (chainPEM: String, keyPEM: String) {
        if let chain = read(certificatePath), let key = read(keyPath), read(caPath) != nil,
           let certificate = try? Certificate(pemEncoded: chain), certificate.notValidAfter > now.addingTimeInterval(86_400) {
            return (chain, key)
        }
        return try make(now: now)
    }

    private func make(now: Date) throws -> (chainPEM: String, keyPEM: String) {
        FileContents.makeDirectories(directory)
        chmod(directory, 0o700)
        let caKey = P256.Signing.PrivateKey()
        let caName = try DistinguishedName {
            OrganizationName("mailtui")
            CommonName("mailtui local CA (made on this machine)")
        }
        let start = now.addingTimeInterval(-3600)
        let end = now.addingTimeInterval(365 * 86_400)
        let ca = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(caKey.publicKey),
            notValidBefore: start, notValidAfter: end, issuer: caName, subject: caName,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
            },
            issuerPrivateKey: .init(caKey))
        let serverKey = P256.Signing.PrivateKey()
        let serverName = try DistinguishedName {
            OrganizationName("mailtui")
            CommonName("localhost")
        }
        let server = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(serverKey.publicKey),
            notValidBefore: start, notValidAfter: end, issuer: caName, subject: serverName,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true, keyEncipherment: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames([
                    .dnsName("localhost"),
                    .ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1])),
                    .ipAddress(ASN1OctetString(contentBytes: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1])),
                ])
            },
            issuerPrivateKey: .init(caKey))
        let chain = try server.serializeAsPEM().pemString + "\n"
        let key = try Certificate.PrivateKey(serverKey).serializeAsPEM().pemString + "\n"
        try write(try ca.serializeAsPEM().pemString + "\n", to: caPath, mode: 0o644)
        try write(try Certificate.PrivateKey(caKey).serializeAsPEM().pemString + "\n", to: directory + "/ca.key", mode: 0o600)
        try write(chain, to: certificatePath, mode: 0o644)
        try write(key, to: keyPath, mode: 0o600)
        return (chain, key)
    }

    private func read(_ path: String) -> String? {
        FileContents.read(path).map { String(decoding: $0, as: UTF8.self) }
    }

    private func write(_ text: String, to path: String, mode: mode_t) throws {
        do { try FileContents.writeAtomically(Array(text.utf8), to: path, mode: mode) } catch {
            throw CertificateError(reason: error.description)
        }
    }
}

public struct CertificateError: Error, Sendable, CustomStringConvertible {
    public var reason: String
    public var description: String { "the local certificates: \(reason)" }
}
