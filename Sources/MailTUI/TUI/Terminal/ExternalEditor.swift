import MailCore
#if canImport(Glibc)
import Glibc
#endif

/// Runs `$VISUAL` / `$EDITOR` (else `vi`) on a temporary file holding `text`; returns the edited
/// text, or nil when the editor failed. The caller leaves curses first.
enum ExternalEditor {
    static var command: String {
        for name in ["VISUAL", "EDITOR"] {
            if let value = getenv(name).map({ String(cString: $0) }), !value.isEmpty { return value }
        }
        return "vi"
    }

    static func edit(_ text: String, suffix: String) -> String? {
        var template = Array("/tmp/mailtui-XXXXXX\(suffix)".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemps($0.baseAddress!, Int32(suffix.utf8.count)) }
        guard fd >= 0 else { return nil }
        let path = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        defer { unlink(path) }
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        // The editor command may carry arguments ("code -w"); the path is passed as "$1".
        guard ShellCommand.run("\(command) \"$1\"", arguments: ["mailtui-editor", path], captureOutput: false).status == 0,
              let edited = FileContents.read(path) else { return nil }
        var result = String(decoding: edited, as: UTF8.self)
        if result.hasSuffix("\n") && !text.hasSuffix("\n") { result.removeLast() }
        return result
    }
}
