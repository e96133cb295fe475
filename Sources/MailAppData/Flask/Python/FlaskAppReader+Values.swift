/// The entry point: read an app's module (or a config module) and say what Flask-Mail will see.
extension FlaskAppReader {
    /// Reads `path` as the app's entry module. With `flaskRun`, `.flaskenv` and `.env` beside it are
    /// loaded first, as `flask run` does.
    func readEntry(_ path: String) {
        var directory = FlaskFiles.directory(of: path)
        while files.exists(directory + "/__init__.py") {
            let parent = FlaskFiles.directory(of: directory)
            if parent == directory { break }
            directory = parent
        }
        root = directory
        let flaskenv = FlaskFiles.directory(of: path) + "/.flaskenv"
        let rootFlaskenv = root + "/.flaskenv"
        for candidate in Set([flaskenv, rootFlaskenv]).sorted() where files.exists(candidate) {
            // `flask run` loads .env over .flaskenv, both under the variables already set.
            if let env = findDotenv(from: candidate) { loadDotenv(env) }
            loadDotenv(candidate)
            remark(.note, candidate, 0, "\(candidate) is read as `flask run` reads it (with .env beside it): its variables are in the environment the config sees. Started another way (gunicorn, python app.py), the app does not read it.")
        }
        let relative = path.hasPrefix(root + "/") ? String(path.dropFirst(root.count + 1)) : path
        let name = relative.replacing("/__init__.py", with: "").replacing(".py", with: "").replacing("/", with: ".")
        guard let m = module(path: path, name: name) else { return }
        // A factory the module only defines: run it as the app would when started.
        if !appMade, mailMade == nil {
            for factory in ["create_app", "make_app", "create_application", "app_factory"] {
                if case .function(let f)? = m.names[factory] {
                    _ = call(f, [], [:], line: f.line, procedure: true)
                    break
                }
            }
        }
        // A config module alone: its top-level names, else its classes (which must agree).
        if !appMade && config.isEmpty {
            let own = m.names.keys.filter { $0.hasPrefix("MAIL_") }
            if !own.isEmpty {
                copyUpperCase(m, path: path)
            } else {
                let classes = m.names.values.compactMap { v -> PythonClass? in
                    if case .classObject(let c) = v, c.module === m, c.upperCaseNames.contains(where: { $0.hasPrefix("MAIL_") || FlaskKeys.looksLikeMail($0) }) { return c }
                    return nil
                }.sorted { ($0.lines.values.min() ?? 0) < ($1.lines.values.min() ?? 0) }
                if !classes.isEmpty {
                    loadObjects(classes.map(PythonValue.classObject), why: "which class the app passes to from_object", importer: m, path: path, line: 0)
                }
            }
        }
    }

    /// What Flask-Mail reads, as `FlaskSources.Values`.
    func values(path: String) -> FlaskSources.Values {
        var result = FlaskSources.Values(kind: .python, path: path)
        var table = config
        if let made = mailMade {
            table = made.config
            let late = config.filter { key, entry in
                guard FlaskKeys.known.contains(key) else { return false }
                guard let before = made.config[key] else { return true }
                return before.path != entry.path || before.line != entry.line
            }.sorted { ($0.value.path, $0.value.line) < ($1.value.path, $1.value.line) }
            if let firstLate = late.first {
                let keys = late.map { "\($0.key) (\($0.value.path):\($0.value.line))" }.joined(separator: ", ")
                result.findings.append(FlaskFinding(severity: .problem, file: made.path, line: made.line,
                    message: "Flask-Mail is set up here (Mail(app) or init_app(app)) before the app sets \(keys): Flask-Mail reads the config once, at that moment, so the app uses Flask-Mail's defaults for \(late.count == 1 ? "it" : "them") (server 127.0.0.1, port 25, no TLS, no login). Move Mail(app)/init_app(app) after the config lines (after \(firstLate.value.path):\(firstLate.value.line))."))
            }
        }
        for key in table.keys.sorted() {
            guard let entry = table[key] else { continue }
            if key.hasPrefix("MAIL_") {
                result.lines[key] = entry.line
                result.files[key] = entry.path
                if let v = entry.value.flaskValue {
                    result.values[key] = v
                } else {
                    let why: String
                    if case .unknown(let reason) = entry.value { why = reason } else { why = "its value is not a string, number or boolean" }
                    result.unknown[key] = why
                }
            } else if FlaskKeys.looksLikeMail(key) {
                result.otherKeys[key] = entry.line
                result.files[key] = entry.path
            }
        }
        if let entry = table["MAIL_PASSWORD"] {
            let variable = entry.reads.first { name in
                guard !fromDotenv.contains(name) else { return false }
                if case .string(let s) = entry.value { return environment[name] == s }
                if case .none = entry.value { return environment[name] == nil }
                return false
            }
            if let variable {
                result.passwordVariable = variable
                result.passwordVariableSet = environment[variable] != nil
            }
        }
        for r in remarks {
            result.findings.append(FlaskFinding(severity: r.severity, file: r.path, line: r.line > 0 ? r.line : nil, message: r.text))
        }
        return result
    }
}
