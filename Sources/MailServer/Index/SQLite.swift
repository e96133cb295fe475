import CSQLite

/// A failure of SQLite: what was being done, SQLite's extended result code and its message.
struct SQLiteError: Error, Sendable, CustomStringConvertible {
    var doing: String
    var code: Int32
    var message: String

    /// The file is not a database, or a damaged one: the index is rebuilt from the folder.
    var isDamage: Bool { code & 0xff == SQLITE_CORRUPT || code & 0xff == SQLITE_NOTADB }

    var description: String { "\(doing): \(message) (SQLite code \(code))" }
}

/// A value bound to a statement's `?`.
enum SQLValue: Sendable, Equatable {
    case int(Int)
    case text(String)
    case null
}

/// A row being read: columns by position, as the statement lists them.
struct SQLRow {
    fileprivate let statement: OpaquePointer

    func int(_ column: Int32) -> Int { Int(sqlite3_column_int64(statement, column)) }

    func text(_ column: Int32) -> String {
        guard let bytes = sqlite3_column_text(statement, column) else { return "" }
        let count = Int(sqlite3_column_bytes(statement, column))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(statement, column) == SQLITE_NULL }
}

/// One SQLite connection with its prepared statements kept for reuse. It is not for two threads
/// at once: its owner holds it in a lock (`SQLITE_OPEN_NOMUTEX`), hence unchecked.
final class SQLiteConnection: @unchecked Sendable {
    private let handle: OpaquePointer
    private var prepared: [String: OpaquePointer] = [:]
    /// Set by `close`: a closed connection refuses every statement (the index is being remade).
    private var closed = false

    /// Opens an existing file (never through a symbolic link: `SQLITE_OPEN_NOFOLLOW`).
    init(path: String) throws(SQLiteError) {
        var db: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_NOMUTEX
        let code = sqlite3_open_v2(path, &db, flags, nil)
        guard code == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(db)
            throw SQLiteError(doing: "opening \(path)", code: code, message: message)
        }
        handle = db
        sqlite3_extended_result_codes(db, 1)
        // Another process (the compose screen's server, or a second serve) may be writing.
        sqlite3_busy_timeout(db, 5000)
    }

    deinit { close() }

    /// Closes it before its file is removed (a damaged index is remade under the same name: the
    /// last close of the old one must not remove the new one's WAL).
    func close() {
        guard !closed else { return }
        closed = true
        for statement in prepared.values { sqlite3_finalize(statement) }
        prepared = [:]
        sqlite3_close_v2(handle)
    }

    private var closedError: SQLiteError { SQLiteError(doing: "using the index", code: SQLITE_MISUSE, message: "the connection was closed (the index is being remade)") }

    private func failure(_ doing: String, _ code: Int32) -> SQLiteError {
        SQLiteError(doing: doing, code: code, message: String(cString: sqlite3_errmsg(handle)))
    }

    /// Runs statements without values (the schema, pragmas, BEGIN and COMMIT).
    func execute(_ sql: String) throws(SQLiteError) {
        guard !closed else { throw closedError }
        let code = sqlite3_exec(handle, sql, nil, nil, nil)
        guard code == SQLITE_OK else { throw failure(String(sql.prefix(60)), code) }
    }

    private func statement(_ sql: String, _ values: [SQLValue]) throws(SQLiteError) -> OpaquePointer {
        guard !closed else { throw closedError }
        let statement: OpaquePointer
        if let cached = prepared[sql] {
            statement = cached
        } else {
            var made: OpaquePointer?
            let code = sqlite3_prepare_v2(handle, sql, -1, &made, nil)
            guard code == SQLITE_OK, let made else { throw failure("preparing " + String(sql.prefix(60)), code) }
            prepared[sql] = made
            statement = made
        }
        sqlite3_reset(statement)
        sqlite3_clear_bindings(statement)
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let code: Int32
            switch value {
            case .int(let number): code = sqlite3_bind_int64(statement, index, sqlite3_int64(number))
            case .text(let text): code = text.utf8.withContiguousStorageIfAvailable { bytes in
                    bytes.withMemoryRebound(to: CChar.self) { csqlite_bind_text(statement, index, $0.baseAddress, Int32($0.count)) }
                } ?? csqlite_bind_text(statement, index, text, -1)
            case .null: code = sqlite3_bind_null(statement, index)
            }
            guard code == SQLITE_OK else { throw failure("binding " + String(sql.prefix(60)), code) }
        }
        return statement
    }

    /// Runs one statement to its end.
    func run(_ sql: String, _ values: [SQLValue] = []) throws(SQLiteError) {
        try rows(sql, values) { _ in }
    }

    /// Runs one statement, handing each row to `each`.
    func rows(_ sql: String, _ values: [SQLValue] = [], _ each: (SQLRow) -> Void) throws(SQLiteError) {
        let statement = try statement(sql, values)
        defer { sqlite3_reset(statement) }
        while true {
            let code = sqlite3_step(statement)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else { throw failure(String(sql.prefix(60)), code) }
            each(SQLRow(statement: statement))
        }
    }

    /// The first column of the first row as a number (a count), 0 when there is no row.
    func number(_ sql: String, _ values: [SQLValue] = []) throws(SQLiteError) -> Int {
        var result = 0
        var first = true
        try rows(sql, values) { row in
            if first { result = row.int(0) }
            first = false
        }
        return result
    }

    var changes: Int { Int(sqlite3_changes(handle)) }
    var inTransaction: Bool { !closed && sqlite3_get_autocommit(handle) == 0 }
}
