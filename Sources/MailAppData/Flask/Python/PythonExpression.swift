/// A Python expression, as far as config modules use them.
indirect enum PythonExpression: Equatable {
    case name(String)
    case string(String, formatted: Bool)
    case integer(Int)
    case float(Double)
    case tuple([PythonExpression])
    case list([PythonExpression])
    case dict([DictItem])
    case attribute(PythonExpression, String)
    case call(PythonExpression, [PythonExpression], [Keyword])
    case element(PythonExpression, PythonExpression)
    case binary(String, PythonExpression, PythonExpression)
    case not(PythonExpression)
    case negative(PythonExpression)
    case compare(PythonExpression, String, PythonExpression)
    case and(PythonExpression, PythonExpression)
    case or(PythonExpression, PythonExpression)
    case conditional(PythonExpression, test: PythonExpression, otherwise: PythonExpression)
    /// Syntax mailtui does not evaluate (lambda, comprehensions, `*args`), with its words.
    case unsupported(String)

    struct DictItem: Equatable {
        var key: PythonExpression
        var value: PythonExpression
    }
    struct Keyword: Equatable {
        /// nil for `**mapping`.
        var name: String?
        var value: PythonExpression
    }
}

/// A token of a logical line.
enum PythonToken: Equatable {
    case name(String)
    case number(String)
    case string(String, prefix: String)
    case op(String)
}

/// Tokens, then a recursive-descent parse of one expression. Nesting is bounded, so hostile input
/// fails as `.unsupported` instead of exhausting the stack.
struct PythonParser {
    static let maximumDepth = 100
    private(set) var tokens: [PythonToken]
    private var index = 0
    private var depth = 0

    init(_ text: String) { tokens = PythonParser.tokenize(text) }
    init(tokens: [PythonToken]) { self.tokens = tokens }

    /// Longer lines are not read: no config line comes near, and trees stay shallow.
    static let maximumTokens = 2000

    static func parse(_ text: String) -> PythonExpression {
        var parser = PythonParser(text)
        guard parser.tokens.count <= maximumTokens else { return .unsupported("a line too long to read") }
        let e = parser.expression()
        return parser.atEnd ? e : .unsupported(text)
    }

    var atEnd: Bool { index >= tokens.count }

    static func tokenize(_ text: String) -> [PythonToken] {
        var result: [PythonToken] = []
        let s = Array(text.unicodeScalars)
        var i = 0
        let three = ["**=", "//=", "...", "!=", "==", "<=", ">=", "**", "//", "->", "+=", "-=", ":="]
        while i < s.count {
            let c = s[i]
            if c == " " || c == "\t" || c == "\n" { i += 1; continue }
            if c.properties.isAlphabetic || c == "_" {
                var j = i
                while j < s.count && (s[j].properties.isAlphabetic || s[j] == "_" || ("0"..."9").contains(s[j])) { j += 1 }
                let word = String(String.UnicodeScalarView(s[i..<j]))
                if j < s.count && (s[j] == "'" || s[j] == "\"") && word.count <= 2 && word.lowercased().allSatisfy({ "rbuf".contains($0) }) {
                    let (value, end) = readString(s, j)
                    result.append(.string(value, prefix: word.lowercased()))
                    i = end
                } else {
                    result.append(.name(word))
                    i = j
                }
                continue
            }
            if ("0"..."9").contains(c) || (c == "." && i + 1 < s.count && ("0"..."9").contains(s[i + 1])) {
                var j = i
                while j < s.count && (s[j].properties.isAlphabetic || ("0"..."9").contains(s[j]) || s[j] == "." || s[j] == "_") { j += 1 }
                result.append(.number(String(String.UnicodeScalarView(s[i..<j]))))
                i = j
                continue
            }
            if c == "'" || c == "\"" {
                let (value, end) = readString(s, i)
                result.append(.string(value, prefix: ""))
                i = end
                continue
            }
            var matched = false
            for op in three where op.unicodeScalars.count <= s.count - i {
                if String(String.UnicodeScalarView(s[i..<(i + op.unicodeScalars.count)])) == op {
                    result.append(.op(op))
                    i += op.unicodeScalars.count
                    matched = true
                    break
                }
            }
            if !matched { result.append(.op(String(c))); i += 1 }
        }
        return result
    }

    /// The raw text of a string literal starting at `start` (its quote), and the index after it.
    private static func readString(_ s: [Unicode.Scalar], _ start: Int) -> (String, Int) {
        let q = s[start]
        let triple = start + 2 < s.count && s[start + 1] == q && s[start + 2] == q
        var i = start + (triple ? 3 : 1)
        var out = String.UnicodeScalarView()
        while i < s.count {
            let c = s[i]
            if c == "\\" && i + 1 < s.count {
                let n = s[i + 1]
                switch n {
                case "n": out.append("\n")
                case "t": out.append("\t")
                case "r": out.append("\r")
                case "\\", "'", "\"": out.append(n)
                case "\n": break
                default: out.append(c); out.append(n)
                }
                i += 2
                continue
            }
            if c == q {
                if !triple { return (String(out), i + 1) }
                if i + 2 < s.count && s[i + 1] == q && s[i + 2] == q { return (String(out), i + 3) }
            }
            out.append(c)
            i += 1
        }
        return (String(out), i)
    }

    private func peek(_ offset: Int = 0) -> PythonToken? { index + offset < tokens.count ? tokens[index + offset] : nil }
    private mutating func take(_ op: String) -> Bool {
        if peek() == .op(op) || peek() == .name(op) { index += 1; return true }
        return false
    }

    mutating func expression() -> PythonExpression {
        depth += 1
        defer { depth -= 1 }
        guard depth < Self.maximumDepth else { index = tokens.count; return .unsupported("too deeply nested") }
        if peek() == .name("lambda") { index = tokens.count; return .unsupported("lambda") }
        let body = orTest()
        if peek() == .name("if") {
            let save = index
            index += 1
            let test = orTest()
            if take("else") { return .conditional(body, test: test, otherwise: expression()) }
            index = save
        }
        return body
    }

    private mutating func orTest() -> PythonExpression {
        var left = andTest()
        while take("or") { left = .or(left, andTest()) }
        return left
    }

    private mutating func andTest() -> PythonExpression {
        var left = notTest()
        while take("and") { left = .and(left, notTest()) }
        return left
    }

    private mutating func notTest() -> PythonExpression {
        var count = 0
        while take("not") { count += 1 }
        guard count < Self.maximumDepth else { index = tokens.count; return .unsupported("too many nots") }
        var e = comparison()
        for _ in 0..<count { e = .not(e) }
        return e
    }

    private mutating func comparison() -> PythonExpression {
        var left = arithmetic()
        while let t = peek() {
            var op: String
            switch t {
            case .op(let o) where ["==", "!=", "<", ">", "<=", ">="].contains(o): op = o; index += 1
            case .name("in"): op = "in"; index += 1
            case .name("not") where peek(1) == .name("in"): op = "not in"; index += 2
            case .name("is"):
                index += 1
                op = take("not") ? "is not" : "is"
            default: return left
            }
            left = .compare(left, op, arithmetic())
        }
        return left
    }

    private mutating func arithmetic() -> PythonExpression {
        var left = term()
        while let t = peek(), t == .op("+") || t == .op("-") {
            index += 1
            if case .op(let o) = t { left = .binary(o, left, term()) }
        }
        return left
    }

    private mutating func term() -> PythonExpression {
        var left = unary()
        while let t = peek(), case .op(let o) = t, ["*", "/", "%", "//"].contains(o) {
            index += 1
            left = .binary(o, left, unary())
        }
        return left
    }

    private mutating func unary() -> PythonExpression {
        var negations = 0
        while let t = peek(), t == .op("-") || t == .op("+") {
            if t == .op("-") { negations += 1 }
            index += 1
            guard negations < Self.maximumDepth else { index = tokens.count; return .unsupported("too many signs") }
        }
        var e = primary()
        if take("**") { e = .binary("**", e, expression()) }
        for _ in 0..<negations { e = .negative(e) }
        return e
    }

    private mutating func primary() -> PythonExpression {
        var e = atom()
        while let t = peek() {
            if t == .op(".") , case .name(let n)? = peek(1) {
                index += 2
                e = .attribute(e, n)
            } else if t == .op("(") {
                index += 1
                e = arguments(e)
            } else if t == .op("[") {
                index += 1
                let key = expression()
                var items = [key]
                while take(",") { if peek() == .op("]") { break }; items.append(expression()) }
                if !take("]") { return .unsupported("subscript") }
                e = .element(e, items.count == 1 ? key : .tuple(items))
            } else {
                break
            }
        }
        return e
    }

    private mutating func arguments(_ function: PythonExpression) -> PythonExpression {
        var positional: [PythonExpression] = []
        var keywords: [PythonExpression.Keyword] = []
        while !take(")") {
            guard !atEnd else { return .unsupported("unclosed call") }
            if take("**") {
                keywords.append(.init(name: nil, value: expression()))
            } else if take("*") {
                _ = expression()
                positional.append(.unsupported("*args"))
            } else if case .name(let n)? = peek(), peek(1) == .op("=") {
                index += 2
                keywords.append(.init(name: n, value: expression()))
            } else {
                let value = expression()
                if peek() == .name("for") { index = tokens.count; return .unsupported("a generator") }
                positional.append(value)
            }
            if !take(",") {
                guard take(")") else { index = tokens.count; return .unsupported("call") }
                break
            }
        }
        return .call(function, positional, keywords)
    }

    private mutating func atom() -> PythonExpression {
        guard let t = peek() else { return .unsupported("nothing") }
        index += 1
        switch t {
        case .name(let n): return .name(n)
        case .number(let text):
            let digits = text.replacing("_", with: "")
            if let n = Int(digits) { return .integer(n) }
            if digits.hasPrefix("0x"), let n = Int(digits.dropFirst(2), radix: 16) { return .integer(n) }
            if let d = Double(digits) { return .float(d) }
            return .unsupported(text)
        case .string(let value, let prefix):
            var text = value
            var formatted = prefix.contains("f")
            // Adjacent literals are one string.
            while case .string(let more, let p)? = peek() {
                text += more
                formatted = formatted || p.contains("f")
                index += 1
            }
            if prefix.contains("b") { return .unsupported("bytes") }
            return .string(text, formatted: formatted)
        case .op("("):
            if take(")") { return .tuple([]) }
            let first = expression()
            if peek() == .name("for") { index = tokens.count; return .unsupported("a generator") }
            if take(")") { return first }
            var items = [first]
            while take(",") {
                if take(")") { return .tuple(items) }
                items.append(expression())
            }
            return take(")") ? .tuple(items) : .unsupported("tuple")
        case .op("["):
            var items: [PythonExpression] = []
            while !take("]") {
                guard !atEnd else { return .unsupported("list") }
                items.append(expression())
                if peek() == .name("for") { index = tokens.count; return .unsupported("a comprehension") }
                if !take(",") { guard take("]") else { return .unsupported("list") }; break }
            }
            return .list(items)
        case .op("{"):
            var items: [PythonExpression.DictItem] = []
            var set: [PythonExpression] = []
            while !take("}") {
                guard !atEnd else { return .unsupported("dict") }
                if take("**") {
                    items.append(.init(key: .unsupported("**"), value: expression()))
                } else {
                    let key = expression()
                    if take(":") { items.append(.init(key: key, value: expression())) } else { set.append(key) }
                }
                if peek() == .name("for") { index = tokens.count; return .unsupported("a comprehension") }
                if !take(",") { guard take("}") else { return .unsupported("dict") }; break }
            }
            return set.isEmpty ? .dict(items) : .list(set)
        default:
            return .unsupported("\(t)")
        }
    }
}
