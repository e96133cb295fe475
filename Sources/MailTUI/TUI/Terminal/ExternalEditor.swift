import MailCore
#if canImport(Glibc)
import Glibc
#endif

/// Runs `$VISUAL` / `$EDITOR` (else `vi`) on a temporary file holding `text`; returns the edited
/// text, or why the editor failed, in words. The caller leaves curses first.
enum ExternalEditor {
    static var command: String {
        for name in ["VISUAL", "EDITOR"] {
            if let value = getenv(name).map({ String(cString: $0) }), !value.isEmpty { return value }
        }
        return "vi"
    }

    static func edit(_ text: String, suffix: String) -> Result<String, EditorFailure> {
        var template = Array("/tmp/mailtui-XXXXXX\(suffix)".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemps($0.baseAddress!, Int32(suffix.utf8.count)) }
        guard fd >= 0 else { return .failure(EditorFailure(reason: "no temporary file could be made: \(String(cString: strerror(errno)))")) }
        let path = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        defer { unlink(path) }
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        // The editor command may carry arguments ("code -w"); the path is passed as "$1".
        let status = ShellCommand.run("\(command) \"$1\"", arguments: ["mailtui-editor", path], captureOutput: false).status
        switch status {
        case 0: break
        case 127: return .failure(EditorFailure(reason: "the editor `\(command)` was not found: set $VISUAL or $EDITOR"))
        case -1: return .failure(EditorFailure(reason: "the editor `\(command)` could not be started"))
        case 129...: return .failure(EditorFailure(reason: "the editor `\(command)` was ended by signal \(status - 128)"))
        default: return .failure(EditorFailure(reason: "the editor `\(command)` exited with status \(status)"))
        }
        guard let edited = FileContents.read(path) else { return .failure(EditorFailure(reason: "the edited file could not be read back")) }
        var result = String(decoding: edited, as: UTF8.self)
        if result.hasSuffix("\n") && !text.hasSuffix("\n") { result.removeLast() }
        return .success(result)
    }
}

/// Why the editor gave nothing back.
struct EditorFailure: Error, Equatable, Sendable {
    var reason: String
}
