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
        /// The line of the table's `[header]`, 0 for the root.
        public var line = 0

        public static func == (a: Table, b: Table) -> Bool {
            a.line == b.line && a.entries.count == b.entries.count
                && zip(a.entries, b.entries).allSatisfy { $0.key == $1.key && $0.value == $1.value && $0.line == $1.line }
        }

        public var keys: [String] { entries.map(\.key) }
        public subscript(key: String) -> Value? { entries.first { $0.key == key }?.value }
        public func line(of key: String) -> Int? { entries.first { $0.key == key }?.line }

        fileprivate mutating func set(_ key: String, _ value: Value, line: Int) throws(TOMLError) {
            guard self[key] == nil else { throw TOMLError(line: line, message: "'\(key)' is set twice") }
            entries.append((key, value, line))
        }
    }

    public var root: Table

    public init(parsing text: String) throws(TOMLError) {
        var root = Table()
        /// The path of the current [table], from the root.
        var path: [String] = []
        var number = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            var cursor = Cursor(Array(rawLine.unicodeScalars), line: number)
            cursor.skipBlanks()
            if cursor.atEndOfLine { continue }
            if cursor.peek == "[" {
                cursor.advance()
                if cursor.peek == "[" { throw TOMLError(line: number, message: "arrays of tables ([[...]]) are not used in mailtui's files") }
                path = try cursor.keyPath(until: "]")
                cursor.advance()
                try cursor.expectEndOfLine()
                try Self.insertTable(at: path, line: number, into: &root)
                continue
            }
            let key = try cursor.keyPath(until: "=")
            guard key.count == 1 else { throw TOMLError(line: number, message: "dotted keys are not used in mailtui's files: put '\(key.joined(separator: "."))' under its [table]") }
            cursor.advance()
            cursor.skipBlanks()
            let value = try cursor.value()
            try cursor.expectEndOfLine()
            try Self.modifyTable(at: path, in: &root) { (table: inout Table) throws(TOMLError) in try table.set(key[0], value, line: number) }
        }
        self.root = root
    }

    private static func insertTable(at path: [String], line: Int, into root: inout Table) throws(TOMLError) {
        guard let last = path.last else { return }
        try modifyTable(at: Array(path.dropLast()), in: &root) { (parent: inout Table) throws(TOMLError) in
            if let existing = parent.entries.firstIndex(where: { $0.key == last }) {
                guard case .table(let table) = parent.entries[existing].value, table.line == 0 else {
                    throw TOMLError(line: line, message: "[\(path.joined(separator: "."))] is defined twice")
                }
                var defined = table
                defined.line = line
                parent.entries[existing].value = .table(defined)
            } else {
                var table = Table()
                table.line = line
                parent.entries.append((last, .table(table), line))
            }
        }
    }

    /// Runs `change` on the table at `path`, creating the tables on the way (as `[a.b]` implies `[a]`).
    private static func modifyTable(at path: [String], in table: inout Table, _ change: (inout Table) throws(TOMLError) -> Void) throws(TOMLError) {
        guard let first = path.first else { return try change(&table) }
        let index: Int
        if let found = table.entries.firstIndex(where: { $0.key == first }) {
            index = found
        } else {
            table.entries.append((first, .table(Table()), 0))
            index = table.entries.count - 1
        }
        guard case .table(var child) = table.entries[index].value else {
            throw TOMLError(line: table.entries[index].line, message: "'\(first)' is a value, not a [table]")
        }
        try modifyTable(at: Array(path.dropFirst()), in: &child, change)
        table.entries[index].value = .table(child)
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

    /// `a`, `"a.b"`, `a."b c"`, up to (not past) `end`.
    mutating func keyPath(until end: Unicode.Scalar) throws(TOMLError) -> [String] {
        var parts: [String] = []
        while true {
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
