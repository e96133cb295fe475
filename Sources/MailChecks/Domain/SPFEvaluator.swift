/// Evaluates SPF (RFC 7208 `check_host`) with its limits: 10 lookups, 2 void lookups, 10 MX or
/// PTR names per mechanism. Counts what it did, for the domain check's findings.
public struct SPFEvaluator {
    public let dns: any DNSResolving
    /// DNS-querying terms evaluated so far (include, a, mx, ptr, exists, redirect).
    public private(set) var lookups = 0
    public private(set) var voidLookups = 0
    /// Why the result is permerror or temperror, in words.
    public private(set) var problem: String?

    public static let lookupLimit = 10
    public static let voidLookupLimit = 2

    public init(dns: any DNSResolving) { self.dns = dns }

    /// The SPF result for mail from `sender` (its domain, or `domain`) sent by `ip`.
    public mutating func check(ip: String, domain: String, sender: String? = nil) -> SPFResult {
        lookups = 0
        voidLookups = 0
        problem = nil
        let from = sender ?? "postmaster@\(domain)"
        return checkHost(ip: ip, domain: domain.lowercased(), sender: from, depth: 0)
    }

    private mutating func fail(_ result: SPFResult, _ why: String) -> SPFResult {
        if problem == nil { problem = why }
        return result
    }

    private mutating func checkHost(ip: String, domain: String, sender: String, depth: Int) -> SPFResult {
        guard depth < 20 else { return fail(.permerror, "includes nest too deeply") }
        guard DomainName.isValid(domain) else { return .none }
        let (texts, answer, _) = dns.texts(domain)
        if case .failure(let why) = answer { return fail(.temperror, "TXT of \(domain): \(why)") }
        let records = texts.filter(SPFRecord.isSPF)
        if records.isEmpty { return .none }
        if records.count > 1 { return fail(.permerror, "\(domain) has \(records.count) SPF records") }
        let record: SPFRecord
        switch SPFRecord.parse(records[0]) {
        case .success(let r): record = r
        case .failure(let error): return fail(.permerror, "\(domain): \(error)")
        }
        guard let address = IPAddress.bytes(ip) else { return fail(.permerror, "\(ip) is not an address") }
        for term in record.directives {
            if term.countsAsLookup {
                lookups += 1
                if lookups > Self.lookupLimit { return fail(.permerror, "more than \(Self.lookupLimit) DNS lookups") }
            }
            let target = term.value.map { MacroString.expand($0, ip: ip, domain: domain, sender: sender).lowercased() } ?? domain
            let matched: Bool
            switch term.kind {
            case .all:
                matched = true
            case .ip4, .ip6:
                guard let network = term.value.flatMap(IPAddress.bytes) else { continue }
                let length = term.kind == .ip4 ? (term.cidr4 ?? 32) : (term.cidr6 ?? 128)
                matched = network.count == address.count && IPAddress.prefixMatches(address, network, length: length)
            case .a:
                let (addresses, void, failure) = dns.addresses(target, ipv4: address.count == 4, ipv6: address.count == 16)
                if let failure { return fail(.temperror, "A/AAAA of \(target): \(failure)") }
                if void, countVoid() { return fail(.permerror, "more than \(Self.voidLookupLimit) lookups found nothing") }
                matched = addresses.contains { matches(address, $0, term) }
            case .mx:
                let (records, answer) = dns.mx(target)
                if case .failure(let why) = answer { return fail(.temperror, "MX of \(target): \(why)") }
                if records.isEmpty, countVoid() { return fail(.permerror, "more than \(Self.voidLookupLimit) lookups found nothing") }
                if records.count > 10 { return fail(.permerror, "\(target) has more than 10 MX records") }
                matched = records.contains { record in
                    dns.addresses(record.exchange, ipv4: address.count == 4, ipv6: address.count == 16).addresses.contains { matches(address, $0, term) }
                }
            case .ptr:
                matched = dns.ptr(ip).prefix(10).contains { name in
                    (name == target || name.hasSuffix("." + target)) && dns.addresses(name).addresses.contains { IPAddress.bytes($0) == address }
                }
            case .exists:
                let (addresses, void, failure) = dns.addresses(target, ipv4: true, ipv6: false)
                if let failure { return fail(.temperror, "A of \(target): \(failure)") }
                if void, countVoid() { return fail(.permerror, "more than \(Self.voidLookupLimit) lookups found nothing") }
                matched = !addresses.isEmpty
            case .include:
                switch checkHost(ip: ip, domain: target, sender: sender, depth: depth + 1) {
                case .pass: matched = true
                case .fail, .softfail, .neutral: matched = false
                case .temperror: return .temperror
                case .permerror: return .permerror
                case .none: return fail(.permerror, "include:\(target) has no SPF record")
                }
            case .redirect, .exp, .unknownModifier:
                continue
            }
            if matched { return Self.result(for: term.qualifier) }
        }
        if let redirect = record.redirect, let value = redirect.value {
            lookups += 1
            if lookups > Self.lookupLimit { return fail(.permerror, "more than \(Self.lookupLimit) DNS lookups") }
            let target = MacroString.expand(value, ip: ip, domain: domain, sender: sender).lowercased()
            let result = checkHost(ip: ip, domain: target, sender: sender, depth: depth + 1)
            return result == .none ? fail(.permerror, "redirect=\(target) has no SPF record") : result
        }
        return .neutral
    }

    private mutating func countVoid() -> Bool {
        voidLookups += 1
        return voidLookups > Self.voidLookupLimit
    }

    private func matches(_ address: [UInt8], _ candidate: String, _ term: SPFTerm) -> Bool {
        guard let bytes = IPAddress.bytes(candidate), bytes.count == address.count else { return false }
        return IPAddress.prefixMatches(address, bytes, length: bytes.count == 4 ? (term.cidr4 ?? 32) : (term.cidr6 ?? 128))
    }

    static func result(for qualifier: Character) -> SPFResult {
        switch qualifier {
        case "-": .fail
        case "~": .softfail
        case "?": .neutral
        default: .pass
        }
    }
}
