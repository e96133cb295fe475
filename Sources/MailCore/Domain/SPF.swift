/// An SPF result (RFC 7208 section 2.6).
public enum SPFResult: String, Sendable, Equatable, Codable {
    case pass, fail, softfail, neutral, none, permerror, temperror
}

/// One term of an SPF record: a directive (qualifier and mechanism) or a modifier.
public struct SPFTerm: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
        case all, include, a, mx, ptr, ip4, ip6, exists, redirect, exp, unknownModifier
    }
    public var kind: Kind
    /// `+`, `-`, `~` or `?` (directives only).
    public var qualifier: Character
    /// The domain-spec or network after the colon (or `=`), macros not yet expanded.
    public var value: String?
    public var cidr4: Int?
    public var cidr6: Int?
    /// The term as written.
    public var text: String

    /// Whether evaluating it costs a DNS lookup (of the 10 allowed).
    public var countsAsLookup: Bool { [.include, .a, .mx, .ptr, .exists, .redirect].contains(kind) }
}

/// An SPF record, parsed.
public struct SPFRecord: Sendable, Equatable {
    public var terms: [SPFTerm]

    public var directives: [SPFTerm] { terms.filter { ![.redirect, .exp, .unknownModifier].contains($0.kind) } }
    public var redirect: SPFTerm? { terms.first { $0.kind == .redirect } }
    public var all: SPFTerm? { terms.first { $0.kind == .all } }

    /// Whether a TXT record is an SPF record: `v=spf1` alone or followed by a space.
    public static func isSPF(_ text: String) -> Bool {
        let lowered = text.lowercased()
        return lowered == "v=spf1" || lowered.hasPrefix("v=spf1 ")
    }

    /// Parses a record; the error names the term at fault.
    public static func parse(_ text: String) -> Result<SPFRecord, SPFSyntaxError> {
        guard isSPF(text) else { return .failure(SPFSyntaxError(term: text, reason: "does not start with v=spf1")) }
        var terms: [SPFTerm] = []
        for word in text.dropFirst(6).split(separator: " ") {
            switch parseTerm(String(word)) {
            case .success(let term):
                if [.redirect, .exp].contains(term.kind), terms.contains(where: { $0.kind == term.kind }) {
                    return .failure(SPFSyntaxError(term: term.text, reason: "\(term.kind.rawValue)= appears twice"))
                }
                terms.append(term)
            case .failure(let error):
                return .failure(error)
            }
        }
        return .success(SPFRecord(terms: terms))
    }

    static func parseTerm(_ word: String) -> Result<SPFTerm, SPFSyntaxError> {
        func bad(_ reason: String) -> Result<SPFTerm, SPFSyntaxError> { .failure(SPFSyntaxError(term: word, reason: reason)) }
        // A modifier: name=value, where the name is a letter then letters, digits, - _ .
        if let equals = word.firstIndex(of: "="), let colon = word.firstIndex(of: ":").map({ $0 }) ?? Optional(word.endIndex), equals < colon,
           let first = word.first, first.isLetter {
            let name = word[..<equals].lowercased()
            guard name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) else { return bad("not a valid modifier name") }
            let value = String(word[word.index(after: equals)...])
            switch name {
            case "redirect":
                guard !value.isEmpty, MacroString.isValid(value) else { return bad("redirect= needs a domain") }
                return .success(SPFTerm(kind: .redirect, qualifier: "+", value: value, text: word))
            case "exp":
                guard !value.isEmpty else { return bad("exp= needs a domain") }
                return .success(SPFTerm(kind: .exp, qualifier: "+", value: value, text: word))
            default:
                guard MacroString.isValid(value) else { return bad("a malformed macro") }
                return .success(SPFTerm(kind: .unknownModifier, qualifier: "+", value: value, text: word))
            }
        }
        var rest = Substring(word)
        var qualifier: Character = "+"
        if let q = rest.first, "+-~?".contains(q) {
            qualifier = q
            rest = rest.dropFirst()
        }
        let nameEnd = rest.firstIndex { $0 == ":" || $0 == "/" } ?? rest.endIndex
        let name = rest[..<nameEnd].lowercased()
        var argument = rest[nameEnd...]
        var value: String?
        if argument.first == ":" {
            argument = argument.dropFirst()
            let slash = name == "ip6" ? argument.lastIndex(of: "/").flatMap { i in argument[argument.index(after: i)...].allSatisfy(\.isNumber) ? i : nil } ?? argument.endIndex
                                       : argument.firstIndex(of: "/") ?? argument.endIndex
            value = String(argument[..<slash])
            argument = argument[slash...]
            if value?.isEmpty == true { return bad("an empty value after the colon") }
        }
        // The CIDR lengths: /n (IPv4 or the ip6 length) and //n (IPv6) for a and mx.
        var cidr4: Int?, cidr6: Int?
        if !argument.isEmpty {
            guard ["a", "mx", "ip4", "ip6"].contains(name) else { return bad("\(name) takes no prefix length") }
            let parts = argument.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
            let numbers = Array(parts)
            if name == "ip6" {
                guard numbers.count == 1, let n = Int(numbers[0]), (0...128).contains(n) else { return bad("an IPv6 prefix length is 0 to 128") }
                cidr6 = n
            } else if name == "ip4" {
                guard numbers.count == 1, let n = Int(numbers[0]), (0...32).contains(n) else { return bad("an IPv4 prefix length is 0 to 32") }
                cidr4 = n
            } else {
                // /24, //64 or /24//64
                if numbers.count == 1 {
                    guard let n = Int(numbers[0]), (0...32).contains(n) else { return bad("an IPv4 prefix length is 0 to 32") }
                    cidr4 = n
                } else if numbers.count == 2, numbers[0].isEmpty {
                    guard let n = Int(numbers[1]), (0...128).contains(n) else { return bad("an IPv6 prefix length is 0 to 128") }
                    cidr6 = n
                } else if numbers.count == 3, numbers[1].isEmpty {
                    guard let n = Int(numbers[0]), (0...32).contains(n), let m = Int(numbers[2]), (0...128).contains(m) else { return bad("a malformed prefix length") }
                    cidr4 = n
                    cidr6 = m
                } else {
                    return bad("a malformed prefix length")
                }
            }
        }
        let kind: SPFTerm.Kind
        switch name {
        case "all": kind = .all; if value != nil { return bad("all takes no value") }
        case "include": kind = .include; if value == nil { return bad("include needs a domain") }
        case "a": kind = .a
        case "mx": kind = .mx
        case "ptr": kind = .ptr
        case "ip4":
            kind = .ip4
            guard let v = value, IPAddress.bytes(v)?.count == 4, v.split(separator: ".").count == 4 else { return bad("ip4 needs an IPv4 address") }
        case "ip6":
            kind = .ip6
            guard let v = value, IPAddress.bytes(v)?.count == 16 else { return bad("ip6 needs an IPv6 address") }
        case "exists": kind = .exists; if value == nil { return bad("exists needs a domain") }
        default: return bad("\"\(name)\" is not an SPF mechanism")
        }
        if let v = value, [.include, .a, .mx, .ptr, .exists].contains(kind), !MacroString.isValid(v) { return bad("a malformed domain or macro") }
        return .success(SPFTerm(kind: kind, qualifier: qualifier, value: value, cidr4: cidr4, cidr6: cidr6, text: word))
    }
}

/// Why an SPF record does not parse.
public struct SPFSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public var term: String
    public var reason: String
    public var description: String { "\"\(term)\": \(reason)" }
}

/// SPF's macro strings (RFC 7208 section 7).
enum MacroString {
    static func isValid(_ text: String) -> Bool {
        var i = text.startIndex
        while i < text.endIndex {
            if text[i] == "%" {
                let next = text.index(after: i)
                guard next < text.endIndex else { return false }
                if "%_-".contains(text[next]) { i = text.index(after: next); continue }
                guard text[next] == "{", let close = text[next...].firstIndex(of: "}") else { return false }
                let body = text[text.index(after: next)..<close]
                guard let letter = body.first, "slodiphcrtv".contains(letter.lowercased()) else { return false }
                i = text.index(after: close)
                continue
            }
            guard text[i].isASCII, text[i] != " " else { return false }
            i = text.index(after: i)
        }
        return true
    }

    /// Expands the macros for a check of `ip` against `domain` for `sender`.
    static func expand(_ text: String, ip: String, domain: String, sender: String) -> String {
        var out = ""
        var i = text.startIndex
        let local = sender.split(separator: "@").dropLast().joined(separator: "@")
        let senderDomain = sender.split(separator: "@").last.map(String.init) ?? domain
        while i < text.endIndex {
            guard text[i] == "%", text.index(after: i) < text.endIndex else { out.append(text[i]); i = text.index(after: i); continue }
            let next = text.index(after: i)
            switch text[next] {
            case "%": out += "%"; i = text.index(after: next); continue
            case "_": out += " "; i = text.index(after: next); continue
            case "-": out += "%20"; i = text.index(after: next); continue
            default: break
            }
            guard let close = text[next...].firstIndex(of: "}") else { return out }
            let body = Array(text[text.index(after: next)..<close])
            i = text.index(after: close)
            guard let letter = body.first?.lowercased() else { continue }
            var value: String
            switch letter {
            case "s": value = sender
            case "l": value = local.isEmpty ? "postmaster" : local
            case "o": value = senderDomain
            case "d": value = domain
            case "i":
                let bytes = IPAddress.bytes(ip) ?? []
                value = bytes.count == 16 ? bytes.flatMap { [String($0 >> 4, radix: 16), String($0 & 0xF, radix: 16)] }.joined(separator: ".") : ip
            case "v": value = (IPAddress.bytes(ip)?.count == 16) ? "ip6" : "in-addr"
            case "h": value = domain
            default: value = "unknown"
            }
            // Transformers: digits (keep the rightmost n parts), r (reverse), then delimiters.
            var rest = body.dropFirst()
            let digits = String(rest.prefix { $0.isNumber })
            rest = rest.dropFirst(digits.count)
            var reverse = false
            if rest.first == "r" || rest.first == "R" { reverse = true; rest = rest.dropFirst() }
            let delimiters = rest.isEmpty ? "." : String(rest)
            var parts = value.split(whereSeparator: { delimiters.contains($0) }).map(String.init)
            if reverse { parts.reverse() }
            if let n = Int(digits), n > 0, n < parts.count { parts = Array(parts.suffix(n)) }
            out += parts.joined(separator: ".")
        }
        return out
    }
}

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

extension IPAddress {
    /// Whether the first `length` bits of two addresses agree.
    static func prefixMatches(_ a: [UInt8], _ b: [UInt8], length: Int) -> Bool {
        guard a.count == b.count else { return false }
        var bits = min(max(0, length), a.count * 8)
        var i = 0
        while bits > 0 {
            let mask: UInt8 = bits >= 8 ? 0xFF : ~(0xFF >> UInt8(bits))
            if a[i] & mask != b[i] & mask { return false }
            bits -= 8
            i += 1
        }
        return true
    }
}

/// Domain names as SPF and DMARC take them.
public enum DomainName {
    /// At least two labels of letters, digits and hyphens (underscores allowed, as in _spf), each
    /// 1 to 63 characters, 253 in all.
    public static func isValid(_ name: String) -> Bool {
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, name.utf8.count <= 253 else { return false }
        return labels.allSatisfy { label in
            !label.isEmpty && label.utf8.count <= 63 && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
        }
    }
}
