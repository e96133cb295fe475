import NIOCore

/// One unit of SMTP input: a line (without its CR LF), a line that was too long, or octets of a
/// BDAT chunk.
enum SMTPFrame: Sendable, Equatable {
    case line([UInt8])
    /// A line over its mode's limit: its octets were dropped as they came, never kept.
    case tooLong
    /// Octets of a BDAT chunk as they arrive; `final` on the part that ends the chunk.
    case chunk([UInt8], final: Bool)
}

/// How input is cut: into lines with a limit that depends on what the session expects, or into a
/// BDAT chunk of a known length (RFC 3030), taken as it is.
enum SMTPFrameMode: Sendable, Equatable {
    /// Commands: 512 octets, 12,288 for `AUTH` with an initial response (RFC 4954, 4).
    case command
    /// An answer to an AUTH challenge: 12,288 octets.
    case auth
    /// A line of a message after DATA: 1000 octets (RFC 5321, 4.5.3.1.6).
    case data
    /// This many octets more of a BDAT chunk.
    case chunk(remaining: Int)
}

/// The framing itself, on a buffer someone else owns (`SMTPFrameDecoder`'s, in the pipeline).
/// Memory stays bounded: a line over its limit with no end in sight is dropped as it arrives,
/// and reported once it ends.
struct SMTPFramer: Sendable {
    /// Whether the start of a too-long line was dropped and its end is still to come.
    private(set) var discarding = false

    /// The limit, with CR LF, of a line in `mode` that starts at `buffer`'s reader index.
    static func limit(_ mode: SMTPFrameMode, _ buffer: ByteBuffer) -> Int {
        switch mode {
        case .auth: return ServerConfiguration.authLineLimit
        case .data: return ServerConfiguration.dataLineLimit
        case .command, .chunk:
            let start = buffer.readableBytesView.prefix(5).map { $0 | 0x20 }
            return start == Array("auth ".utf8) ? ServerConfiguration.authLineLimit : ServerConfiguration.commandLineLimit
        }
    }

    /// The next line (or `.tooLong`) in `buffer`, consumed; nil when no whole line is there yet.
    mutating func nextLine(_ mode: SMTPFrameMode, from buffer: inout ByteBuffer) -> SMTPFrame? {
        let limit = Self.limit(mode, buffer)
        guard let newline = buffer.readableBytesView.firstIndex(of: 10) else {
            if buffer.readableBytes > limit {
                // Over the limit with no end in sight: drop it, remember to answer at its end.
                buffer.clear()
                discarding = true
            }
            buffer.discardReadBytes()
            return nil
        }
        var line = buffer.readBytes(length: newline - buffer.readerIndex + 1) ?? []
        line.removeLast()
        if line.last == 13 { line.removeLast() }
        if discarding || line.count + 2 > limit {
            discarding = false
            return .tooLong
        }
        return .line(line)
    }

    /// What has arrived of a chunk with `remaining` octets to go, consumed; nil when nothing has
    /// (a chunk of none ends at once).
    func nextChunk(remaining: Int, from buffer: inout ByteBuffer) -> SMTPFrame? {
        let count = min(remaining, buffer.readableBytes)
        guard count > 0 || remaining == 0 else { return nil }
        let bytes = buffer.readBytes(length: count) ?? []
        buffer.discardReadBytes()
        return .chunk(bytes, final: count == remaining)
    }
}

/// SMTP framing in the channel pipeline, ahead of the session: bytes in, `SMTPFrame`s out. The
/// session answers each frame before the next is cut (a `ByteToMessageHandler` hands them over
/// one at a time), so it sets the mode for the next one: a DATA line's limit, an AUTH answer's,
/// the octets of a BDAT chunk (which switches back to commands when it ends). While the session
/// cannot take a frame (a delay fault, the gate or the store at work, replies not read), it holds
/// the decoder: bytes wait in the handler's buffer, whose size the handler caps, and the session
/// asks for them again when it can (`SMTPSessionHandler.resume`).
final class SMTPFrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = SMTPFrame

    var mode: SMTPFrameMode
    /// The session cannot take a frame now: bytes wait.
    var holding = false
    /// The session ended or hangs: whatever comes is dropped as it comes.
    var ignoring = false
    /// What is buffered now is dropped (cleartext sent after STARTTLS, RFC 3207): right after
    /// the frame that set it, or at the session's next call for the frames it held.
    var dropBuffered = false
    private var framer = SMTPFramer()
    /// Octets waiting when the decoder last looked.
    private(set) var buffered = 0

    init(mode: SMTPFrameMode = .command) {
        self.mode = mode
    }

    /// Whether part of a line (or of a too-long line) came and its end has not.
    var partialLine: Bool { buffered > 0 || framer.discarding }

    func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        defer { buffered = buffer.readableBytes }
        if ignoring || dropBuffered {
            dropBuffered = false
            buffer.clear()
            return .needMoreData
        }
        guard !holding else { return .needMoreData }
        let frame: SMTPFrame?
        if case .chunk(let remaining) = mode {
            frame = framer.nextChunk(remaining: remaining, from: &buffer)
            if case .chunk(let bytes, let final)? = frame {
                mode = final ? .command : .chunk(remaining: remaining - bytes.count)
            }
        } else {
            frame = framer.nextLine(mode, from: &buffer)
        }
        guard let frame else { return .needMoreData }
        context.fireChannelRead(wrapInboundOut(frame))
        if dropBuffered {
            // The frame was STARTTLS: what came after it in the clear goes.
            dropBuffered = false
            buffer.clear()
            return .needMoreData
        }
        return .continue
    }

    func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        // The client is gone: nothing it sent can be answered, so nothing is handed on.
        buffer.clear()
        buffered = 0
        return .needMoreData
    }
}
