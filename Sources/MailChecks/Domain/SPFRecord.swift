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
