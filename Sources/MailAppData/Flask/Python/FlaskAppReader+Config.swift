/// `app.config`'s loaders, as Flask implements them.
extension FlaskAppReader {
    func configMethod(_ method: String, _ a: [PythonValue], _ k: [String: PythonValue], keywordOrder: [String], path: String, line: Int) -> PythonValue {
        switch method {
        case "update", "from_mapping":
            if let mapping = a.first {
                switch mapping {
                case .dict(let items):
                    for item in items { if case .string(let key) = item.key { setConfig(key, item.value, path: path, line: line) } }
                case .none where method == "from_mapping":
                    break
                case .unknown(let why):
                    remark(.warning, path, line, "cannot read app.config.\(method)(...) at \(path):\(line): \(why); the MAIL_* keys it sets are not known")
                    markAllUnknown(why: why, path: path, line: line)
                default:
                    markAllUnknown(why: "app.config.\(method) of a value mailtui cannot evaluate", path: path, line: line)
                }
            }
            for name in keywordOrder + k.keys.filter({ !keywordOrder.contains($0) }).sorted() {
                if let v = k[name] { setConfig(name, v, path: path, line: line) }
            }
            return PythonValue.none
        case "from_pyfile":
            guard case .string(let name) = a.first ?? PythonValue.none else { return .unknown("from_pyfile of a name mailtui cannot evaluate") }
            let silent = (a.count > 1 ? a[1] : k["silent"])?.truthy ?? false
            var file = name
            if !name.hasPrefix("/") {
                let base = instanceRelative ? instanceFolder : (appRoot ?? FlaskFiles.directory(of: path))
                file = base + "/" + name
            }
            guard files.exists(file), let text = files.read(file) else {
                if !silent { remark(.problem, path, line, "the app fails at start-up: from_pyfile('\(name)') finds no \(file)") }
                return .boolean(false)
            }
            let m = PythonModule(path: file, name: "config")
            m.statements = PythonModuleParser.parse(text)
            _ = run(m.statements, scope: Scope(module: m))
            copyUpperCase(m, path: file)
            return .boolean(true)
        case "from_prefixed_env":
            let prefix = (a.first ?? k["prefix"])?.str ?? "FLASK"
            let loads = k["loads"] ?? .builtin("json.loads")
            for name in environment.keys.sorted() where name.hasPrefix(prefix + "_") {
                let key = String(name.dropFirst(prefix.count + 1))
                guard !key.contains("__"), let raw = environment[name] else { continue }
                reads = [name]
                var value: PythonValue
                switch loads {
                case .builtin("json.loads"): value = jsonValue(raw) ?? .string(raw)
                case .builtin("str"): value = .string(raw)
                default: value = .unknown("from_prefixed_env's loads function")
                }
                if value.isUnknown { value = .unknown("from_prefixed_env(loads=...) with a function mailtui does not evaluate") }
                setConfig(key, value, path: path, line: line, reads: [name])
            }
            return .boolean(true)
        case "from_envvar":
            remark(.warning, path, line, "app.config.from_envvar(...) at \(path):\(line) loads a file named by an environment variable; mailtui does not follow it, so MAIL_* keys set there are not read")
            return .boolean(true)
        case "get":
            guard case .string(let key) = a.first ?? PythonValue.none else { return .unknown("app.config.get of an unknown key") }
            return config[key]?.value ?? (a.count > 1 ? a[1] : PythonValue.none)
        case "setdefault":
            guard case .string(let key) = a.first ?? PythonValue.none else { return PythonValue.none }
            if config[key] == nil { setConfig(key, a.count > 1 ? a[1] : PythonValue.none, path: path, line: line) }
            return config[key]?.value ?? PythonValue.none
        default:
            return .unknown("app.config.\(method)()")
        }
    }

    var instanceFolder: String {
        let base = appRoot ?? root
        let package = files.exists(base + "/__init__.py")
        return (package ? FlaskFiles.directory(of: base) : base) + "/instance"
    }

    /// from_object: a class (through its bases), a module, or a dotted name of either. A class
    /// chosen by a key mailtui cannot evaluate (`config[config_name]`) is read from every
    /// candidate; a key on which they differ is unknown.
    func fromObject(_ e: PythonExpression, scope: Scope, line: Int) {
        let path = scope.module.path
        var candidates: [PythonValue] = []
        var why = ""
        if case .element(let container, let keyExpression) = e, case .dict(let items) = evaluate(container, scope: scope, line: line),
           case .unknown(let reason) = evaluate(keyExpression, scope: scope, line: line) {
            candidates = items.map(\.value)
            why = reason
        } else {
            candidates = [evaluate(e, scope: scope, line: line)]
        }
        loadObjects(candidates, why: why, importer: scope.module, path: path, line: line)
    }

    /// Copies the upper-case names of each candidate; keys on which candidates differ are unknown.
    func loadObjects(_ candidates: [PythonValue], why: String, importer: PythonModule, path: String, line: Int) {
        var tables: [[String: Entry]] = []
        var names: [String] = []
        for candidate in candidates {
            var value = candidate
            if case .string(let dotted) = candidate { value = objectNamed(dotted, from: importer) }
            switch value {
            case .classObject(let c):
                var table: [String: Entry] = [:]
                for key in c.upperCaseNames { if let found = c.lookup(key) { table[key] = Entry(value: found.value, path: found.path, line: found.line, reads: found.reads) } }
                tables.append(table)
                names.append(c.name)
            case .module(let m):
                var table: [String: Entry] = [:]
                for (key, v) in m.names where key == key.uppercased() && !key.hasPrefix("_") { table[key] = Entry(value: v, path: m.path, line: m.lines[key] ?? line, reads: m.reads[key] ?? []) }
                tables.append(table)
                names.append(m.name)
            case .unknown(let reason):
                remark(.warning, path, line, "cannot read app.config.from_object(...) at \(path):\(line): \(reason); the MAIL_* keys it sets are not known")
                markAllUnknown(why: reason, path: path, line: line)
                return
            default:
                return
            }
        }
        let keys = Set(tables.flatMap(\.keys)).sorted()
        for key in keys {
            let entries = tables.map { $0[key] }
            guard let first = entries.compactMap({ $0 }).first else { continue }
            let agree = entries.allSatisfy { e in e.map { $0.value.equals(first.value) == true || ($0.value.isUnknown && first.value.isUnknown) } ?? false }
            if agree {
                setConfig(key, first.value, path: first.path, line: first.line, reads: first.reads)
            } else {
                let differing = zip(names, entries).map { name, entry in
                    name + " " + (entry.map { key == "MAIL_PASSWORD" ? "(a password)" : ($0.value.str ?? "(a value)") } ?? "(not set)")
                }.joined(separator: ", ")
                setConfig(key, .unknown("it differs between the classes the app may load (\(differing)), and which one is loaded depends on \(why.isEmpty ? "a value mailtui cannot evaluate" : "this: " + why)"),
                          path: path, line: line, reads: [])
            }
        }
    }

    /// 'package.module.Class' or 'package.module', as Flask's import_string resolves it.
    func objectNamed(_ dotted: String, from importer: PythonModule) -> PythonValue {
        let module = importModule(dotted, from: importer)
        if case .module = module { return module }
        guard let dot = dotted.lastIndex(of: ".") else { return module }
        return attribute(importModule(String(dotted[..<dot]), from: importer), String(dotted[dotted.index(after: dot)...]), line: 0)
    }

    func copyUpperCase(_ m: PythonModule, path: String) {
        for key in m.names.keys.sorted(by: { (m.lines[$0] ?? 0) < (m.lines[$1] ?? 0) }) where key == key.uppercased() && !key.hasPrefix("_") {
            if let v = m.names[key] { setConfig(key, v, path: path, line: m.lines[key] ?? 0, reads: m.reads[key] ?? []) }
        }
    }

    /// After a loader mailtui cannot follow, no MAIL_* key is known for sure.
    private func markAllUnknown(why: String, path: String, line: Int) {
        for key in FlaskKeys.flaskMail.sorted() { setConfig(key, .unknown(why), path: path, line: line, reads: []) }
    }
}
