#if canImport(Glibc)
import Glibc
#endif

/// File names are bytes, not always UTF-8 (a Latin-1 `caf\xE9.txt` from an old archive). Such a
/// name arrives in an argument, travels as a Swift `String`, and must reach `open` as the same
/// bytes. Each byte that is not part of valid UTF-8 is carried as one private-use scalar
/// (U+10FE80 to U+10FEFF, never in real file names), and turned back into that byte for the system.
public enum RawPath {
    static let base: UInt32 = 0x10FE00

    /// Bytes (an argument, a directory entry) as a string that keeps every byte.
    public static func string(fromBytes bytes: some Collection<UInt8>) -> String {
        let buffer = Array(bytes)
        if let valid = String(validating: buffer, as: UTF8.self) { return valid }
        var out = String.UnicodeScalarView()
        var index = 0
        while index < buffer.count {
            let byte = buffer[index]
            let length = byte < 0x80 ? 1 : byte >> 5 == 0b110 ? 2 : byte >> 4 == 0b1110 ? 3 : byte >> 3 == 0b11110 ? 4 : 0
            if length > 0, index + length <= buffer.count,
               let decoded = String(validating: buffer[index..<index + length], as: UTF8.self), let scalar = decoded.unicodeScalars.first {
                out.append(scalar)
                index += length
            } else {
                out.append(Unicode.Scalar(base + UInt32(byte))!)
                index += 1
            }
        }
        return String(out)
    }

    /// The process's arguments, every byte kept (CommandLine.arguments replaces invalid UTF-8).
    public static func arguments() -> [String] {
        (0..<Int(CommandLine.argc)).map { index in
            guard let pointer = CommandLine.unsafeArgv[index] else { return "" }
            return string(fromBytes: UnsafeBufferPointer(start: pointer, count: strlen(pointer)).map { UInt8(bitPattern: $0) })
        }
    }

    /// The bytes the system should see for `path`.
    public static func bytes(_ path: String) -> [UInt8] {
        var out: [UInt8] = []
        for scalar in path.unicodeScalars {
            if (base + 0x80...base + 0xFF).contains(scalar.value) { out.append(UInt8(scalar.value - base)) } else { out += Array(String(scalar).utf8) }
        }
        return out
    }

    /// Whether `scalar` stands for a raw byte; `TerminalSanitizer` shows it as `\xNN`.
    static func byte(_ scalar: Unicode.Scalar) -> UInt8? {
        (base + 0x80...base + 0xFF).contains(scalar.value) ? UInt8(scalar.value - base) : nil
    }

    /// The name for people and for MIME: raw bytes read as Latin-1, the usual source of such names.
    public static func displayName(_ name: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in name.unicodeScalars { out.append(byte(scalar).map { Unicode.Scalar($0) } ?? scalar) }
        return String(out)
    }

    /// Calls `body` with the path as the C string the system needs.
    public static func withCString<T>(_ path: String, _ body: (UnsafePointer<CChar>) -> T) -> T {
        (bytes(path) + [0]).withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { body($0.baseAddress!) }
        }
    }

    public static func open(_ path: String, _ flags: Int32, _ mode: mode_t = 0) -> Int32 {
        withCString(path) { Glibc.open($0, flags, mode) }
    }

    public static func stat(_ path: String, _ info: UnsafeMutablePointer<Glibc.stat>) -> Int32 {
        withCString(path) { systemStat($0, info) }
    }

    public static func access(_ path: String, _ mode: Int32) -> Int32 {
        withCString(path) { Glibc.access($0, mode) }
    }
}

/// The C `stat`, out of reach by name inside `RawPath.stat`.
private func systemStat(_ path: UnsafePointer<CChar>, _ info: UnsafeMutablePointer<stat>) -> Int32 { stat(path, info) }
