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
