#if canImport(Glibc)
import Glibc
#endif

/// A rendered message that is produced piece by piece as it is read, so that a 20 MiB attachment
/// never sits in memory whole: headers and text parts are held as bytes, attachments are read from
/// disk and base64-encoded a block at a time.
public final class MessageStream: @unchecked Sendable {
    /// One piece of the message, in order.
    enum Segment {
        case bytes([UInt8])
        case base64File(path: String, size: Int)
        /// A text body file, encoded as it is read; `size` is its encoded size, measured beforehand.
        case textFile(path: String, quotedPrintable: Bool, size: Int)
        /// A file that could not be read when the message was rendered: reading fails here.
        case unreadable(ReadError)

        var encodedSize: Int {
            switch self {
            case .bytes(let b): b.count
            case .base64File(_, let size): Base64.encodedSize(ofByteCount: size)
            case .textFile(_, _, let size): size
            case .unreadable: 0
            }
        }
    }

    /// A file that could not be read while sending.
    public struct ReadError: Error, Sendable, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "could not read \(path): \(reason)" }
    }

    private let segments: [Segment]
    /// The exact number of bytes `read` will produce.
    public let totalSize: Int

    private var segmentIndex = 0
    private var pending: [UInt8] = []
    private var pendingOffset = 0
    private var file: Int32 = -1
    private var fileRemaining = 0
    private var readBuffer: [UInt8] = []
    /// While a text body file is being read: its encoder, path, and the bytes still expected.
    private var textEncoder: TextPartEncoder?
    private var textPath = ""
    private var textRemaining = 0
    public private(set) var error: ReadError?

    /// Input bytes per block read from an attachment: whole base64 lines, about 56 KiB.
    private static let blockSize = Base64.bytesPerLine * 1000

    init(segments: [Segment]) {
        self.segments = segments
        self.totalSize = segments.reduce(0) { $0 + $1.encodedSize }
    }

    deinit { closeFile() }

    /// Fills `buffer` with the next bytes; returns 0 at the end, or -1 after a read error (see `error`).
    public func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        var written = 0
        while written < buffer.count {
            if pendingOffset == pending.count {
                guard refill() else { break }
                if error != nil { return -1 }
                continue
            }
            let n = min(buffer.count - written, pending.count - pendingOffset)
            pending.withUnsafeBytes { src in
                buffer.baseAddress!.advanced(by: written).copyMemory(from: src.baseAddress!.advanced(by: pendingOffset), byteCount: n)
            }
            pendingOffset += n
            written += n
        }
        return error == nil ? written : -1
    }

    /// A message that is already whole bytes, CRLF line ends and all (what `mailtui sendmail`
    /// read on its standard input): sent as it is, never rendered again.
    public static func bytes(_ bytes: [UInt8]) -> MessageStream {
        MessageStream(segments: [.bytes(bytes)])
    }

    /// A new stream of these bytes followed by this message (a DKIM-Signature header in front).
    public func prepending(_ bytes: [UInt8]) -> MessageStream {
        MessageStream(segments: [.bytes(bytes)] + segments)
    }

    /// Starts again from the first byte (a message sent in more than one transaction).
    public func rewind() {
        closeFile()
        segmentIndex = 0
        pending.removeAll(keepingCapacity: true)
        pendingOffset = 0
        textEncoder = nil
        textRemaining = 0
        error = nil
    }

    /// Reads everything that is left, calling `body` with each chunk (for `--dry-run` and tests).
    public func forEachChunk(_ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(into: $0) }
            if n < 0 { throw error! }
            if n == 0 { return }
            try chunk.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
        }
    }

    /// The whole message as bytes; only for small messages and tests.
    public func readAll() throws -> [UInt8] {
        var all: [UInt8] = []
        try forEachChunk { all += $0 }
        return all
    }

    /// Loads the next bytes into `pending`; false at the end of the message.
    private func refill() -> Bool {
        pending.removeAll(keepingCapacity: true)
        pendingOffset = 0
        if file >= 0 {
            if textEncoder != nil { readTextBlock() } else { readFileBlock() }
            return true
        }
        guard segmentIndex < segments.count else { return false }
        let segment = segments[segmentIndex]
        segmentIndex += 1
        switch segment {
        case .bytes(let bytes):
            pending = bytes
        case .base64File(let path, let size):
            file = RawPath.open(path, O_RDONLY | O_CLOEXEC)
            if file < 0 {
                error = ReadError(path: path, reason: String(cString: strerror(errno)))
                return true
            }
            fileRemaining = size
            readFileBlock()
        case .textFile(let path, let quotedPrintable, let size):
            file = RawPath.open(path, O_RDONLY | O_CLOEXEC)
            if file < 0 {
                error = ReadError(path: path, reason: String(cString: strerror(errno)))
                return true
            }
            textEncoder = TextPartEncoder(quotedPrintable: quotedPrintable)
            textPath = path
            textRemaining = size
            readTextBlock()
        case .unreadable(let problem):
            error = problem
        }
        return true
    }

    /// Encodes the next block of a text body file. The bytes must come out exactly as measured: a
    /// file that changed since is an error, never a message of another size than announced.
    private func readTextBlock() {
        let blockSize = TextFileSurvey.blockSize
        if readBuffer.count < blockSize { readBuffer = [UInt8](repeating: 0, count: blockSize) }
        var n = 0
        repeat { n = readBuffer.withUnsafeMutableBytes { Glibc.read(file, $0.baseAddress, blockSize) } } while n < 0 && errno == EINTR
        if n < 0 {
            error = ReadError(path: textPath, reason: String(cString: strerror(errno)))
            closeFile()
            return
        }
        if n == 0 {
            textEncoder?.finish(into: &pending)
            textEncoder = nil
            closeFile()
        } else {
            readBuffer.withUnsafeBytes { textEncoder?.encode(UnsafeRawBufferPointer(rebasing: $0[0..<n]), into: &pending) }
        }
        textRemaining -= pending.count
        if textRemaining < 0 || (textEncoder == nil && textRemaining != 0) {
            error = ReadError(path: textPath, reason: "the file changed while it was being sent")
            textEncoder = nil
            closeFile()
        }
    }

    private func readFileBlock() {
        let want = min(Self.blockSize, fileRemaining)
        if readBuffer.count < Self.blockSize { readBuffer = [UInt8](repeating: 0, count: Self.blockSize) }
        var got = 0
        while got < want {
            let n = readBuffer.withUnsafeMutableBytes { Glibc.read(file, $0.baseAddress! + got, want - got) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 {
                error = ReadError(path: "attachment", reason: n == 0 ? "the file shrank while it was being sent" : String(cString: strerror(errno)))
                closeFile()
                return
            }
            got += n
        }
        fileRemaining -= got
        readBuffer.withUnsafeBufferPointer { Base64.appendLines(UnsafeBufferPointer(rebasing: $0[0..<got]), to: &pending) }
        if fileRemaining == 0 { closeFile() }
    }

    private func closeFile() {
        if file >= 0 { close(file); file = -1 }
    }
}
