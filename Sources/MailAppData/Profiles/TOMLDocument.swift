/// The part of TOML that mailtui's own files use: tables (`[profiles."a.b"]`), keys (bare or
/// quoted), and strings, integers, floats and booleans, with comments. Anything else valid TOML
/// allows (arrays, inline tables, dates, multi-line strings, dotted keys) is refused with its line,
/// never guessed at. Every value and table remembers its line, for error messages.
///
/// mailtui reads this itself rather than through a TOML library: the one available aborted the
/// process on some malformed files, and linked all of Foundation for a few settings.
public struct TOMLDocument: Sendable, Equatable {
    public enum Value: Sendable, Equatable {
        case string(String)
        case integer(Int)
        case float(Double)
        case bool(Bool)
        case table(Table)

        public var string: String? { if case .string(let s) = self { s } else { nil } }
        public var bool: Bool? { if case .bool(let b) = self { b } else { nil } }
        public var int: Int? { if case .integer(let i) = self { i } else { nil } }
        /// A float, or an integer as a float.
        public var double: Double? {
            switch self {
            case .float(let d): d
            case .integer(let i): Double(i)
            default: nil
            }
        }
        public var table: Table? { if case .table(let t) = self { t } else { nil } }
    }

    /// Keys in file order, each with its value and the line it was set on (1-based).
    public struct Table: Sendable, Equatable {
        public var entries: [(key: String, value: Value, line: Int)] = []
        /// The line of the table's `[header]` (or of the first header that implied it), 0 for the root.
        public var line = 0

        public static func == (a: Table, b: Table) -> Bool {
            a.line == b.line && a.entries.count == b.entries.count
                && zip(a.entries, b.entries).allSatisfy { $0.key == $1.key && $0.value == $1.value && $0.line == $1.line }
        }

        public var keys: [String] { entries.map(\.key) }
        public subscript(key: String) -> Value? { entries.first { $0.key == key }?.value }
        public func line(of key: String) -> Int? { entries.first { $0.key == key }?.line }
    }

    public var root: Table

    /// The most parts a table name may have (`[profiles.NAME]` has two). A name of 20,000 parts
    /// once aborted the process.
    public static let maximumDepth = 16
    /// The most tables a file may have, named or implied.
    public static let maximumTables = 10_000

    /// One pass over the lines. Tables are built as numbered nodes with an index of their keys, so
    /// that a `[header]` or a key costs the same however many tables came before, and turned into
    /// nested `Table` values once at the end.
    public init(parsing text: String) throws(TOMLError) {
        var builder = Builder()
        var number = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            var cursor = Cursor(Array(rawLine.unicodeScalars), line: number)
            cursor.skipBlanks()
            if cursor.atEndOfLine { continue }
            if cursor.peek == "[" {
                cursor.advance()
                if cursor.peek == "[" { throw TOMLError(line: number, message: "arrays of tables ([[...]]) are not used in mailtui's files") }
                let path = try cursor.keyPath(until: "]", atMost: Self.maximumDepth)
                cursor.advance()
                try cursor.expectEndOfLine()
                try builder.openTable(path, line: number)
                continue
            }
            let key = try cursor.keyPath(until: "=", atMost: Self.maximumDepth)
            guard key.count == 1 else { throw TOMLError(line: number, message: "dotted keys are not used in mailtui's files: put '\(key.joined(separator: "."))' under its [table]") }
            cursor.advance()
            cursor.skipBlanks()
            let value = try cursor.value()
            try cursor.expectEndOfLine()
            try builder.set(key[0], value, line: number)
        }
        root = builder.table(0)
    }
}

/// The tables read so far, as nodes: node 0 is the root.
private struct Builder {
    enum Slot { case value(TOMLDocument.Value), table(Int) }

    struct Node {
        var entries: [(key: String, slot: Slot, line: Int)] = []
        var index: [String: Int] = [:]
        /// The line of its `[header]`, or of the first header that implied it.
        var line: Int
        /// Whether its own `[header]` was read (a second one is a mistake).
        var named: Bool
        /// Its name from the root, for messages.
        var name: String
    }

    var nodes = [Node(line: 0, named: true, name: "")]
    /// The node that keys go into: the last `[header]`'s.
    var current = 0

    /// `[a.b.c]`: finds or makes each table on the way (as `[a.b]` implies `[a]`), then makes the
    /// last one current.
    mutating func openTable(_ path: [String], line: Int) throws(TOMLError) {
        var node = 0
        for (depth, part) in path.enumerated() {
            let last = depth == path.count - 1
            let name = path[...depth].joined(separator: ".")
            if let found = nodes[node].index[part] {
                let entry = nodes[node].entries[found]
                guard case .table(let child) = entry.slot else {
                    throw TOMLError(line: line, message: "'\(name)' is a value (set on line \(entry.line)), not a [table]")
                }
                if last {
                    guard !nodes[child].named else {
                        throw TOMLError(line: line, message: "[\(name)] is defined twice (first on line \(nodes[child].line))")
                    }
                    nodes[child].named = true
                    nodes[child].line = line
                }
                node = child
            } else {
                guard nodes.count <= TOMLDocument.maximumTables else {
                    throw TOMLError(line: line, message: "more than \(TOMLDocument.maximumTables) tables: mailtui's files need a few")
                }
                nodes.append(Node(line: line, named: last, name: name))
                let child = nodes.count - 1
                nodes[node].index[part] = nodes[node].entries.count
                nodes[node].entries.append((part, .table(child), line))
                node = child
            }
        }
        current = node
    }

    mutating func set(_ key: String, _ value: TOMLDocument.Value, line: Int) throws(TOMLError) {
        if let found = nodes[current].index[key] {
            let table = nodes[current].name.isEmpty ? "" : " in [\(nodes[current].name)]"
            throw TOMLError(line: line, message: "'\(key)' is set twice\(table) (first on line \(nodes[current].entries[found].line))")
        }
        nodes[current].index[key] = nodes[current].entries.count
        nodes[current].entries.append((key, .value(value), line))
    }

    /// The node as a `Table`. Each node is built once; the nesting is at most `maximumDepth`.
    func table(_ number: Int) -> TOMLDocument.Table {
        var table = TOMLDocument.Table()
        table.line = nodes[number].line
        table.entries.reserveCapacity(nodes[number].entries.count)
        for entry in nodes[number].entries {
            switch entry.slot {
            case .value(let value): table.entries.append((entry.key, value, entry.line))
            case .table(let child): table.entries.append((entry.key, .table(self.table(child)), entry.line))
            }
        }
        return table
    }
}

/// A line of a TOML file that could not be read.
public struct TOMLError: Error, Sendable, Equatable {
    public var line: Int
    public var message: String
}

/// Reads one line.
private struct Cursor {
    let scalars: [Unicode.Scalar]
    let line: Int
    var index = 0

    init(_ scalars: [Unicode.Scalar], line: Int) {
        // A CR before the LF belongs to the line ending.
        self.scalars = scalars.last == "\r" ? Array(scalars.dropLast()) : scalars
        self.line = line
    }

    var peek: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }
    var atEndOfLine: Bool { peek == nil || peek == "#" }
    mutating func advance() { index += 1 }

    func fail(_ message: String) -> TOMLError { TOMLError(line: line, message: message) }

    mutating func skipBlanks() { while peek == " " || peek == "\t" { advance() } }

    mutating func expectEndOfLine() throws(TOMLError) {
        skipBlanks()
        guard atEndOfLine else { throw fail("unexpected text after the value: \(String(String.UnicodeScalarView(scalars[index...])).visibleControls)") }
    }

    static func isBare(_ s: Unicode.Scalar) -> Bool {
        s.isASCII && (s.properties.isAlphabetic || ("0"..."9").contains(s) || s == "-" || s == "_")
    }

    /// `a`, `"a.b"`, `a."b c"`, up to (not past) `end`; at most `limit` parts.
    mutating func keyPath(until end: Unicode.Scalar, atMost limit: Int) throws(TOMLError) -> [String] {
        var parts: [String] = []
        while true {
            guard parts.count < limit else { throw fail("a name of more than \(limit) parts: mailtui's files use [profiles.NAME]") }
            skipBlanks()
            switch peek {
            case "\"": advance(); parts.append(try basicString())
            case "'": advance(); parts.append(try literalString())
            case let s? where Self.isBare(s):
                var word = String.UnicodeScalarView()
                while let c = peek, Self.isBare(c) { word.append(c); advance() }
                parts.append(String(word))
            default:
                throw fail(peek == end || peek == nil ? "a key is missing" : "'\(String(peek!).visibleControls)' cannot start a key (quote it)")
            }
            skipBlanks()
            if peek == "." { advance(); continue }
            guard peek == end else { throw fail(peek == nil ? "'\(String(end))' is missing" : "expected '\(String(end))' after the key") }
            return parts
        }
    }

    mutating func value() throws(TOMLError) -> TOMLDocument.Value {
        guard let first = peek else { throw fail("a value is missing after '='") }
        switch first {
        case "\"":
            if scalars[index...].starts(with: ["\"", "\"", "\""]) { throw fail("multi-line strings are not used in mailtui's files") }
            advance()
            return .string(try basicString())
        case "'":
            if scalars[index...].starts(with: ["'", "'", "'"]) { throw fail("multi-line strings are not used in mailtui's files") }
            advance()
            return .string(try literalString())
        case "[", "{":
            throw fail("arrays and inline tables are not used in mailtui's files")
        default:
            var word = String.UnicodeScalarView()
            while let c = peek, c != " ", c != "\t", c != "#" { word.append(c); advance() }
            return try Self.scalarValue(String(word), fail: fail)
        }
    }

    /// true, false, integers (decimal, 0x, 0o, 0b, with `_`), floats (with exponent, inf, nan).
    static func scalarValue(_ word: String, fail: (String) -> TOMLError) throws(TOMLError) -> TOMLDocument.Value {
        if word == "true" { return .bool(true) }
        if word == "false" { return .bool(false) }
        if ["inf", "+inf"].contains(word) { return .float(.infinity) }
        if word == "-inf" { return .float(-.infinity) }
        if ["nan", "+nan", "-nan"].contains(word) { return .float(.nan) }
        let digits = word.replacing("_", with: "")
        guard !digits.isEmpty, !word.hasPrefix("_"), !word.hasSuffix("_"), !word.contains("__") else { throw fail("'\(word.visibleControls)' is not a value (strings need quotes)") }
        for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] where digits.hasPrefix(prefix) {
            guard let n = Int(digits.dropFirst(2), radix: radix) else { throw fail("'\(word)' is not a number") }
            return .integer(n)
        }
        if digits.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "+" || $0 == "-") }) {
            guard let n = Int(digits) else { throw fail("'\(word.visibleControls)' is not a whole number that fits") }
            return .integer(n)
        }
        guard digits.allSatisfy({ $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) }), let d = Double(digits) else {
            throw fail("'\(word.visibleControls)' is not a value (strings need quotes)")
        }
        return .float(d)
    }

    /// After the opening `"`: escapes as TOML defines them.
    mutating func basicString() throws(TOMLError) -> String {
        var out = String.UnicodeScalarView()
        while let c = peek {
            advance()
            switch c {
            case "\"": return String(out)
            case "\\":
                guard let e = peek else { throw fail("the string ends in a backslash") }
                advance()
                switch e {
                case "\"": out.append("\"")
                case "\\": out.append("\\")
                case "n": out.append("\n")
                case "t": out.append("\t")
                case "r": out.append("\r")
                case "b": out.append("\u{08}")
                case "f": out.append("\u{0C}")
                case "u", "U":
                    let count = e == "u" ? 4 : 8
                    guard index + count <= scalars.count,
                          let value = UInt32(String(String.UnicodeScalarView(scalars[index..<index + count])), radix: 16),
                          let scalar = Unicode.Scalar(value) else { throw fail("a \\\(e) escape needs \(count) hex digits of a Unicode scalar") }
                    index += count
                    out.append(scalar)
                default:
                    throw fail("unknown escape \\\(String(e).visibleControls) in a string")
                }
            default:
                if c.value < 32 && c != "\t" || c.value == 127 { throw fail("a control character in a string: write it as an escape") }
                out.append(c)
            }
        }
        throw fail("the string has no closing quote")
    }

    /// After the opening `'`: taken as it is.
    mutating func literalString() throws(TOMLError) -> String {
        var out = String.UnicodeScalarView()
        while let c = peek {
            advance()
            if c == "'" { return String(out) }
            if c.value < 32 && c != "\t" || c.value == 127 { throw fail("a control character in a string") }
            out.append(c)
        }
        throw fail("the string has no closing quote")
    }
}
