/// Expressions: literals, names, the environment, Python's builtins that configs use, and calls.
extension FlaskAppReader {
    func evaluate(_ e: PythonExpression, scope: Scope, line: Int, procedure: Bool = false) -> PythonValue {
        steps += 1
        guard steps < Self.maximumSteps else { return .unknown("the code takes too long to follow") }
        evaluationDepth += 1
        defer { evaluationDepth -= 1 }
        guard evaluationDepth < Self.maximumEvaluationDepth else { return .unknown("an expression nested too deeply") }
        switch e {
        case .name(let n):
            if let v = scope.lookup(n) { return v }
            switch n {
            case "True": return .boolean(true)
            case "False": return .boolean(false)
            case "None": return PythonValue.none
            case "int", "str", "bool", "float", "dict", "isinstance", "len", "list", "tuple": return .builtin(n)
            default: return .unknown("\(n) is not defined where mailtui can see it")
            }
        case .string(let s, let formatted):
            return formatted && s.contains("{") ? .unknown("an f-string") : .string(s)
        case .integer(let n): return .integer(n)
        case .float(let d): return .float(d)
        case .tuple(let items): return .tuple(items.map { evaluate($0, scope: scope, line: line) })
        case .list(let items): return .list(items.map { evaluate($0, scope: scope, line: line) })
        case .dict(let items):
            var result: [(key: PythonValue, value: PythonValue)] = []
            for item in items {
                if case .unsupported = item.key {
                    if case .dict(let more) = evaluate(item.value, scope: scope, line: line) { result += more }
                    continue
                }
                result.append((evaluate(item.key, scope: scope, line: line), evaluate(item.value, scope: scope, line: line)))
            }
            return .dict(result)
        case .attribute(let owner, let name):
            return attribute(evaluate(owner, scope: scope, line: line), name, line: line)
        case .element(let container, let key):
            return element(evaluate(container, scope: scope, line: line), evaluate(key, scope: scope, line: line))
        case .call(let function, let positional, let keywordExpressions):
            let f = evaluate(function, scope: scope, line: line)
            let arguments = positional.map { evaluate($0, scope: scope, line: line) }
            var keywords: [String: PythonValue] = [:]
            for k in keywordExpressions {
                let v = evaluate(k.value, scope: scope, line: line)
                if let n = k.name { keywords[n] = v } else if case .dict(let items) = v {
                    for item in items { if case .string(let s) = item.key { keywords[s] = item.value } }
                } else {
                    keywords["**"] = .unknown("**\(v)")
                }
            }
            // from_object needs the expression: config[name] with an unknown name has candidates.
            if case .method(.appConfig, "from_object") = f, let first = positional.first {
                fromObject(first, scope: scope, line: line)
                return PythonValue.none
            }
            return call(f, arguments, keywords, keywordOrder: keywordExpressions.compactMap(\.name), scope: scope, line: line, procedure: procedure)
        case .binary(let op, let a, let b):
            return binary(op, evaluate(a, scope: scope, line: line), evaluate(b, scope: scope, line: line))
        case .not(let a):
            return evaluate(a, scope: scope, line: line).truthy.map { .boolean(!$0) } ?? .unknown("not of an unknown value")
        case .negative(let a):
            switch evaluate(a, scope: scope, line: line) {
            case .integer(let n): return .integer(-n)
            case .float(let d): return .float(-d)
            default: return .unknown("a negative value")
            }
        case .compare(let a, let op, let b):
            return compare(evaluate(a, scope: scope, line: line), op, evaluate(b, scope: scope, line: line))
        case .and(let a, let b):
            let left = evaluate(a, scope: scope, line: line)
            guard let t = left.truthy else { return left }
            return t ? evaluate(b, scope: scope, line: line) : left
        case .or(let a, let b):
            let left = evaluate(a, scope: scope, line: line)
            guard let t = left.truthy else { return left }
            return t ? left : evaluate(b, scope: scope, line: line)
        case .conditional(let body, let test, let otherwise):
            guard let t = evaluate(test, scope: scope, line: line).truthy else { return .unknown("a condition mailtui cannot evaluate") }
            return evaluate(t ? body : otherwise, scope: scope, line: line)
        case .unsupported(let what):
            return .unknown("\(what) is not something mailtui evaluates")
        }
    }

    func attribute(_ owner: PythonValue, _ name: String, line: Int) -> PythonValue {
        switch owner {
        case .unknown: return owner
        case .module(let m): return m.names[name] ?? .unknown("\(m.name).\(name) is not set in \(m.path)")
        case .classObject(let c): return c.lookup(name)?.value ?? .unknown("\(c.name).\(name) is not set")
        case .builtin(let b):
            let dotted = b + "." + name
            if Self.libraries[dotted] != nil || Self.knownCalls.contains(dotted) || dotted == "os.environ" { return .builtin(dotted) }
            if b == "flask" && name == "Flask" || b == "flask_mail" && name == "Mail" { return .builtin(dotted) }
            return .unknown("\(dotted) is not something mailtui evaluates")
        case .flaskApp:
            if name == "config" { return .appConfig }
            return .method(owner, name)
        default:
            return .method(owner, name)
        }
    }

    /// Library functions with a meaning here.
    static let knownCalls: Set<String> = [
        "os.environ.get", "os.getenv", "os.environ.setdefault", "distutils.util.strtobool", "dotenv.load_dotenv",
        "dotenv.find_dotenv", "dotenv.dotenv_values", "json.loads", "flask.Flask", "flask_mail.Mail",
    ]

    func element(_ container: PythonValue, _ key: PythonValue) -> PythonValue {
        switch (container, key) {
        case (.unknown, _): return container
        case (_, .unknown): return .unknown("an entry whose key mailtui cannot evaluate")
        case (.builtin("os.environ"), .string(let name)):
            reads.append(name)
            if let v = environment[name] { return .string(v) }
            return .unknown("the app fails at start-up: os.environ['\(name)'] raises KeyError when \(name) is not set")
        case (.dict(let items), _):
            for item in items where item.key.equals(key) == true { return item.value }
            return .unknown("the app fails at start-up: no key \(key.str ?? "?") (KeyError)")
        case (.tuple(let items), .integer(let i)), (.list(let items), .integer(let i)):
            let index = i < 0 ? items.count + i : i
            return items.indices.contains(index) ? items[index] : .unknown("an index out of range")
        case (.appConfig, .string(let k)):
            return config[k]?.value ?? .unknown("the app fails: app.config['\(k)'] is not set yet (KeyError)")
        default:
            return .unknown("an entry of a value mailtui does not evaluate")
        }
    }

    func binary(_ op: String, _ a: PythonValue, _ b: PythonValue) -> PythonValue {
        switch (op, a, b) {
        case (_, .unknown, _): return a
        case (_, _, .unknown): return b
        case ("+", .string(let x), .string(let y)): return .string(x + y)
        case ("+", .integer(let x), .integer(let y)): return .integer(x &+ y)
        case ("+", .list(let x), .list(let y)): return .list(x + y)
        case ("%", .string(let format), _):
            let values: [PythonValue] = if case .tuple(let items) = b { items } else { [b] }
            var out = "", index = 0
            var chars = Substring(format)
            while let c = chars.popFirst() {
                guard c == "%", let spec = chars.popFirst() else { out.append(c); continue }
                if spec == "%" { out.append("%"); continue }
                guard spec == "s" || spec == "d", index < values.count, let text = values[index].str else { return .unknown("a % format") }
                out += text
                index += 1
            }
            return .string(out)
        default:
            return .unknown("\(op) of these values")
        }
    }

    func compare(_ a: PythonValue, _ op: String, _ b: PythonValue) -> PythonValue {
        if a.isUnknown { return a }
        if b.isUnknown { return b }
        switch op {
        case "==": return a.equals(b).map(PythonValue.boolean) ?? .unknown("a comparison")
        case "!=": return a.equals(b).map { .boolean(!$0) } ?? .unknown("a comparison")
        case "is", "is not":
            let same: Bool
            switch (a, b) {
            case (.none, .none): same = true
            case (.boolean(let x), .boolean(let y)): same = x == y
            case (.none, _), (_, .none), (.boolean, _), (_, .boolean): same = false
            default: return .unknown("an identity test")
            }
            return .boolean(op == "is" ? same : !same)
        case "in", "not in":
            var found: Bool?
            switch b {
            case .string(let s):
                guard case .string(let x) = a else { return .unknown("the app fails: `in` a string needs a string (TypeError)") }
                found = s.contains(x)
            case .list(let items), .tuple(let items):
                found = false
                for item in items {
                    guard let e = a.equals(item) else { found = nil; break }
                    if e { found = true; break }
                }
            case .dict(let items):
                found = items.contains { $0.key.equals(a) == true }
            case .none:
                return .unknown("the app fails: `in` None (TypeError)")
            default:
                found = nil
            }
            guard let found else { return .unknown("a membership test") }
            return .boolean(op == "in" ? found : !found)
        default:
            guard let x = a.number, let y = b.number else { return .unknown("an ordering") }
            switch op {
            case "<": return .boolean(x < y)
            case ">": return .boolean(x > y)
            case "<=": return .boolean(x <= y)
            default: return .boolean(x >= y)
            }
        }
    }
}
