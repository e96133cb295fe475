#if canImport(Glibc)
import Glibc
#endif

/// Reads MAIL_* values from the places a Flask app takes them: a .env file, a Python config module
/// with simple assignments, or the process environment.
public enum FlaskSources {
    /// What kind of source the values came from.
    public enum Kind: String, Sendable, Equatable {
        case dotenv, python, environment
    }

    /// Values and where each came from, plus lines that could not be read.
    public struct Values: Sendable, Equatable {
        public var kind: Kind = .environment
        /// The file read, for findings; nil for the environment.
        public var path: String?
        public var values: [String: FlaskValue] = [:]
        /// The line of each MAIL_* key (1-based), and of the password's variable.
        public var lines: [String: Int] = [:]
        /// What follows `=` on a .env line, exactly as written (quotes and spaces kept).
        public var written: [String: String] = [:]
        /// Mail-looking keys that are not MAIL_* (EMAIL_HOST, DEFAULT_MAIL_SENDER, SMTP_HOST...), with their lines.
        public var otherKeys: [String: Int] = [:]
        /// MAIL_PASSWORD read from this environment variable at send time (not now).
        public var passwordVariable: String?
        /// Lines that could not be read, with their numbers.
        public var unreadable: [(line: Int, text: String)] = []

        public init(kind: Kind = .environment, path: String? = nil) {
            self.kind = kind
            self.path = path
        }

        public static func == (a: Values, b: Values) -> Bool {
            a.kind == b.kind && a.path == b.path && a.values == b.values && a.lines == b.lines && a.written == b.written
                && a.otherKeys == b.otherKeys && a.passwordVariable == b.passwordVariable
                && a.unreadable.map(\.line) == b.unreadable.map(\.line) && a.unreadable.map(\.text) == b.unreadable.map(\.text)
        }

        /// Records a key that is not MAIL_* but looks like mail configuration.
        mutating func noteOther(_ key: String, line: Int) {
            guard !key.hasPrefix("MAIL_"), FlaskKeys.looksLikeMail(key), otherKeys[key] == nil else { return }
            otherKeys[key] = line
        }
    }

    /// `KEY=value` lines, `export` prefixes, quotes and comments, as python-dotenv reads them.
    public static func dotenv(_ text: String, path: String? = nil) -> Values {
        var result = Values(kind: .dotenv, path: path)
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = raw.trimmingSpaces
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("export ") { line = String(line.dropFirst(7)).trimmingSpaces }
            guard let equals = line.firstIndex(of: "=") else {
                result.unreadable.append((index + 1, "no '=' in \"\(line.visibleControls)\""))
                continue
            }
            let key = String(line[..<equals]).trimmingSpaces
            guard key.hasPrefix("MAIL_") else {
                result.noteOther(key, line: index + 1)
                continue
            }
            let rest = raw.drop(while: { $0 != "=" }).dropFirst()
            result.written[key] = String(rest.hasSuffix("\r") ? rest.dropLast() : rest)
            result.lines[key] = index + 1
            result.values[key] = .string(unquote(String(line[line.index(after: equals)...]).trimmingSpaces))
        }
        return result
    }

    static func unquote(_ value: String) -> String {
        if value.count >= 2, let q = value.first, q == "\"" || q == "'", let close = value.dropFirst().firstIndex(of: q) {
            let inner = String(value[value.index(after: value.startIndex)..<close])
            return q == "\"" ? inner.replacing("\\n", with: "\n").replacing("\\\"", with: "\"") : inner
        }
        // An unquoted value ends at " #".
        if let hash = value.firstRange(of: " #") { return String(value[..<hash.lowerBound]).trimmingSpaces }
        return value
    }

    /// MAIL_* from an environment.
    public static func environment(_ env: [String: String] = ProcessEnvironment.all()) -> Values {
        var result = Values(kind: .environment)
        for (key, value) in env {
            if key.hasPrefix("MAIL_") { result.values[key] = .string(value) } else { result.noteOther(key, line: 0) }
        }
        return result
    }

    /// `MAIL_X = expression` lines of a Python config module (top level or inside a class). Reads
    /// literals, tuples, `os.environ.get('V', default)`, `os.environ['V']`, `os.getenv(...)`,
    /// `int(...)`, `... or default` and `... is not None`; MAIL_PASSWORD from the environment
    /// becomes an environment-variable password source.
    public static func pythonConfig(_ text: String, path: String? = nil, environment: [String: String] = ProcessEnvironment.all()) -> Values {
        var result = Values(kind: .python, path: path)
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingSpaces
            guard let equals = line.firstIndex(of: "="), line[line.index(after: equals)...].first != "=" else { continue }
            let key = String(line[..<equals]).trimmingSpaces
            guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else { continue }
            guard key.hasPrefix("MAIL_") else {
                result.noteOther(key, line: index + 1)
                continue
            }
            result.lines[key] = index + 1
            var expression = String(line[line.index(after: equals)...]).trimmingSpaces
            if let comment = expression.firstRange(of: "  #") ?? expression.firstRange(of: " # ") { expression = String(expression[..<comment.lowerBound]).trimmingSpaces }
            if key == "MAIL_PASSWORD", let variable = environmentVariable(in: expression) {
                result.passwordVariable = variable
                continue
            }
            if let value = evaluate(expression, environment: environment) {
                result.values[key] = value
            } else {
                result.unreadable.append((index + 1, "cannot read \(key) = \(expression); set it by hand"))
            }
        }
        return result
    }

    /// The variable name in `os.environ.get('V'...)`, `os.environ['V']` or `os.getenv('V'...)`.
    static func environmentVariable(in expression: String) -> String? {
        for prefix in ["os.environ.get(", "environ.get(", "os.getenv(", "getenv(", "os.environ[", "environ["] {
            guard let range = expression.firstRange(of: prefix) else { continue }
            let rest = expression[range.upperBound...].trimmingSpaces
            guard let quote = rest.first, quote == "'" || quote == "\"" else { return nil }
            let name = rest.dropFirst().prefix(while: { $0 != quote })
            return name.isEmpty ? nil : String(name)
        }
        return nil
    }

    static func evaluate(_ expression: String, environment: [String: String]) -> FlaskValue? {
        let e = expression.trimmingSpaces
        // `os.environ.get('V', 'true').lower() in ['true', 'on', '1']`, and `... == 'true'`.
        if let membership = e.firstRange(of: " in [") ?? e.firstRange(of: " in (") ?? e.firstRange(of: " in {"), e.hasSuffix("]") || e.hasSuffix(")") || e.hasSuffix("}") {
            guard let value = evaluateText(String(e[..<membership.lowerBound]), environment: environment) else { return nil }
            let list = String(e[membership.upperBound...].dropLast())
            let items = Mailbox.splitList(list).map { $0.trimmingSpaces }.filter { !$0.isEmpty }.compactMap(pythonString)
            return .bool(items.contains(value))
        }
        for (operatorText, equal) in [(" == ", true), (" != ", false)] {
            guard let range = e.firstRange(of: operatorText), let literal = pythonString(String(e[range.upperBound...]).trimmingSpaces),
                  let value = evaluateText(String(e[..<range.lowerBound]), environment: environment) else { continue }
            return .bool((value == literal) == equal)
        }
        if e.hasSuffix(" is not None"), let variable = environmentVariable(in: e) { return .bool(environment[variable] != nil) }
        if e.hasPrefix("int(") && e.hasSuffix(")") {
            let inner = evaluate(String(e.dropFirst(4).dropLast()), environment: environment)
            if case .string(let s)? = inner { return Int(s.trimmingSpaces).map(FlaskValue.int) }
            return inner
        }
        if let orRange = e.firstRange(of: " or "), environmentVariable(in: String(e[..<orRange.lowerBound])) != nil {
            let first = evaluate(String(e[..<orRange.lowerBound]), environment: environment)
            if let first, first.truthy { return first }
            return evaluate(String(e[orRange.upperBound...]), environment: environment)
        }
        if let variable = environmentVariable(in: e) {
            if let value = environment[variable] { return .string(value) }
            // The default after the name: os.environ.get('V', default).
            if let comma = e.firstIndex(of: ","), e.hasSuffix(")") {
                return evaluate(String(e[e.index(after: comma)...].dropLast()), environment: environment)
            }
            return FlaskValue.none
        }
        if e == "True" { return .bool(true) }
        if e == "False" { return .bool(false) }
        if e == "None" { return FlaskValue.none }
        if let n = Int(e) { return .int(n) }
        if let s = pythonString(e) { return .string(s) }
        if e.hasPrefix("(") && e.hasSuffix(")") {
            let parts = Mailbox.splitList(String(e.dropFirst().dropLast())).map { $0.trimmingSpaces }.filter { !$0.isEmpty }
            if parts.count == 2, let name = pythonString(parts[0]), let address = pythonString(parts[1]) { return .pair(name, address) }
        }
        return nil
    }

    /// A string-valued expression, with `.lower()`, `.upper()` and `.strip()` applied.
    static func evaluateText(_ expression: String, environment: [String: String]) -> String? {
        var e = expression.trimmingSpaces
        var transforms: [(String) -> String] = []
        while true {
            if e.hasSuffix(".lower()") { e.removeLast(8); transforms.append { $0.lowercased() } } else if e.hasSuffix(".upper()") {
                e.removeLast(8); transforms.append { $0.uppercased() }
            } else if e.hasSuffix(".strip()") { e.removeLast(8); transforms.append { $0.trimmingSpaces } } else { break }
        }
        if e.hasPrefix("(") && e.hasSuffix(")") && environmentVariable(in: e) != nil { e = String(e.dropFirst().dropLast()) }
        guard let value = evaluate(e, environment: environment), case .string(var text) = value else { return nil }
        for transform in transforms.reversed() { text = transform(text) }
        return text
    }

    static func pythonString(_ e: String) -> String? {
        guard e.count >= 2, let q = e.first, q == "'" || q == "\"", e.last == q else { return nil }
        return String(e.dropFirst().dropLast())
    }
}

/// The process environment as a dictionary (FoundationEssentials has no ProcessInfo.environment here).
public enum ProcessEnvironment {
    public static func all() -> [String: String] {
        var result: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") { result[String(text[..<equals])] = String(text[text.index(after: equals)...]) }
            pointer += 1
        }
        return result
    }
}
