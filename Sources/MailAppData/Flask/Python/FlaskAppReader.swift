#if canImport(Glibc)
import Glibc
#endif

/// Runs an app's Python config code the way the app would, far enough to know what `app.config`
/// holds for MAIL_* when Flask-Mail reads it: module and class assignments, `app.config[...] =`,
/// `update`, `from_mapping`, `from_object`, `from_pyfile`, `from_prefixed_env`, imports of the
/// app's own modules, factories and small helper functions. What it cannot evaluate is kept as
/// `.unknown` with the reason, never replaced by a default.
final class FlaskAppReader {
    /// Where a config key was set, to what, and which environment variables that read.
    struct Entry {
        var value: PythonValue
        var path: String
        var line: Int
        var reads: [String] = []
    }
    /// Mail(app) or init_app(app): the config Flask-Mail read, and where.
    struct MailMade {
        var path: String
        var line: Int
        var config: [String: Entry]
    }
    /// Something worth saying about the code itself, at its line.
    struct Remark {
        var severity: FlaskFinding.Severity
        var path: String
        var line: Int
        var text: String
    }

    var environment: [String: String]
    /// Names whose value came from a .env file (not from the process environment).
    var fromDotenv: Set<String> = []
    let files: FlaskFiles
    var modules: [String: PythonModule] = [:]
    var config: [String: Entry] = [:]
    var mailMade: MailMade?
    var appMade = false
    var instanceRelative = false
    var appRoot: String?
    var remarks: [Remark] = []
    var loadedDotenv: Set<String> = []
    /// Environment variables read by the statement being run.
    var reads: [String] = []
    var steps = 0
    var callDepth = 0
    var evaluationDepth = 0
    static let maximumEvaluationDepth = 150
    static let maximumSteps = 200_000
    static let maximumCallDepth = 24
    static let maximumModules = 64

    init(environment: [String: String], files: FlaskFiles) {
        self.environment = environment
        self.files = files
    }

    // MARK: Modules

    /// The project root: the first folder above the entry that is not a package.
    var root = ""

    func module(path: String, name: String) -> PythonModule? {
        if let m = modules[path] { return m }
        guard modules.count < Self.maximumModules, let text = files.read(path) else { return nil }
        let m = PythonModule(path: path, name: name)
        modules[path] = m
        m.statements = PythonModuleParser.parse(text)
        m.names["__name__"] = .string(name)
        m.names["__file__"] = .string(path)
        _ = run(m.statements, scope: Scope(module: m))
        return m
    }

    /// The file of an absolute module name, from the project root or beside the importer.
    func resolve(_ dotted: String, from importer: PythonModule?) -> (path: String, name: String)? {
        let relative = dotted.replacing(".", with: "/")
        var bases = [root]
        if let importer { bases.append(FlaskFiles.directory(of: importer.path)) }
        for base in bases {
            let prefix = base == "." ? "" : base + "/"
            for candidate in [prefix + relative + ".py", prefix + relative + "/__init__.py"] where files.exists(candidate) {
                return (candidate, dotted)
            }
        }
        return nil
    }

    func importModule(_ dotted: String, from importer: PythonModule?) -> PythonValue {
        if let known = Self.libraries[dotted] { return .builtin(known) }
        guard let found = resolve(dotted, from: importer) else {
            return .unknown("module \(dotted) is not a file of the app")
        }
        guard let m = module(path: found.path, name: found.name) else { return .unknown("module \(dotted) cannot be read") }
        return .module(m)
    }

    /// Python's and libraries' modules that mailtui knows the meaning of.
    static let libraries: [String: String] = [
        "os": "os", "os.path": "os.path", "distutils.util": "distutils.util", "distutils": "distutils",
        "dotenv": "dotenv", "json": "json", "flask": "flask", "flask_mail": "flask_mail", "sys": "sys",
    ]

    // MARK: The environment and .env files

    /// Loads a .env file as python-dotenv's load_dotenv does: variables already set win unless `override`.
    func loadDotenv(_ path: String, override: Bool = false) {
        guard !loadedDotenv.contains(path), let text = files.read(path) else { return }
        loadedDotenv.insert(path)
        for (key, value) in Dotenv.parse(text).bindings {
            guard let value else { continue }
            if override || environment[key] == nil {
                environment[key] = value
                fromDotenv.insert(key)
            }
        }
    }

    /// `load_dotenv()` with no path: the nearest .env from the calling file's folder upwards.
    func findDotenv(from path: String) -> String? {
        var directory = FlaskFiles.directory(of: path)
        for _ in 0..<8 {
            if files.exists(directory + "/.env") { return directory + "/.env" }
            let parent = FlaskFiles.directory(of: directory)
            if parent == directory || parent.isEmpty { break }
            directory = parent
        }
        return nil
    }

    // MARK: app.config

    func setConfig(_ key: String, _ value: PythonValue, path: String, line: Int, reads: [String]? = nil) {
        config[key] = Entry(value: value, path: path, line: line, reads: reads ?? self.reads)
    }

    /// Flask-Mail reads the config now.
    func mailInitialised(path: String, line: Int) {
        if mailMade == nil { mailMade = MailMade(path: path, line: line, config: config) }
    }

    func remark(_ severity: FlaskFinding.Severity, _ path: String, _ line: Int, _ text: String) {
        guard !remarks.contains(where: { $0.path == path && $0.line == line && $0.text == text }) else { return }
        remarks.append(Remark(severity: severity, path: path, line: line, text: text))
    }
}

/// The names visible to running code: a function's or class's own, then its module's.
final class Scope {
    let module: PythonModule
    var locals: [String: PythonValue]?
    /// A class body being run.
    var classBeingBuilt: PythonClass?

    init(module: PythonModule, locals: [String: PythonValue]? = nil) {
        self.module = module
        self.locals = locals
    }

    func lookup(_ name: String) -> PythonValue? {
        if let v = classBeingBuilt?.attributes[name] { return v }
        if let v = locals?[name] { return v }
        return module.names[name]
    }

    func assign(_ name: String, _ value: PythonValue, line: Int, reads: [String] = []) {
        if let c = classBeingBuilt {
            c.attributes[name] = value
            c.lines[name] = line
            c.reads[name] = reads
        } else if locals != nil {
            locals?[name] = value
        } else {
            module.names[name] = value
            module.lines[name] = line
            module.reads[name] = reads
        }
    }
}

/// The files of the app, read through one door so that tests and the CLI see the same thing.
struct FlaskFiles {
    var read: @Sendable (String) -> String?
    var exists: @Sendable (String) -> Bool

    /// The app's files on disk: regular files only, up to `PythonLines.maximumBytes`.
    static let disk = FlaskFiles(read: { path in
        guard isFile(path), let bytes = FileContents.read(path), bytes.count <= PythonLines.maximumBytes else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }, exists: isFile)

    private static func isFile(_ path: String) -> Bool {
        var info = stat()
        return RawPath.stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
