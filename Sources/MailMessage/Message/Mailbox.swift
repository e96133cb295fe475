/// An address with an optional display name, as in `"Ada Lovelace" <ada@example.org>`.
public struct Mailbox: Sendable, Codable, Equatable, CustomStringConvertible {
    public var displayName: String?
    /// The RFC 5321 mailbox (`local@domain`), as used in the envelope.
    public var address: String

    public init(displayName: String? = nil, address: String) {
        self.displayName = displayName
        self.address = address
    }

    public var description: String {
        guard let name = displayName, !name.isEmpty else { return address }
        return "\(name) <\(address)>"
    }
}

/// Why an address or a list of addresses was refused.
public struct AddressError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The text that was refused, as the user typed it.
    public var input: String
    public var reason: String
    public var description: String { "\"\(input)\": \(reason)" }
}

extension Mailbox {
    /// Parses one mailbox written as `addr`, `<addr>`, `Name <addr>` or `"Name, Jr." <addr>`,
    /// and checks the address against RFC 5321.
    public static func parse(_ text: String) throws(AddressError) -> Mailbox {
        let trimmed = text.trimmingSpaces
        if trimmed.isEmpty { throw AddressError(input: text, reason: "the address is empty") }
        if let forbidden = trimmed.unicodeScalars.first(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" }) {
            throw AddressError(input: text, reason: "contains a \(forbidden.controlName), which is never allowed in a header")
        }
        var name: String?
        var address = trimmed
        if trimmed.hasSuffix(">") {
            guard let open = trimmed.lastIndex(of: "<") else {
                throw AddressError(input: text, reason: "has a '>' without a matching '<'")
            }
            address = String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
            var rawName = String(trimmed[..<open]).trimmingSpaces
            if rawName.count >= 2, rawName.first == "\"", rawName.last == "\"" {
                rawName = String(rawName.dropFirst().dropLast())
                    .replacing("\\\"", with: "\"")
                    .replacing("\\\\", with: "\\")
            }
            name = rawName.isEmpty ? nil : rawName
        } else if trimmed.contains("<") {
            throw AddressError(input: text, reason: "has a '<' without a closing '>'")
        }
        if let problem = AddressSyntax.problem(in: address) {
            throw AddressError(input: text, reason: problem)
        }
        return Mailbox(displayName: name, address: address)
    }

    /// Parses a comma-separated list; commas inside quotes or angle brackets do not split.
    public static func parseList(_ text: String) throws(AddressError) -> [Mailbox] {
        var result: [Mailbox] = []
        for piece in splitList(text) where !piece.trimmingSpaces.isEmpty {
            result.append(try parse(piece))
        }
        return result
    }

    /// Splits an address list at the commas that separate entries.
    static func splitList(_ text: String) -> [String] {
        var pieces: [String] = []
        var current = ""
        var inQuotes = false
        var inAngle = false
        var escaped = false
        for ch in text {
            if escaped { current.append(ch); escaped = false; continue }
            switch ch {
            case "\\" where inQuotes: escaped = true; current.append(ch)
            case "\"": inQuotes.toggle(); current.append(ch)
            case "<" where !inQuotes: inAngle = true; current.append(ch)
            case ">" where !inQuotes: inAngle = false; current.append(ch)
            case ",", ";":
                if inQuotes || inAngle { current.append(ch) } else { pieces.append(current); current = "" }
            default: current.append(ch)
            }
        }
        pieces.append(current)
        return pieces
    }
}

/// RFC 5321 mailbox syntax: `Local-part "@" ( Domain / address-literal )`.
enum AddressSyntax {
    static let atextSpecials: Set<Character> = ["!", "#", "$", "%", "&", "'", "*", "+", "-", "/", "=", "?", "^", "_", "`", "{", "|", "}", "~"]

    /// RFC 5321's atext, widened by RFC 6531 to every non-ASCII character but controls and spaces.
    static func isAtext(_ c: Character) -> Bool {
        guard c.isASCII else { return !c.isWhitespace && !c.unicodeScalars.contains { $0.properties.generalCategory == .control || $0.properties.generalCategory == .format } }
        return c.isLetter || c.isNumber || atextSpecials.contains(c)
    }

    /// A sentence saying what is wrong with the address, or nil when it is valid.
    static func problem(in address: String) -> String? {
        if address.isEmpty { return "the address is empty" }
        if let bad = address.unicodeScalars.first(where: { $0.value < 32 || $0.value == 127 || (0x80...0x9F).contains($0.value) }) {
            return "contains a control character (U+\(String(bad.value, radix: 16, uppercase: true)))"
        }
        if address.contains(where: { $0 == " " || $0 == "\t" }), !address.hasPrefix("\"") {
            return "contains a space"
        }
        guard let at = address.lastIndex(of: "@") else {
            return "has no '@' (expected something like name@example.com)"
        }
        let local = String(address[..<at])
        let domain = String(address[address.index(after: at)...])
        if local.isEmpty { return "has nothing before the '@'" }
        if domain.isEmpty { return "has nothing after the '@'" }
        if local.utf8.count > 64 { return "the part before '@' is \(local.utf8.count) characters long; the limit is 64" }
        if address.utf8.count > 254 { return "is \(address.utf8.count) characters long; the limit is 254" }
        if let problem = localPartProblem(local) { return problem }
        return domainProblem(domain)
    }

    static func localPartProblem(_ local: String) -> String? {
        if local.hasPrefix("\"") {
            guard local.count >= 2, local.hasSuffix("\"") else { return "has an unterminated quoted local part" }
            var escaped = false
            for scalar in local.unicodeScalars.dropFirst().dropLast() {
                if escaped { escaped = false; continue }
                if scalar == "\\" { escaped = true; continue }
                if scalar == "\"" { return "has an unescaped '\"' inside the quoted local part" }
                if scalar.value < 32 || scalar.value == 127 { return "has a control character in the local part" }
            }
            return escaped ? "ends the quoted local part with a lone backslash" : nil
        }
        if local.hasPrefix(".") { return "starts with a '.'" }
        if local.hasSuffix(".") { return "has a '.' just before the '@'" }
        if local.contains("..") { return "has two dots in a row before the '@'" }
        if let bad = local.first(where: { $0 != "." && !isAtext($0) }) {
            return "has the character '\(bad)' before the '@', which needs quoting"
        }
        return nil
    }

    static func domainProblem(_ domain: String) -> String? {
        if domain.hasPrefix("[") {
            guard domain.hasSuffix("]") else { return "has an address literal without a closing ']'" }
            let inner = String(domain.dropFirst().dropLast())
            if inner.lowercased().hasPrefix("ipv6:") {
                let v6 = inner.dropFirst(5)
                return !v6.isEmpty && v6.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." })
                    ? nil : "has an invalid IPv6 address literal"
            }
            let parts = inner.split(separator: ".", omittingEmptySubsequences: false)
            let valid = parts.count == 4 && parts.allSatisfy { Int($0).map { (0...255).contains($0) } ?? false }
            return valid ? nil : "has an invalid IPv4 address literal '\(domain)'"
        }
        if domain.utf8.count > 253 { return "has a domain longer than 253 characters" }
        if domain.hasSuffix(".") { return "ends with a '.'" }
        for label in domain.split(separator: ".", omittingEmptySubsequences: false) {
            if label.isEmpty { return "has an empty label in the domain '\(domain)' (two dots in a row?)" }
            if label.count > 63 { return "has a domain label longer than 63 characters" }
            // Letters and digits of any script (an internationalised domain, sent as UTF-8 with
            // SMTPUTF8), and "-".
            if let bad = label.first(where: { !($0.isLetter || $0.isNumber || $0 == "-") }) {
                return "has the character '\(bad)' in the domain '\(domain)'"
            }
            if label.hasPrefix("-") || label.hasSuffix("-") {
                return "has a domain label starting or ending with '-' ('\(label)')"
            }
        }
        return nil
    }
}

extension Unicode.Scalar {
    /// "line feed (LF)" and friends, for error messages.
    var controlName: String {
        switch self {
        case "\r": "carriage return (CR)"
        case "\n": "line feed (LF)"
        case "\0": "NUL byte"
        default: "control character U+\(String(value, radix: 16, uppercase: true))"
        }
    }
}
