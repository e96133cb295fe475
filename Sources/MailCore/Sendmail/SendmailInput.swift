/// A message as `sendmail` reads it from standard input, fed a chunk at a time: every line break
/// (LF, CRLF or a lone CR) becomes CRLF, as SMTP wants, and, unless `ignoreDots` (-i, -oi), a line
/// holding a single "." ends the message there, as it does for sendmail. One pass over the bytes;
/// past `limit` bytes the rest is not kept and `tooLarge` says so. The same pass notes whether the
/// input is text at all (`notText`): a file piped in by mistake is refused before any connection.
public struct SendmailInput: Sendable {
    public let ignoreDots: Bool
    public let limit: Int
    /// The message so far, CRLF line ends.
    public private(set) var bytes: [UInt8] = []
    /// A lone-dot line was read: the message ended there and later input is not part of it.
    public private(set) var ended = false
    /// More than `limit` bytes came.
    public private(set) var tooLarge = false

    /// Why the input is no text message, or nil: see `NotText`.
    public var notText: NotText? {
        if let nul = firstNUL { return .nul(line: nul.line, offset: nul.offset) }
        if oddControls >= NotText.fewestControls && oddControls * NotText.controlShare > read {
            return .controls(count: oddControls, of: read)
        }
        return nil
    }

    /// Bytes of the input read so far (before line breaks are made CRLF).
    private var read = 0
    /// Line breaks read so far: the line a byte is on is this plus one.
    private var lineBreaks = 0
    private var firstNUL: (line: Int, offset: Int)?
    /// Control characters that text does not use (see `NotText.isOddControl`).
    private var oddControls = 0
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
            if byte == 0 && firstNUL == nil { firstNUL = (lineBreaks + 1 + (pendingCR ? 1 : 0), read) }
            if NotText.isOddControl(byte) { oddControls += 1 }
            read += 1
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
        lineBreaks += 1
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

extension SendmailInput {
    /// Why an input is not a message a server takes as text, as 8BITMIME (RFC 6152) allows it:
    /// lines of 8-bit text, in any charset. UTF-8 or Latin-1, long lines, a bare CR (it becomes a
    /// line break here), an escape or a backspace in a job's output all go; what is refused is
    /// what only a file that is not text holds. A line over the 998 octets SMTP allows is not
    /// sent as it is: `SendmailLineLimit` folds it or re-encodes the body first.
    public enum NotText: Sendable, Equatable, CustomStringConvertible {
        /// A NUL byte: no SMTP transfer without BINARYMIME may carry one (RFC 2045 2.8, RFC 6152),
        /// text never holds one, and an image, an archive or a PDF nearly always does.
        case nul(line: Int, offset: Int)
        /// Many control characters that no text uses: binary data without a NUL (a small
        /// compressed file) has about one in eleven of them.
        case controls(count: Int, of: Int)

        /// Fewer odd controls than this is a text with a few stray ones, sent as it is.
        static let fewestControls = 16
        /// More than one byte in this many being an odd control is not text.
        static let controlShare = 64

        /// A C0 control (or DEL) that text does not use: not TAB, LF, CR, FF, BEL, backspace
        /// (overstrike in man pages), ESC (ANSI colours, ISO-2022-JP), SO and SI (ISO-2022-KR).
        static func isOddControl(_ byte: UInt8) -> Bool {
            switch byte {
            case 1...6, 0x0B, 0x10...0x1A, 0x1C...0x1F, 0x7F: true
            default: false
            }
        }

        public var description: String {
            switch self {
            case .nul(let line, let offset):
                "the input is not a text message: it holds a NUL byte (line \(line), byte \(offset + 1)), as an image, an archive or another binary file does, and mail cannot carry NUL bytes"
            case .controls(let count, let total):
                "the input is not a text message: \(count) of its \(total) bytes are control characters that text does not hold, as in a binary file"
            }
        }

        /// What to do instead.
        public static let hint = "Nothing was sent. To mail a file, attach it: mailtui send --to ADDR --subject TEXT --attach FILE (it is encoded for you); or encode it into a MIME part (base64) before piping it here."
    }
}
