/// A value while a config module is evaluated. What mailtui cannot evaluate is `.unknown`, with the
/// reason in words, so that nothing is guessed from it.
indirect enum PythonValue {
    case string(String)
    case integer(Int)
    case float(Double)
    case boolean(Bool)
    case none
    case tuple([PythonValue])
    case list([PythonValue])
    case dict([(key: PythonValue, value: PythonValue)])
    case unknown(String)
    /// A module of the app, by file path.
    case module(PythonModule)
    /// Something of Python or a library, by dotted name: `os.environ.get`, `int`, `strtobool`.
    case builtin(String)
    /// A method of a value: `'x'.lower`, `config.get`.
    case method(PythonValue, String)
    case function(PythonFunction)
    case classObject(PythonClass)
    case flaskApp
    case appConfig
    case mailExtension

    var isUnknown: Bool { if case .unknown = self { return true }; return false }

    /// Python's truth value, or nil when unknown.
    var truthy: Bool? {
        switch self {
        case .string(let s): !s.isEmpty
        case .integer(let n): n != 0
        case .float(let d): d != 0
        case .boolean(let b): b
        case .none: false
        case .tuple(let a), .list(let a): !a.isEmpty
        case .dict(let d): !d.isEmpty
        case .unknown: nil
        default: true
        }
    }

    /// `str()` of a value, for strings, numbers, booleans and None.
    var str: String? {
        switch self {
        case .string(let s): s
        case .integer(let n): String(n)
        case .float(let d): String(d)
        case .boolean(let b): b ? "True" : "False"
        case .none: "None"
        default: nil
        }
    }

    /// Equality as Python compares these values (1 == True, 1 == 1.0); nil when unknown.
    func equals(_ other: PythonValue) -> Bool? {
        switch (self, other) {
        case (.unknown, _), (_, .unknown): return nil
        case (.string(let a), .string(let b)): return a == b
        case (.none, .none): return true
        case (.tuple(let a), .tuple(let b)), (.list(let a), .list(let b)):
            guard a.count == b.count else { return false }
            for (x, y) in zip(a, b) {
                guard let e = x.equals(y) else { return nil }
                if !e { return false }
            }
            return true
        default:
            if let x = number, let y = other.number { return x == y }
            return false
        }
    }

    var number: Double? {
        switch self {
        case .integer(let n): Double(n)
        case .float(let d): d
        case .boolean(let b): b ? 1 : 0
        default: nil
        }
    }

    /// The value as Flask-Mail's config sees it, or nil for what has no FlaskValue.
    var flaskValue: FlaskValue? {
        switch self {
        case .string(let s): .string(s)
        case .integer(let n): .int(n)
        case .boolean(let b): .bool(b)
        case .none: FlaskValue.none
        case .float(let d): .string(String(d))
        case .tuple(let items) where items.count == 2:
            if case .string(let name) = items[0], case .string(let address) = items[1] { .pair(name, address) } else { nil }
        default: nil
        }
    }
}

/// A module being read: its file, its names, and whether it has run.
final class PythonModule {
    let path: String
    /// The dotted name it was imported by, for relative imports.
    let name: String
    var names: [String: PythonValue] = [:]
    /// The line each module-level name was last set on, and the environment variables it read.
    var lines: [String: Int] = [:]
    var reads: [String: [String]] = [:]
    var statements: [PythonStatement] = []

    init(path: String, name: String) {
        self.path = path
        self.name = name
    }

    /// The package a relative import starts from.
    var package: String {
        path.hasSuffix("/__init__.py") ? name : name.split(separator: ".").dropLast().joined(separator: ".")
    }
}

/// A function defined in a module.
final class PythonFunction {
    let name: String
    let parameters: [PythonStatement.Parameter]
    let body: [PythonStatement]
    let module: PythonModule
    let line: Int

    init(name: String, parameters: [PythonStatement.Parameter], body: [PythonStatement], module: PythonModule, line: Int) {
        self.name = name
        self.parameters = parameters
        self.body = body
        self.module = module
        self.line = line
    }
}

/// A class: its own attributes (with their lines) and its bases, searched in order as Python's
/// attribute lookup does for single inheritance chains.
final class PythonClass {
    let name: String
    let bases: [PythonClass]
    var attributes: [String: PythonValue] = [:]
    var lines: [String: Int] = [:]
    var reads: [String: [String]] = [:]
    let module: PythonModule

    init(name: String, bases: [PythonClass], module: PythonModule) {
        self.name = name
        self.bases = bases
        self.module = module
    }

    /// The attribute and where it is set, looked up through the bases.
    func lookup(_ name: String) -> (value: PythonValue, path: String, line: Int, reads: [String])? {
        if let v = attributes[name] { return (v, module.path, lines[name] ?? 0, reads[name] ?? []) }
        for base in bases { if let found = base.lookup(name) { return found } }
        return nil
    }

    /// Upper-case attributes, as `from_object` copies them, through the bases.
    var upperCaseNames: [String] {
        var seen = Set<String>(), result: [String] = []
        func walk(_ c: PythonClass) {
            for key in c.attributes.keys.sorted(by: { (c.lines[$0] ?? 0) < (c.lines[$1] ?? 0) }) where key == key.uppercased() && seen.insert(key).inserted { result.append(key) }
            for b in c.bases { walk(b) }
        }
        walk(self)
        return result
    }
}
