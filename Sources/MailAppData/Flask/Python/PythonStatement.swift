/// A statement of a config module, with its line; compound statements carry their bodies.
struct PythonStatement: Equatable {
    indirect enum Kind: Equatable {
        case assign(targets: [PythonExpression], value: PythonExpression)
        case expression(PythonExpression)
        case importModules([Imported])
        case importFrom(module: String, level: Int, names: [Imported])
        case function(name: String, parameters: [Parameter], body: [PythonStatement])
        case classDefinition(name: String, bases: [PythonExpression], body: [PythonStatement])
        /// `if`/`elif`/`else`: a nil test is the `else`.
        case conditional([Branch])
        /// `try`, `with`, `finally`: run in order.
        case block([PythonStatement])
        case returnValue(PythonExpression?)
        /// Loops, `except`, `global`, `pass`...: not run.
        case skipped(String)
    }
    struct Imported: Equatable {
        var name: String
        var alias: String?
    }
    struct Parameter: Equatable {
        var name: String
        var defaultValue: PythonExpression?
    }
    struct Branch: Equatable {
        var test: PythonExpression?
        var body: [PythonStatement]
    }

    var kind: Kind
    var line: Int
}

/// Builds statements from logical lines by their indents.
enum PythonModuleParser {
    static func parse(_ text: String) -> [PythonStatement] {
        let lines = PythonLines.split(text)
        var index = 0
        return block(lines, &index, indent: -1)
    }

    /// The statements from `index` while lines are indented more than `indent`.
    private static func block(_ lines: [PythonLine], _ index: inout Int, indent: Int) -> [PythonStatement] {
        var result: [PythonStatement] = []
        guard index < lines.count else { return result }
        let own = lines[index].indent
        while index < lines.count, lines[index].indent > indent {
            let current = lines[index]
            index += 1
            if current.indent > own { continue }
            result.append(contentsOf: statement(current, lines, &index))
        }
        return result
    }

    private static func body(after header: PythonLine, inline: String, _ lines: [PythonLine], _ index: inout Int) -> [PythonStatement] {
        if !inline.isEmpty {
            return simple(PythonLine(text: inline, line: header.line, indent: header.indent + 1))
        }
        return block(lines, &index, indent: header.indent)
    }

    private static func statement(_ l: PythonLine, _ lines: [PythonLine], _ index: inout Int) -> [PythonStatement] {
        let text = l.text
        let word = String(text.prefix(while: { $0.isLetter || $0 == "_" || $0 == "@" }))
        let compound = ["if", "elif", "else", "try", "except", "finally", "with", "for", "while", "def", "class", "async"]
        guard compound.contains(word), let colon = topLevel(":", in: text) else { return simple(l) }
        let header = String(text[text.index(text.startIndex, offsetBy: word.count)..<colon]).trimmingSpaces
        let inline = String(text[text.index(after: colon)...]).trimmingSpaces
        let inner = body(after: l, inline: inline, lines, &index)
        switch word {
        case "def":
            guard let open = header.firstIndex(of: "("), let close = header.lastIndex(of: ")") else { return [.init(kind: .skipped("def"), line: l.line)] }
            let name = String(header[..<open]).trimmingSpaces
            return [.init(kind: .function(name: name, parameters: parameters(String(header[header.index(after: open)..<close])), body: inner), line: l.line)]
        case "class":
            var name = header, bases: [PythonExpression] = []
            if let open = header.firstIndex(of: "("), header.hasSuffix(")") {
                name = String(header[..<open]).trimmingSpaces
                if case .tuple(let items) = PythonParser.parse("(" + String(header[header.index(after: open)...].dropLast()) + ",)") { bases = items }
            }
            return [.init(kind: .classDefinition(name: name, bases: bases, body: inner), line: l.line)]
        case "if":
            var branches = [PythonStatement.Branch(test: PythonParser.parse(header), body: inner)]
            // elif / else lines at the same indent continue the chain.
            while index < lines.count, lines[index].indent == l.indent {
                let next = lines[index]
                let w = String(next.text.prefix(while: { $0.isLetter }))
                guard w == "elif" || w == "else", let c = topLevel(":", in: next.text) else { break }
                index += 1
                let h = String(next.text[next.text.index(next.text.startIndex, offsetBy: w.count)..<c]).trimmingSpaces
                let b = body(after: next, inline: String(next.text[next.text.index(after: c)...]).trimmingSpaces, lines, &index)
                branches.append(.init(test: w == "elif" ? PythonParser.parse(h) : nil, body: b))
            }
            return [.init(kind: .conditional(branches), line: l.line)]
        case "try", "with", "finally":
            return [.init(kind: .block(inner), line: l.line)]
        default:
            return [.init(kind: .skipped(word), line: l.line)]
        }
    }

    private static func parameters(_ text: String) -> [PythonStatement.Parameter] {
        splitTopLevel(text, ",").compactMap { part -> PythonStatement.Parameter? in
            var p = part.trimmingSpaces
            guard !p.isEmpty, p != "*", p != "/" else { return nil }
            var value: PythonExpression?
            if let eq = topLevel("=", in: p) {
                value = PythonParser.parse(String(p[p.index(after: eq)...]))
                p = String(p[..<eq])
            }
            if let colon = p.firstIndex(of: ":") { p = String(p[..<colon]) }
            return .init(name: p.trimmingSpaces, defaultValue: value)
        }
    }

    private static func simple(_ l: PythonLine) -> [PythonStatement] {
        let text = l.text
        if text.hasPrefix("@") || text == "pass" { return [] }
        if text.hasPrefix("import ") {
            return [.init(kind: .importModules(imports(String(text.dropFirst(7)))), line: l.line)]
        }
        if text.hasPrefix("from "), let range = text.firstRange(of: " import ") {
            var module = String(text[text.index(text.startIndex, offsetBy: 5)..<range.lowerBound]).trimmingSpaces
            let level = module.prefix(while: { $0 == "." }).count
            module.removeFirst(level)
            var names = String(text[range.upperBound...]).trimmingSpaces
            if names.hasPrefix("(") && names.hasSuffix(")") { names = String(names.dropFirst().dropLast()) }
            return [.init(kind: .importFrom(module: module, level: level, names: imports(names)), line: l.line)]
        }
        if text == "return" { return [.init(kind: .returnValue(nil), line: l.line)] }
        if text.hasPrefix("return ") { return [.init(kind: .returnValue(PythonParser.parse(String(text.dropFirst(7)))), line: l.line)] }
        for keyword in ["global ", "nonlocal ", "raise ", "del ", "assert ", "print ", "yield "] where text.hasPrefix(keyword) {
            return [.init(kind: .skipped(keyword), line: l.line)]
        }
        // a = b = value; `x: int = value`; augmented assignments are not config.
        var parts = splitTopLevel(text, "=")
        if parts.count > 1 {
            let value = parts.removeLast()
            let targets = parts.map { part -> PythonExpression in
                var t = part.trimmingSpaces
                if let colon = topLevel(":", in: t) { t = String(t[..<colon]) }
                return PythonParser.parse(t)
            }
            return [.init(kind: .assign(targets: targets, value: PythonParser.parse(value)), line: l.line)]
        }
        return [.init(kind: .expression(PythonParser.parse(text)), line: l.line)]
    }

    private static func imports(_ text: String) -> [PythonStatement.Imported] {
        splitTopLevel(text, ",").compactMap { part in
            let words = part.split(separator: " ").map(String.init)
            guard let name = words.first else { return nil }
            return .init(name: name, alias: words.count == 3 && words[1] == "as" ? words[2] : nil)
        }
    }

    /// The first `character` outside brackets and strings (for `=`, not part of `==`, `<=`, `+=`...).
    static func topLevel(_ character: Character, in text: String) -> String.Index? {
        splitPositions(text, character).first
    }

    /// `text` split at each top-level `separator`.
    static func splitTopLevel(_ text: String, _ separator: Character) -> [String] {
        var parts: [String] = []
        var start = text.startIndex
        for position in splitPositions(text, separator) {
            parts.append(String(text[start..<position]))
            start = text.index(after: position)
        }
        parts.append(String(text[start...]))
        return parts
    }

    private static func splitPositions(_ text: String, _ separator: Character) -> [String.Index] {
        var result: [String.Index] = []
        var depth = 0
        var quote: Character?
        var escaped = false
        var previous: Character = " "
        var i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            let next = text.index(after: i) < text.endIndex ? text[text.index(after: i)] : " "
            if let q = quote {
                if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == q { quote = nil }
            } else if c == "'" || c == "\"" {
                quote = c
            } else if "([{".contains(c) {
                depth += 1
            } else if ")]}".contains(c) {
                depth -= 1
            } else if c == separator && depth == 0 {
                if separator == "=" {
                    if next != "=" && !"=!<>+-*/%&|^:@".contains(previous) { result.append(i) }
                } else {
                    result.append(i)
                }
            }
            previous = c
            i = text.index(after: i)
        }
        return result
    }
}
