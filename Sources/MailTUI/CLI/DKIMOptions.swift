import ArgumentParser
import MailCore
#if canImport(Glibc)
import Glibc
#endif

/// `--dkim-key PEM --dkim-selector S [--dkim-domain D]`: sign the message with DKIM.
struct DKIMOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Sign with DKIM using this PEM private key (RSA or Ed25519); read like a password source, never shown.", valueName: "pem"))
    var dkimKey: String?

    @Option(help: ArgumentHelp("The DKIM selector (s=): the key is published at SELECTOR._domainkey.DOMAIN.", valueName: "selector"))
    var dkimSelector: String?

    @Option(help: ArgumentHelp("The signing domain (d=); default the From address's domain.", valueName: "domain"))
    var dkimDomain: String?

    func validate() throws {
        if dkimKey != nil && dkimSelector == nil { throw ValidationError("--dkim-key needs --dkim-selector (the s= of the signature).") }
        if dkimKey == nil && (dkimSelector != nil || dkimDomain != nil) { throw ValidationError("--dkim-selector and --dkim-domain go with --dkim-key.") }
    }

    /// The signer for a message from `from`, or nil when no key was given.
    func signer(from: Mailbox) throws -> DKIMSigner? {
        guard let path = dkimKey, let selector = dkimSelector else { return nil }
        guard let bytes = FileContents.read(path) else {
            throw ValidationError("--dkim-key: cannot read \(path) (\(String(cString: strerror(errno)))).")
        }
        let domain = dkimDomain ?? String(from.address.split(separator: "@").last ?? "")
        do throws(DKIMError) {
            return try DKIMSigner(pem: String(decoding: bytes, as: UTF8.self), selector: selector, domain: domain)
        } catch {
            throw ValidationError("--dkim-key \(path): \(error.reason).")
        }
    }
}
