/// Calls: Python's builtins and string methods, the environment, python-dotenv, Flask, Flask-Mail,
/// app.config's loaders, and the app's own functions.
extension FlaskAppReader {
    func call(_ f: PythonValue, _ a: [PythonValue], _ k: [String: PythonValue], keywordOrder: [String] = [], scope: Scope, line: Int,
              procedure: Bool) -> PythonValue {
        let path = scope.module.path
        let first = a.first ?? k["key"] ?? PythonValue.none
        switch f {
        case .unknown: return f
        case .function(let function):
            return call(function, a, k, line: line, procedure: procedure)
        case .classObject(let c):
            return .unknown("an instance of \(c.name)")
        case .builtin(let name):
            return builtin(name, a, k, path: path, line: line)
        case .method(.appConfig, let method):
            return configMethod(method, a, k, keywordOrder: keywordOrder, path: path, line: line)
        case .method(.mailExtension, "init_app"):
            if case .flaskApp? = a.first { mailInitialised(path: path, line: line) }
            return PythonValue.none
        case .method(.flaskApp, _):
            return .unknown("a method of the app")
        case .method(.builtin("os.environ"), "get"):
            return builtin("os.environ.get", a, k, path: path, line: line)
        case .method(.string(let s), let method):
            return stringMethod(s, method, a)
        case .method(.none, let method):
            return .unknown("the app fails at start-up: None has no .\(method)() (AttributeError), because the variable it reads is not set")
        case .method(.dict(let items), "get"):
            for item in items where item.key.equals(first) == true { return item.value }
            return a.count > 1 ? a[1] : PythonValue.none
        default:
            _ = first
            return .unknown("a call mailtui does not evaluate")
        }
    }

    private func builtin(_ name: String, _ a: [PythonValue], _ k: [String: PythonValue], path: String, line: Int) -> PythonValue {
        let first = a.first ?? PythonValue.none
        if let u = a.first(where: \.isUnknown), !["flask.Flask", "flask_mail.Mail", "dotenv.load_dotenv", "isinstance"].contains(name) { return u }
        switch name {
        case "os.environ.get", "os.getenv":
            guard case .string(let variable) = first else { return .unknown("an environment variable named by a value mailtui cannot evaluate") }
            reads.append(variable)
            if let v = environment[variable] { return .string(v) }
            return a.count > 1 ? a[1] : (k["default"] ?? PythonValue.none)
        case "os.environ.setdefault":
            if case .string(let variable) = first, case .string(let v)? = a.dropFirst().first, environment[variable] == nil { environment[variable] = v }
            return first
        case "int":
            switch first {
            case .integer: return first
            case .boolean(let b): return .integer(b ? 1 : 0)
            case .float(let d): return .integer(Int(d))
            case .string(let s):
                if let n = Int(s.trimmingSpaces.replacing("_", with: "")) { return .integer(n) }
                return .unknown("the app fails at start-up: int(\"\(s)\") raises ValueError")
            default: return .unknown("the app fails at start-up: int(\(first.str ?? "this value")) raises TypeError, because the variable it reads is not set")
            }
        case "float":
            if case .string(let s) = first, let d = Double(s.trimmingSpaces) { return .float(d) }
            return first.number.map(PythonValue.float) ?? .unknown("float() of this value")
        case "str":
            return first.str.map(PythonValue.string) ?? .unknown("str() of this value")
        case "bool":
            if case .string(let text) = first, FlaskValue.string(text).looksFalseButIsTrue {
                remark(.warning, path, line, "bool(\"\(text)\") is True: bool() of any non-empty string is True, so the app reads this \"\(text)\" as on. Compare the text instead (os.environ.get(...).lower() in (\"1\", \"true\")).")
            }
            return a.isEmpty ? .boolean(false) : (first.truthy.map(PythonValue.boolean) ?? .unknown("bool() of this value"))
        case "distutils.util.strtobool":
            guard case .string(let s) = first else {
                return .unknown("the app fails at start-up: strtobool(\(first.str ?? "this value")) raises AttributeError, because the variable it reads is not set")
            }
            switch s.lowercased() {
            case "y", "yes", "t", "true", "on", "1": return .integer(1)
            case "n", "no", "f", "false", "off", "0": return .integer(0)
            default: return .unknown("the app fails at start-up: strtobool(\"\(s)\") raises ValueError")
            }
        case "dict":
            var items: [(key: PythonValue, value: PythonValue)] = []
            if case .dict(let d) = first { items = d }
            for (key, value) in k.sorted(by: { $0.key < $1.key }) { items.append((.string(key), value)) }
            return .dict(items)
        case "isinstance", "len", "list", "tuple":
            return .unknown("\(name)()")
        case "json.loads":
            guard case .string(let s) = first else { return .unknown("json.loads of this value") }
            return jsonValue(s) ?? .unknown("the app fails: json.loads(\"\(s)\") raises an error")
        case "dotenv.find_dotenv":
            return findDotenv(from: path).map(PythonValue.string) ?? .string("")
        case "dotenv.load_dotenv":
            let override = k["override"]?.truthy ?? false
            if case .string(let p) = a.first ?? k["dotenv_path"] ?? PythonValue.none, !p.isEmpty {
                loadDotenv(p.hasPrefix("/") ? p : FlaskFiles.directory(of: path) + "/" + p, override: override)
            } else if let found = findDotenv(from: path) {
                loadDotenv(found, override: override)
            }
            return .boolean(true)
        case "dotenv.dotenv_values":
            return .unknown("dotenv_values()")
        case "flask.Flask":
            appMade = true
            if k["instance_relative_config"]?.truthy == true { instanceRelative = true }
            if appRoot == nil { appRoot = FlaskFiles.directory(of: path) }
            return .flaskApp
        case "flask_mail.Mail":
            if case .flaskApp? = a.first { mailInitialised(path: path, line: line) }
            return .mailExtension
        default:
            return .unknown("\(name)() is not something mailtui evaluates")
        }
    }

    private func stringMethod(_ s: String, _ method: String, _ a: [PythonValue]) -> PythonValue {
        switch method {
        case "lower", "casefold": return .string(s.lowercased())
        case "upper": return .string(s.uppercased())
        case "strip": return .string(s.trimmingSpaces)
        case "lstrip": return .string(String(s.drop(while: { $0 == " " || $0 == "\t" || $0 == "\n" })))
        case "rstrip": return .string(String(s.reversed().drop(while: { $0 == " " || $0 == "\t" || $0 == "\n" }).reversed()))
        case "title", "capitalize": return .string(s.prefix(1).uppercased() + s.dropFirst().lowercased())
        case "replace":
            guard a.count >= 2, case .string(let x) = a[0], case .string(let y) = a[1], !x.isEmpty else { return .unknown("replace()") }
            return .string(s.replacing(x, with: y))
        case "startswith", "endswith":
            guard case .string(let x)? = a.first else { return .unknown("\(method)()") }
            return .boolean(method == "startswith" ? s.hasPrefix(x) : s.hasSuffix(x))
        default:
            return .unknown("the string method \(method)()")
        }
    }

    /// A JSON text as Python's json.loads gives it, for the scalars environment variables hold.
    func jsonValue(_ text: String) -> PythonValue? {
        let t = text.trimmingSpaces
        switch t {
        case "true": return .boolean(true)
        case "false": return .boolean(false)
        case "null": return PythonValue.none
        default: break
        }
        if let n = Int(t), !t.hasPrefix("+"), !(t.hasPrefix("0") && t.count > 1), !(t.hasPrefix("-0") && t.count > 2) { return .integer(n) }
        if t.count >= 2, t.hasPrefix("\""), t.hasSuffix("\""), !t.dropFirst().dropLast().contains("\\"), !t.dropFirst().dropLast().contains("\"") {
            return .string(String(t.dropFirst().dropLast()))
        }
        if t.first.map({ $0.isNumber || $0 == "-" }) == true, let d = Double(t), !t.hasPrefix("+"), !t.lowercased().contains("n") { return .float(d) }
        return nil
    }
}
