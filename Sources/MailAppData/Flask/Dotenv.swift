/// A .env file read as python-dotenv's parser reads it (the grammar of dotenv/parser.py), in one
/// pass: `export`, quoted keys and values with their escapes, comments, a key without `=` (no
/// value), and lines it rejects, which it skips with a warning.
struct Dotenv {
    struct Binding: Equatable {
        var key: String
        /// nil for a key with no `=`.
        var value: String?
        var line: Int
        /// What follows `=` as written, up to the end of its line.
        var written: String
    }

    var entries: [Binding] = []
    /// Lines python-dotenv could not parse (it skips them), with their text.
    var errors: [(line: Int, text: String)] = []

    var bindings: [(String, String?)] { entries.map { ($0.key, $0.value) } }

    static func parse(_ text: String) -> Dotenv {
        var result = Dotenv()
        let s = Array(text.unicodeScalars)
        var i = 0, line = 1
        func isSpace(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\t" || c == "\u{0B}" || c == "\u{0C}" || (c.value > 127 && c.properties.isWhitespace) }
        func isNewline(_ c: Unicode.Scalar) -> Bool { c == "\n" || c == "\r" }
        /// Moves over s[from..<to], counting newlines as python-dotenv's Position.advance does.
        func advance(to end: Int) {
            var j = i
            while j < end {
                if s[j] == "\r" && j + 1 < end && s[j + 1] == "\n" { line += 1; j += 2; continue }
                if isNewline(s[j]) { line += 1 }
                j += 1
            }
            i = end
        }
        func string(_ a: Int, _ b: Int) -> String { String(String.UnicodeScalarView(s[a..<b])) }
        while i < s.count {
            // _multiline_whitespace
            var j = i
            while j < s.count && (isSpace(s[j]) || isNewline(s[j])) { j += 1 }
            advance(to: j)
            guard i < s.count else { break }
            let startLine = line, start = i
            var failed = false
            var key: String?
            var value: String?
            var written = ""
            repeat {
                // _export
                if string(i, min(i + 6, s.count)) == "export", i + 6 < s.count, isSpace(s[i + 6]) {
                    var k = i + 6
                    while k < s.count && isSpace(s[k]) { k += 1 }
                    advance(to: k)
                }
                // parse_key
                if i < s.count && s[i] == "#" {
                    key = nil
                } else if i < s.count && s[i] == "'" {
                    var k = i + 1
                    while k < s.count && s[k] != "'" { k += 1 }
                    guard k < s.count, k > i + 1 else { failed = true; break }
                    key = string(i + 1, k)
                    advance(to: k + 1)
                } else {
                    var k = i
                    while k < s.count && s[k] != "=" && s[k] != "#" && !isSpace(s[k]) && !isNewline(s[k]) { k += 1 }
                    guard k > i else { failed = true; break }
                    key = string(i, k)
                    advance(to: k)
                }
                var k = i
                while k < s.count && isSpace(s[k]) { k += 1 }
                advance(to: k)
                if i < s.count && s[i] == "=" {
                    k = i + 1
                    while k < s.count && isSpace(s[k]) { k += 1 }
                    var w = i + 1
                    while w < s.count && !isNewline(s[w]) { w += 1 }
                    written = string(i + 1, w)
                    advance(to: k)
                    // parse_value
                    let c: Unicode.Scalar? = i < s.count ? s[i] : nil
                    if c == "'" || c == "\"" {
                        let q = c!
                        var m = i + 1
                        while m < s.count && s[m] != q { m += (s[m] == "\\" && m + 1 < s.count && s[m + 1] == q) ? 2 : 1 }
                        guard m < s.count else { failed = true; break }
                        value = unescape(string(i + 1, m), double: q == "\"")
                        advance(to: m + 1)
                    } else if c == nil || isNewline(c!) {
                        value = ""
                    } else {
                        var m = i
                        while m < s.count && !isNewline(s[m]) { m += 1 }
                        var part = string(i, m)
                        if let hash = unquotedComment(part) { part = String(part[..<hash]) }
                        value = String(part.reversed().drop(while: { $0.isWhitespace }).reversed())
                        advance(to: m)
                    }
                } else {
                    value = nil
                }
                // _comment, then _end_of_line
                k = i
                while k < s.count && isSpace(s[k]) { k += 1 }
                if k < s.count && s[k] == "#" { while k < s.count && !isNewline(s[k]) { k += 1 } } else { k = i }
                advance(to: k)
                k = i
                while k < s.count && isSpace(s[k]) { k += 1 }
                if k < s.count && !isNewline(s[k]) { failed = true; break }
                if k < s.count && s[k] == "\r" && k + 1 < s.count && s[k + 1] == "\n" { k += 2 } else if k < s.count { k += 1 }
                advance(to: k)
            } while false
            if failed {
                // _rest_of_line
                var k = i
                while k < s.count && !isNewline(s[k]) { k += 1 }
                if k < s.count { k += (s[k] == "\r" && k + 1 < s.count && s[k + 1] == "\n") ? 2 : 1 }
                let text = string(start, min(k, s.count)).trimmingSpaces
                advance(to: k)
                result.errors.append((startLine, text))
                continue
            }
            if let key { result.entries.append(Binding(key: key, value: value, line: startLine, written: written)) }
        }
        return result
    }

    /// Where `\s+#` starts in an unquoted value (python-dotenv drops it and what follows).
    private static func unquotedComment(_ part: String) -> String.Index? {
        var previousSpace = false
        var i = part.startIndex
        var spaceStart: String.Index?
        while i < part.endIndex {
            let c = part[i]
            if c.isWhitespace {
                if !previousSpace { spaceStart = i }
                previousSpace = true
            } else {
                if c == "#" && previousSpace { return spaceStart }
                previousSpace = false
            }
            i = part.index(after: i)
        }
        return nil
    }

    /// python-dotenv's escapes: in double quotes \\ \' \" \a \b \f \n \r \t \v; in single quotes \\ and \'.
    private static func unescape(_ text: String, double: Bool) -> String {
        var out = "", chars = Substring(text)
        while let c = chars.popFirst() {
            guard c == "\\", let n = chars.first else { out.append(c); continue }
            let map: [Character: String] = double
                ? ["\\": "\\", "'": "'", "\"": "\"", "a": "\u{07}", "b": "\u{08}", "f": "\u{0C}", "n": "\n", "r": "\r", "t": "\t", "v": "\u{0B}"]
                : ["\\": "\\", "'": "'"]
            if let replacement = map[n] { out += replacement; chars.removeFirst() } else { out.append(c) }
        }
        return out
    }
}
