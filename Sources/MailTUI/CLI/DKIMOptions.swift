import ArgumentParser
import MailCore

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

    /// The settings the options give, or nil when no key was given.
    var settings: DKIMSettings? {
        guard let path = dkimKey, let selector = dkimSelector else { return nil }
        return DKIMSettings(selector: selector, keyPath: path, domain: dkimDomain)
    }

    /// The signer for a message from `from`, or nil when no key was given.
    func signer(from: Mailbox) throws -> DKIMSigner? {
        guard let settings else { return nil }
        switch SendService.signer(settings, from: from) {
        case .success(let signer): return signer
        case .failure(let problem): throw ValidationError("--dkim-key \(settings.keyPath): \(problem.reason).")
        }
    }
}
