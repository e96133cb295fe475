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
        /// The file of each key when it is not `path` (a class in another module, a from_pyfile file).
        public var files: [String: String] = [:]
        /// What follows `=` on a .env line, exactly as written (quotes and spaces kept).
        public var written: [String: String] = [:]
        /// Mail-looking keys that are not MAIL_* (EMAIL_HOST, DEFAULT_MAIL_SENDER, SMTP_HOST...), with their lines.
        public var otherKeys: [String: Int] = [:]
        /// MAIL_* keys the app sets to something mailtui cannot evaluate, with the reason: nothing
        /// is assumed about them.
        public var unknown: [String: String] = [:]
        /// MAIL_PASSWORD read from this environment variable at send time (not now).
        public var passwordVariable: String?
        /// Whether that variable is set in the environment the config was read with.
        public var passwordVariableSet = false
        /// Lines that could not be read, with their numbers.
        public var unreadable: [(line: Int, text: String)] = []
        /// What reading the code found (Mail(app) before the config, loaders not followed...).
        public var findings: [FlaskFinding] = []

        public init(kind: Kind = .environment, path: String? = nil) {
            self.kind = kind
            self.path = path
        }

        public static func == (a: Values, b: Values) -> Bool {
            a.kind == b.kind && a.path == b.path && a.values == b.values && a.lines == b.lines && a.written == b.written
                && a.otherKeys == b.otherKeys && a.passwordVariable == b.passwordVariable && a.files == b.files && a.unknown == b.unknown
                && a.unreadable.map(\.line) == b.unreadable.map(\.line) && a.unreadable.map(\.text) == b.unreadable.map(\.text)
                && a.findings == b.findings && a.passwordVariableSet == b.passwordVariableSet
        }

        /// Records a key that is not MAIL_* but looks like mail configuration.
        mutating func noteOther(_ key: String, line: Int) {
            guard !key.hasPrefix("MAIL_"), FlaskKeys.looksLikeMail(key), otherKeys[key] == nil else { return }
            otherKeys[key] = line
        }

        /// The file a key was set in.
        public func file(of key: String) -> String? { files[key] ?? path }
    }

    /// A .env file as python-dotenv reads it (see `Dotenv`): the lines it rejects are skipped and
    /// said, `KEY=""` is an empty value, a key without `=` sets nothing.
    public static func dotenv(_ text: String, path: String? = nil) -> Values {
        var result = Values(kind: .dotenv, path: path)
        let parsed = Dotenv.parse(text)
        for error in parsed.errors {
            let key = String(error.text.prefix(while: { $0 != "=" })).trimmingSpaces
            let what = key.hasPrefix("MAIL_") ? ", so \(key) is not set" : ""
            result.unreadable.append((error.line, "python-dotenv cannot parse \"\(error.text.visibleControls)\" and skips the line\(what) (a quoted value must end the line: nothing but a comment may follow the closing quote)"))
        }
        for b in parsed.entries {
            var key = b.key
            if key.unicodeScalars.first == "\u{FEFF}" {
                key.unicodeScalars.removeFirst()
                result.unreadable.append((b.line, "the file begins with a byte-order mark (saved as \"UTF-8 with BOM\"): python-dotenv reads the first key as \"\\ufeff\(key)\", so \(key) is not set. Save the file as UTF-8 without BOM"))
                continue
            }
            guard key.hasPrefix("MAIL_") else {
                result.noteOther(key, line: b.line)
                continue
            }
            guard let value = b.value else {
                result.unreadable.append((b.line, "\(key) has no '=': python-dotenv gives it no value, so the app does not set it"))
                continue
            }
            result.written[key] = b.written.hasSuffix("\r") ? String(b.written.dropLast()) : b.written
            result.lines[key] = b.line
            if value.contains("${") {
                result.unknown[key] = "python-dotenv expands ${...} in it from other variables"
                result.values[key] = nil
                continue
            }
            result.unknown[key] = nil
            result.values[key] = .string(value)
        }
        return result
    }

    /// MAIL_* from an environment.
    public static func environment(_ env: [String: String] = ProcessEnvironment.all()) -> Values {
        var result = Values(kind: .environment)
        for (key, value) in env {
            if key.hasPrefix("MAIL_") { result.values[key] = .string(value) } else { result.noteOther(key, line: 0) }
        }
        return result
    }

    /// A Python config module or app module given as text (its imports are read from disk beside
    /// `path`). See `app(entry:environment:dotenvFile:)`.
    public static func pythonConfig(_ text: String, path: String? = nil, environment: [String: String] = ProcessEnvironment.all()) -> Values {
        let entry = path ?? "config.py"
        let files = FlaskFiles(read: { $0 == entry ? text : FlaskFiles.disk.read($0) }, exists: { $0 == entry || FlaskFiles.disk.exists($0) })
        var values = read(entry: entry, environment: environment, dotenvFile: nil, files: files)
        if path == nil {
            values.path = nil
            values.files = values.files.filter { $0.value != entry }
            values.findings = values.findings.map { var f = $0; if f.file == entry { f.file = nil }; return f }
        }
        return values
    }

    /// The app's MAIL_* settings as Flask-Mail will see them when the app starts: `entry` is the
    /// app's module (app.py, `package/__init__.py`, a factory's module) or a config module; its
    /// imports, classes, loaders and helper functions are followed. A `dotenvFile` is loaded into
    /// the environment first, as `load_dotenv()` would (variables already set win).
    public static func app(entry: String, environment: [String: String] = ProcessEnvironment.all(), dotenvFile: String? = nil) -> Values {
        read(entry: entry, environment: environment, dotenvFile: dotenvFile, files: .disk)
    }

    static func read(entry: String, environment: [String: String], dotenvFile: String?, files: FlaskFiles) -> Values {
        let reader = FlaskAppReader(environment: environment, files: files)
        if let dotenvFile { reader.loadDotenv(dotenvFile) }
        reader.readEntry(entry)
        return reader.values(path: entry)
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
