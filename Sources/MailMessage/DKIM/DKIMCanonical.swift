/// DKIM's "relaxed" canonicalisation (RFC 6376 section 3.4.2 and 3.4.4).
enum DKIMCanonical {
    /// A header field relaxed: the name lowercased, the value unfolded, runs of spaces and tabs
    /// made one space, spaces around the colon and at the end removed; then CRLF.
    static func header(name: String, value: String) -> [UInt8] {
        var out = Array(name.lowercased().trimmingSpaces.utf8)
        out.append(UInt8(ascii: ":"))
        var pendingSpace = false
        var started = false
        for byte in value.utf8 {
            switch byte {
            case 13, 10: continue
            case 32, 9: pendingSpace = true
            default:
                if pendingSpace && started { out.append(32) }
                pendingSpace = false
                started = true
                out.append(byte)
            }
        }
        out += [13, 10]
        return out
    }
}

/// The relaxed body canonicalisation, fed as the message streams: what comes out goes straight to
/// SHA-256, so memory stays flat whatever the size of the body.
struct RelaxedBodyCanonicaliser {
    private var pendingSpace = false
    private var lineHasContent = false
    /// Empty lines not yet written: only written when content follows (trailing ones are dropped).
    private var emptyLines = 0
    private var output: [UInt8] = []
    private let emit: ([UInt8]) -> Void

    init(emit: @escaping ([UInt8]) -> Void) {
        self.emit = emit
        output.reserveCapacity(64 * 1024)
    }

    mutating func feed(_ bytes: UnsafeRawBufferPointer) {
        for byte in bytes {
            switch byte {
            case 13:
                continue
            case 10:
                if lineHasContent { output += [13, 10] } else { emptyLines += 1 }
                lineHasContent = false
                pendingSpace = false
            case 32, 9:
                pendingSpace = true
            default:
                if !lineHasContent && emptyLines > 0 {
                    for _ in 0..<emptyLines { output += [13, 10] }
                    emptyLines = 0
                }
                if pendingSpace { output.append(32) }
                pendingSpace = false
                lineHasContent = true
                output.append(byte)
            }
            if output.count >= 60 * 1024 { flush() }
        }
    }

    /// The end of the body: a last line without CRLF gets one; trailing empty lines are dropped.
    mutating func finish() {
        if lineHasContent { output += [13, 10] }
        flush()
    }

    private mutating func flush() {
        if !output.isEmpty { emit(output) }
        output.removeAll(keepingCapacity: true)
    }
}
