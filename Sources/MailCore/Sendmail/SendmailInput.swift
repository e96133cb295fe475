/// A message as `sendmail` reads it from standard input, fed a chunk at a time: every line break
/// (LF, CRLF or a lone CR) becomes CRLF, as SMTP wants, and, unless `ignoreDots` (-i, -oi), a line
/// holding a single "." ends the message there, as it does for sendmail. One pass over the bytes;
/// past `limit` bytes the rest is not kept and `tooLarge` says so.
public struct SendmailInput: Sendable {
    public let ignoreDots: Bool
    public let limit: Int
    /// The message so far, CRLF line ends.
    public private(set) var bytes: [UInt8] = []
    /// A lone-dot line was read: the message ended there and later input is not part of it.
    public private(set) var ended = false
    /// More than `limit` bytes came.
    public private(set) var tooLarge = false

    /// Where the line being read starts in `bytes`.
    private var lineStart = 0
    /// A CR was read: it ends a line, and an LF right after it belongs to the same line break.
    private var pendingCR = false

    /// 64 MiB: above what providers accept (Gmail and Microsoft 365 take 25 to 35 MB), so a real
    /// message is never cut, and a runaway producer is stopped long before memory runs short.
    public static let defaultLimit = 64 * 1024 * 1024

    public init(ignoreDots: Bool, limit: Int = defaultLimit) {
        self.ignoreDots = ignoreDots
        self.limit = limit
    }

    /// Whether more input is still wanted.
    public var wantsMore: Bool { !ended && !tooLarge }

    public mutating func feed(_ chunk: some Sequence<UInt8>) {
        for byte in chunk {
            guard wantsMore else { return }
            if pendingCR {
                pendingCR = false
                endLine()
                if byte == 10 || !wantsMore { continue }
            }
            switch byte {
            case 13: pendingCR = true
            case 10: endLine()
            default: append(byte)
            }
        }
    }

    /// The end of the input: a last line without a line break gets one (a lone "." there still
    /// ends the message rather than being sent).
    public mutating func finish() {
        guard wantsMore else { return }
        if pendingCR {
            pendingCR = false
            endLine()
        } else if bytes.count > lineStart {
            endLine()
        }
    }

    private mutating func endLine() {
        if !ignoreDots && bytes.count - lineStart == 1 && bytes[lineStart] == UInt8(ascii: ".") {
            bytes.removeLast()
            ended = true
            return
        }
        append(13)
        append(10)
        lineStart = bytes.count
    }

    private mutating func append(_ byte: UInt8) {
        guard bytes.count < limit else {
            tooLarge = true
            return
        }
        bytes.append(byte)
    }
}
