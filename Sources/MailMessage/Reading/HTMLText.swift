/// HTML made readable as text, for a terminal: block elements become line breaks, scripts, styles
/// and the head go, entities are decoded, and each link is numbered in the text (`text [1]`) and
/// listed with its address after it.
public struct HTMLText: Sendable, Equatable {
    public var lines: [String]
    public var links: [String]

    public init(_ html: String) {
        var text = ""
        var links: [String] = []
        var skipping: String?
        // Once no "-->" is left, no later comment looks for one: searching to the end from each
        // of thousands of "<!--x>" made reading quadratic.
        var commentEndAhead = true
        var scalars = Substring(html)
        while let open = scalars.firstIndex(of: "<") {
            if skipping == nil { text += Self.flowing(scalars[..<open]) }
            guard let close = scalars[open...].firstIndex(of: ">") else {
                scalars = scalars[scalars.endIndex...]
                break
            }
            let tag = scalars[scalars.index(after: open)..<close]
            scalars = scalars[scalars.index(after: close)...]
            if tag.hasPrefix("!--") {
                // A comment may hold ">": it ends at "-->".
                if !tag.hasSuffix("--"), commentEndAhead {
                    if let end = scalars.firstRange(of: "-->") { scalars = scalars[end.upperBound...] } else { commentEndAhead = false }
                }
                continue
            }
            let closing = tag.hasPrefix("/")
            let name = tag.drop { $0 == "/" }.prefix { $0.isLetter || $0.isNumber }.lowercased()
            if let skipped = skipping {
                if closing && name == skipped { skipping = nil }
                continue
            }
            switch name {
            case "script", "style", "head", "title":
                if !closing { skipping = name }
            case "br": text += "\n"
            case "p", "div", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "blockquote", "pre", "hr", "section", "article", "header", "footer":
                text += "\n"
            case "li" where !closing: text += "\n• "
            case "td", "th": text += closing ? "" : " "
            case "img" where !closing:
                if let alt = Self.attribute("alt", in: tag), !alt.isEmpty { text += "[image: \(alt)]" }
            case "a":
                if !closing, let href = Self.attribute("href", in: tag), !href.isEmpty {
                    links.append(href)
                } else if closing, !links.isEmpty, !text.hasSuffix("[\(links.count)]") {
                    text += " [\(links.count)]"
                }
            default: break
            }
        }
        if skipping == nil { text += Self.flowing(scalars) }
        // Runs of blank space collapse as a browser would; at most one empty line in a row.
        var lines: [String] = []
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\u{A0}" }).joined(separator: " ")
            if line.isEmpty && (lines.last?.isEmpty ?? true) { continue }
            lines.append(line)
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        self.links = links
        if !links.isEmpty {
            lines += [""] + links.enumerated().map { "[\($0.offset + 1)] \($0.element)" }
        }
        self.lines = lines
    }

    /// Text between tags: its line breaks are spaces (only tags break lines), entities decoded.
    static func flowing(_ text: Substring) -> String {
        entities(text).map { $0.isNewline ? " " : String($0) }.joined()
    }

    /// An attribute's value in a tag's text (`a href="x"`), entities decoded.
    static func attribute(_ name: String, in tag: Substring) -> String? {
        var rest = tag
        while let at = rest.firstRange(of: name) {
            let before = rest[..<at.lowerBound].last
            var after = rest[at.upperBound...].drop { $0 == " " }
            rest = rest[at.upperBound...]
            guard before == " " || before == "\t" || before == "\n", after.first == "=" else { continue }
            after = after.dropFirst().drop { $0 == " " }
            if let quote = after.first, quote == "\"" || quote == "'" {
                let value = after.dropFirst().prefix { $0 != quote }
                return entities(value)
            }
            return entities(after.prefix { $0 != " " && $0 != ">" })
        }
        return nil
    }

    /// `&amp;`, `&lt;`, `&#233;`, `&#xE9;` and a few named others decoded; unknown ones kept.
    package static func entities(_ text: Substring) -> String {
        guard text.contains("&") else { return String(text) }
        var out = ""
        var rest = text
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            let candidate = rest[rest.index(after: amp)...].prefix(12)
            guard let semicolon = candidate.firstIndex(of: ";") else { out += "&"; rest = rest[rest.index(after: amp)...]; continue }
            let name = candidate[..<semicolon]
            let decoded: String? = switch name {
            case "amp": "&"
            case "lt": "<"
            case "gt": ">"
            case "quot": "\""
            case "apos": "'"
            case "nbsp": " "
            case "copy": "©"
            case "reg": "®"
            case "hellip": "…"
            case "mdash": "—"
            case "ndash": "–"
            case "rsquo": "’"
            case "lsquo": "‘"
            case "rdquo": "”"
            case "ldquo": "“"
            case "euro": "€"
            default:
                if name.hasPrefix("#x") || name.hasPrefix("#X") {
                    UInt32(name.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init).map { String($0) }
                } else if name.hasPrefix("#") {
                    UInt32(name.dropFirst()).flatMap(Unicode.Scalar.init).map { String($0) }
                } else {
                    nil
                }
            }
            if let decoded {
                out += decoded
                rest = rest[rest.index(after: semicolon)...]
            } else {
                out += "&"
                rest = rest[rest.index(after: amp)...]
            }
        }
        return out + rest
    }
}
