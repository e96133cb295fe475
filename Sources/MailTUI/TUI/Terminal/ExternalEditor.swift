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
        var pid = pid_t()
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/sh"), strdup("-c"), strdup("\(command) \"$1\""), strdup("mailtui-editor"), strdup(path), nil]
        defer { argv.forEach { free($0) } }
        guard posix_spawn(&pid, "/bin/sh", nil, nil, argv, environ) == 0 else { return nil }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        guard (status & 0x7f) == 0, (status >> 8) & 0xff == 0, let edited = FileContents.read(path) else { return nil }
        var result = String(decoding: edited, as: UTF8.self)
        if result.hasSuffix("\n") && !text.hasSuffix("\n") { result.removeLast() }
        return result
    }
}
