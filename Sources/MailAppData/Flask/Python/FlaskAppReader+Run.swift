/// Statements: what running them does to names, classes and `app.config`.
extension FlaskAppReader {
    enum Flow {
        case normal
        case returned(PythonValue)
        /// A branch mailtui cannot decide returned or might have.
        case unknown(String)
    }

    func run(_ statements: [PythonStatement], scope: Scope) -> Flow {
        for s in statements {
            steps += 1
            guard steps < Self.maximumSteps else { return .unknown("the code takes too long to follow") }
            reads = []
            let flow = execute(s, scope: scope)
            if case .normal = flow { continue }
            return flow
        }
        return .normal
    }

    private func execute(_ s: PythonStatement, scope: Scope) -> Flow {
        let path = scope.module.path
        switch s.kind {
        case .assign(let targets, let valueExpression):
            // `app = create_app()` runs the factory; `MAIL_X = helper(...)` needs the helper's value.
            let procedural = targets.allSatisfy { if case .name(let n) = $0 { return n != n.uppercased() }; return false }
            let value = evaluate(valueExpression, scope: scope, line: s.line, procedure: procedural)
            for target in targets { assign(target, value, scope: scope, line: s.line) }
        case .expression(let e):
            _ = evaluate(e, scope: scope, line: s.line, procedure: true)
        case .importModules(let names):
            for item in names {
                let value = importModule(item.name, from: scope.module)
                if let alias = item.alias { scope.assign(alias, value, line: s.line) } else {
                    let top = String(item.name.split(separator: ".").first ?? "")
                    scope.assign(top, top == item.name ? value : importModule(top, from: scope.module), line: s.line)
                }
            }
        case .importFrom(let moduleName, let level, let names):
            var dotted = moduleName
            if level > 0 {
                var package = scope.module.package.split(separator: ".").map(String.init)
                package.removeLast(min(package.count, level - 1))
                dotted = (package + (moduleName.isEmpty ? [] : [moduleName])).joined(separator: ".")
            }
            let source = importModule(dotted, from: scope.module)
            for item in names {
                if item.name == "*" {
                    if case .module(let m) = source { for (k, v) in m.names where !k.hasPrefix("_") { scope.assign(k, v, line: s.line) } }
                    continue
                }
                var value = attribute(source, item.name, line: s.line)
                if value.isUnknown, case .module = source {
                    // `from package import module`.
                    let sub = importModule(dotted + "." + item.name, from: scope.module)
                    if !sub.isUnknown { value = sub }
                }
                scope.assign(item.alias ?? item.name, value, line: s.line)
            }
        case .function(let name, let parameters, let body):
            let f = PythonFunction(name: name, parameters: parameters, body: body, module: scope.module, line: s.line)
            scope.assign(name, .function(f), line: s.line)
        case .classDefinition(let name, let baseExpressions, let body):
            let bases = baseExpressions.compactMap { e -> PythonClass? in
                if case .classObject(let c) = evaluate(e, scope: scope, line: s.line) { return c }
                return nil
            }
            let c = PythonClass(name: name, bases: bases, module: scope.module)
            let inner = Scope(module: scope.module, locals: scope.locals)
            inner.classBeingBuilt = c
            _ = run(body, scope: inner)
            scope.assign(name, .classObject(c), line: s.line)
        case .conditional(let branches):
            for branch in branches {
                guard let test = branch.test else { return run(branch.body, scope: scope) }
                let value = evaluate(test, scope: scope, line: s.line)
                guard let truth = value.truthy else {
                    let reason = "it depends on a condition mailtui cannot evaluate (line \(s.line))"
                    markUnknown(branches.flatMap(\.body), reason: reason, path: path, scope: scope)
                    return branches.contains(where: { containsReturn($0.body) }) ? .unknown(reason) : .normal
                }
                if truth { return run(branch.body, scope: scope) }
            }
        case .block(let body):
            return run(body, scope: scope)
        case .returnValue(let e):
            return .returned(e.map { evaluate($0, scope: scope, line: s.line) } ?? PythonValue.none)
        case .skipped:
            break
        }
        return .normal
    }

    private func assign(_ target: PythonExpression, _ value: PythonValue, scope: Scope, line: Int) {
        switch target {
        case .name(let n):
            scope.assign(n, value, line: line, reads: reads)
        case .tuple(let names):
            for (i, t) in names.enumerated() {
                if case .tuple(let items) = value, i < items.count { assign(t, items[i], scope: scope, line: line) } else {
                    assign(t, .unknown("an unpacked value"), scope: scope, line: line)
                }
            }
        case .element(let container, let keyExpression):
            let target = evaluate(container, scope: scope, line: line)
            guard case .appConfig = target else { return }
            let key = evaluate(keyExpression, scope: scope, line: line)
            if case .string(let k) = key { setConfig(k, value, path: scope.module.path, line: line) }
        case .attribute(let owner, let name):
            if case .classObject(let c) = evaluate(owner, scope: scope, line: line) {
                c.attributes[name] = value
                c.lines[name] = line
            }
        default:
            break
        }
    }

    /// Config keys set inside branches that cannot be decided become unknown.
    private func markUnknown(_ statements: [PythonStatement], reason: String, path: String, scope: Scope) {
        for s in statements {
            switch s.kind {
            case .assign(let targets, _):
                for t in targets {
                    if case .element(_, .string(let key, _)) = t, key.hasPrefix("MAIL_") {
                        setConfig(key, .unknown(reason), path: path, line: s.line, reads: [])
                    } else if case .name(let n) = t {
                        scope.assign(n, .unknown(reason), line: s.line)
                    }
                }
            case .conditional(let branches):
                markUnknown(branches.flatMap(\.body), reason: reason, path: path, scope: scope)
            case .block(let body):
                markUnknown(body, reason: reason, path: path, scope: scope)
            case .expression(.call(.attribute(_, let method), _, let keywords)) where ["update", "from_mapping"].contains(method):
                for k in keywords { if let n = k.name, n.hasPrefix("MAIL_") { setConfig(n, .unknown(reason), path: path, line: s.line, reads: []) } }
            default:
                break
            }
        }
    }

    private func containsReturn(_ statements: [PythonStatement]) -> Bool {
        statements.contains { s in
            switch s.kind {
            case .returnValue: true
            case .conditional(let b): b.contains { containsReturn($0.body) }
            case .block(let body): containsReturn(body)
            default: false
            }
        }
    }

    /// Calls a function of the app. As a value (inside an expression) only a body that is one
    /// `return expression` is evaluated; as a step of the app (a statement, or `x = f(app)`), the
    /// whole body runs.
    func call(_ f: PythonFunction, _ arguments: [PythonValue], _ keywords: [String: PythonValue], line: Int, procedure: Bool) -> PythonValue {
        let body = f.body.filter {
            if case .expression(.string) = $0.kind { return false }
            return true
        }
        if !procedure {
            guard body.count == 1, case .returnValue = body[0].kind else {
                return .unknown("the helper \(f.name) (\(f.module.path):\(f.line)) is more than one expression")
            }
        }
        guard callDepth < Self.maximumCallDepth else { return .unknown("calls nest too deeply") }
        var locals: [String: PythonValue] = [:]
        for (i, p) in f.parameters.enumerated() {
            if p.name.hasPrefix("**") { locals[String(p.name.dropFirst(2))] = .dict([]); continue }
            if p.name.hasPrefix("*") { locals[String(p.name.dropFirst())] = .tuple([]); continue }
            if i < arguments.count { locals[p.name] = arguments[i] } else if let k = keywords[p.name] { locals[p.name] = k } else if let d = p.defaultValue {
                locals[p.name] = evaluate(d, scope: Scope(module: f.module), line: f.line)
            } else {
                locals[p.name] = .unknown("\(f.name)'s argument \(p.name) is given by the caller mailtui does not see")
            }
        }
        callDepth += 1
        defer { callDepth -= 1 }
        let saved = reads
        let flow = run(body, scope: Scope(module: f.module, locals: locals))
        reads = saved + reads
        switch flow {
        case .normal: return PythonValue.none
        case .returned(let v): return v
        case .unknown(let why): return .unknown(why)
        }
    }
}
