/// One logical line of Python: continuations (brackets, backslashes, triple quotes) joined, comments
/// removed, with the physical line it starts on and its indent.
struct PythonLine: Equatable {
    var text: String
    var line: Int
    var indent: Int
}

/// Splits Python source into logical lines in one pass, as the tokenizer does: a BOM is dropped,
/// CR LF, CR and LF all end a line, a tab indents to the next multiple of 8.
enum PythonLines {
    /// Larger files are not read (a config module is a few kilobytes).
    static let maximumBytes = 1 << 20

    static func split(_ text: String) -> [PythonLine] {
        var result: [PythonLine] = []
        var buffer = String.UnicodeScalarView()
        var line = 1, startLine = 1, indent = 0
        var atStart = true, depth = 0
        var quote: Unicode.Scalar? = nil
        var triple = false, escaped = false
        var scalars = Array(text.unicodeScalars)
        if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
        var i = 0
        func finish() {
            let t = String(buffer).trimmedPython(" \t\u{0C}")
            if !t.isEmpty { result.append(PythonLine(text: t, line: startLine, indent: indent)) }
            buffer = String.UnicodeScalarView()
            atStart = true
            indent = 0
            depth = 0
        }
        while i < scalars.count {
            let c = scalars[i]
            let isNewline = c == "\n" || c == "\r"
            if isNewline {
                if c == "\r" && i + 1 < scalars.count && scalars[i + 1] == "\n" { i += 1 }
                line += 1
            }
            if atStart {
                if c == " " { indent += 1; i += 1; continue }
                if c == "\t" { indent = (indent / 8 + 1) * 8; i += 1; continue }
                if c == "\u{0C}" { i += 1; continue }
                if isNewline { indent = 0; i += 1; continue }
                if c == "#" {
                    while i < scalars.count && scalars[i] != "\n" && scalars[i] != "\r" { i += 1 }
                    continue
                }
                atStart = false
                startLine = line
            }
            if let q = quote {
                if isNewline {
                    buffer.append("\n")
                    if !triple && !escaped { quote = nil }
                    escaped = false
                    i += 1
                    continue
                }
                buffer.append(c)
                if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == q {
                    if !triple { quote = nil } else if i + 2 < scalars.count && scalars[i + 1] == q && scalars[i + 2] == q {
                        buffer.append(q); buffer.append(q)
                        i += 2
                        quote = nil
                    }
                }
                i += 1
                continue
            }
            switch c {
            case "'", "\"":
                quote = c
                triple = i + 2 < scalars.count && scalars[i + 1] == c && scalars[i + 2] == c
                buffer.append(c)
                if triple { buffer.append(c); buffer.append(c); i += 2 }
            case "#":
                while i + 1 < scalars.count && scalars[i + 1] != "\n" && scalars[i + 1] != "\r" { i += 1 }
            case "\\" where i + 1 < scalars.count && (scalars[i + 1] == "\n" || scalars[i + 1] == "\r"):
                i += 1
                if scalars[i] == "\r" && i + 1 < scalars.count && scalars[i + 1] == "\n" { i += 1 }
                line += 1
                buffer.append(" ")
            case "(", "[", "{":
                depth += 1
                buffer.append(c)
            case ")", "]", "}":
                depth = max(0, depth - 1)
                buffer.append(c)
            default:
                if isNewline {
                    if depth > 0 { buffer.append(" ") } else { finish() }
                } else {
                    buffer.append(c == "\t" ? " " : c)
                }
            }
            i += 1
        }
        finish()
        return result
    }
}

extension String {
    /// Without the given characters at either end.
    func trimmedPython(_ set: String) -> String {
        let chars = Set(set)
        var s = Substring(self)
        while let f = s.first, chars.contains(f) { s.removeFirst() }
        while let l = s.last, chars.contains(l) { s.removeLast() }
        return String(s)
    }
}
