/// The Gmail and Yahoo bulk-sender rules (February 2024) that one message shows: one-click
/// unsubscribe (RFC 8058) with both headers signed by DKIM, a From domain aligned with DKIM or
/// the envelope sender as the domain's DMARC record asks, a Message-ID and a Date.
struct BulkSenderRules {
    let root: MIMEPart
    let bytes: [UInt8]
    let options: MessageCheck.Options

    /// A DKIM-Signature's domain and the header fields its h= signs (lower-cased).
    struct Signature: Equatable {
        var domain: String
        var signed: [String]
    }

    func findings() -> [MessageCheck.Finding] {
        var found: [MessageCheck.Finding] = []
        let unsubscribe = root.field("List-Unsubscribe")
        let post = root.field("List-Unsubscribe-Post")
        let signatures = Self.signatures(root)
        if let unsubscribe {
            let uris = Self.uris(unsubscribe)
            if let https = uris.first(where: { $0.lowercased().hasPrefix("https:") }) {
                found.append(.init(.bulkRules, .ok, "List-Unsubscribe has an https: URI (\(https))."))
            } else {
                found.append(.init(.bulkRules, .problem, "List-Unsubscribe has no https: URI (\(uris.isEmpty ? "no <URI> at all" : uris.joined(separator: ", "))): Gmail and Yahoo need one for one-click unsubscribe.",
                                   fix: "Add an https: URI in angle brackets: List-Unsubscribe: <https://example.com/unsubscribe?u=…>, <mailto:…>."))
            }
        } else if options.transactional {
            found.append(.init(.bulkRules, .info, "No List-Unsubscribe: fine for transactional mail (--transactional), required for marketing and subscribed mail."))
        } else {
            found.append(.init(.bulkRules, .problem, "No List-Unsubscribe header: Gmail and Yahoo require one-click unsubscribe from bulk senders.",
                               fix: "Add List-Unsubscribe: <https://…> and List-Unsubscribe-Post: List-Unsubscribe=One-Click (or pass --transactional for mail nobody subscribed to)."))
        }
        if let post {
            if post.filter({ !$0.isWhitespace }) == "List-Unsubscribe=One-Click" {
                found.append(.init(.bulkRules, .ok, "List-Unsubscribe-Post: List-Unsubscribe=One-Click is present."))
            } else {
                found.append(.init(.bulkRules, .problem, "List-Unsubscribe-Post is \"\(post)\", not List-Unsubscribe=One-Click (RFC 8058).",
                                   fix: "Write exactly List-Unsubscribe-Post: List-Unsubscribe=One-Click."))
            }
        } else if unsubscribe != nil || !options.transactional {
            found.append(.init(.bulkRules, .problem, "No List-Unsubscribe-Post header: without it Gmail and Yahoo do not offer one-click unsubscribe (RFC 8058).",
                               fix: "Add List-Unsubscribe-Post: List-Unsubscribe=One-Click and answer a POST to the https: URI."))
        }
        found += dkim(signatures, unsubscribe: unsubscribe != nil, post: post != nil)
        found += alignment(signatures)
        if root.field("Message-ID") == nil {
            found.append(.init(.bulkRules, .problem, "No Message-ID header: Gmail may refuse the message (550 5.7.1), and replies cannot thread.",
                               fix: "Add Message-ID: <unique@your-domain> (most mail libraries have a make_msgid)."))
        } else {
            found.append(.init(.bulkRules, .ok, "A Message-ID header."))
        }
        if root.field("Date") == nil {
            found.append(.init(.bulkRules, .problem, "No Date header: some servers add one, others score or refuse the message.", fix: "Add a Date header (RFC 5322 format)."))
        } else {
            found.append(.init(.bulkRules, .ok, "A Date header."))
        }
        if let precedence = root.field("Precedence")?.trimmingSpaces.lowercased(), precedence == "bulk" || precedence == "list", unsubscribe == nil || post == nil {
            found.append(.init(.bulkRules, .problem, "Precedence: \(precedence) without the unsubscribe headers: the message says it is bulk mail but offers no one-click unsubscribe.",
                               fix: "Add List-Unsubscribe and List-Unsubscribe-Post, or drop Precedence."))
        }
        return found
    }

    private func dkim(_ signatures: [Signature], unsubscribe: Bool, post: Bool) -> [MessageCheck.Finding] {
        var found: [MessageCheck.Finding] = []
        guard !signatures.isEmpty else {
            return [.init(.bulkRules, .problem, "Not signed with DKIM: Gmail and Yahoo require DKIM (or SPF) from all senders, and both for bulk senders.",
                          fix: "Sign with DKIM (mailtui send --dkim-key, or your provider's DKIM), with the From domain as d=.")]
        }
        let wanted = [unsubscribe ? "list-unsubscribe" : nil, post ? "list-unsubscribe-post" : nil].compactMap { $0 }
        if !wanted.isEmpty {
            let covering = signatures.first { signature in wanted.allSatisfy { signature.signed.contains($0) } }
            if let covering {
                found.append(.init(.bulkRules, .ok, "The DKIM signature of d=\(covering.domain) covers \(wanted.joined(separator: " and ")) (h=)."))
            } else {
                let missing = wanted.filter { name in !signatures.contains { $0.signed.contains(name) } }
                found.append(.init(.bulkRules, .problem, "No DKIM signature covers " + (missing.isEmpty ? wanted : missing).joined(separator: " and ") + " in its h=: Gmail ignores unsubscribe headers that are not signed, since anyone could add them.",
                                   fix: "Add List-Unsubscribe and List-Unsubscribe-Post to the headers your DKIM signer signs."))
            }
        }
        if let dns = options.dns {
            let verdict = DKIMVerifier(dns: dns.waitingAtMost(seconds: 6)).verify(Self.crlf(bytes), deadline: ContinuousClock.now + .seconds(10))
            switch verdict {
            case .pass(let domain, let selector, _):
                found.append(.init(.bulkRules, .ok, "DKIM verifies (d=\(domain), s=\(selector))."))
            case .fail(let why):
                found.append(.init(.bulkRules, .problem, "DKIM fails: \(why).", fix: "Sign the message as it is sent, with the key published at the selector."))
            case .temporaryError(let why):
                found.append(.init(.bulkRules, .unchecked, "DKIM could not be verified: \(why).", fix: "Check again when DNS answers, or ask another server (--dns-server)."))
            case .unsigned:
                break
            }
        }
        return found
    }

    private func alignment(_ signatures: [Signature]) -> [MessageCheck.Finding] {
        guard let fromDomain = root.field("From").flatMap(MessageChecks.addressDomain) else {
            return [.init(.bulkRules, .problem, "No From address with a domain: DMARC has nothing to align.", fix: "Add a From header with an address at your domain.")]
        }
        let envelope = (options.envelopeFrom ?? root.field("Return-Path").map { $0.filter { $0 != "<" && $0 != ">" } }).flatMap(MessageChecks.domain)
        var strictDKIM = false
        var strictSPF = false
        var modeSource = "no DNS asked: relaxed assumed, DMARC's default"
        if let dns = options.dns {
            switch Self.dmarc(fromDomain, dns: dns.waitingAtMost(seconds: 6)) {
            case .success(let record?):
                strictDKIM = record.dkimAlignment == "s"
                strictSPF = record.spfAlignment == "s"
                modeSource = "DMARC of \(fromDomain): adkim=\(record.dkimAlignment), aspf=\(record.spfAlignment)"
            case .success(nil):
                modeSource = "no DMARC record for \(fromDomain): relaxed assumed"
            case .failure(let why):
                modeSource = "DMARC lookup failed (\(why)): relaxed assumed"
            }
        }
        func aligns(_ domain: String, strict: Bool) -> Bool {
            strict ? domain == fromDomain : DMARCRecord.organisationalDomain(domain) == DMARCRecord.organisationalDomain(fromDomain)
        }
        if let signature = signatures.first(where: { aligns($0.domain, strict: strictDKIM) }) {
            return [.init(.bulkRules, .ok, "From (\(fromDomain)) aligns with DKIM d=\(signature.domain) (\(strictDKIM ? "strict" : "relaxed"); \(modeSource)).")]
        }
        if let envelope, aligns(envelope, strict: strictSPF) {
            return [.init(.bulkRules, .ok, "From (\(fromDomain)) aligns with the envelope sender's domain \(envelope) (\(strictSPF ? "strict" : "relaxed"); \(modeSource)); SPF must pass for it.")]
        }
        let tried = signatures.map { "d=\($0.domain)" } + (envelope.map { ["envelope sender \($0)"] } ?? [])
        return [.init(.bulkRules, .problem, "From (\(fromDomain)) aligns with neither DKIM nor the envelope sender (\(tried.isEmpty ? "no DKIM signature, envelope sender unknown" : tried.joined(separator: ", ")); \(modeSource)): DMARC fails.",
                      fix: "Sign with d=\(fromDomain) (or its organisational domain when relaxed), or send with an envelope sender at \(fromDomain).")]
    }

    /// The DMARC record for a domain (or its organisational domain); nil when there is none.
    static func dmarc(_ domain: String, dns: any DNSResolving) -> Result<DMARCRecord?, DKIMRecordError> {
        DMARCRecord.lookup(domain, dns: dns)
    }

    /// The message with CRLF line ends, as SMTP carries it and as it was signed: a file saved with
    /// bare LF ends would otherwise fail every body hash.
    static func crlf(_ bytes: [UInt8]) -> [UInt8] {
        guard !bytes.contains(13) else { return bytes }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 40)
        for byte in bytes {
            if byte == 10 { out.append(13) }
            out.append(byte)
        }
        return out
    }

    /// The `<URI>`s of a List-Unsubscribe value.
    static func uris(_ value: String) -> [String] {
        var uris: [String] = []
        var rest = Substring(value)
        while let open = rest.firstIndex(of: "<"), let close = rest[open...].firstIndex(of: ">") {
            uris.append(String(rest[rest.index(after: open)..<close]).filter { !$0.isWhitespace })
            rest = rest[rest.index(after: close)...]
        }
        return uris
    }

    /// The message's DKIM signatures that parse: d= and h= (at most `DKIMVerifier.maximumSignatures`).
    static func signatures(_ root: MIMEPart) -> [Signature] {
        root.fields.filter { $0.name.lowercased() == "dkim-signature" }.prefix(DKIMVerifier.maximumSignatures).compactMap { field in
            guard let tags = DKIMVerifier.tags(field.value), let domain = tags["d"]?.trimmingSpaces.lowercased(), let h = tags["h"] else { return nil }
            return Signature(domain: domain, signed: h.split(separator: ":").map { $0.filter { !$0.isWhitespace }.lowercased() })
        }
    }
}
