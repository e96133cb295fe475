import Dispatch
import NIOCore
import NIOHTTP1

/// One HTTP connection of the API: gathers a request (head and bounded body), hands it to the
/// responder off the event loop (answers read files), and writes the answer. A request at a time;
/// an idle connection is closed unless a request is being answered (a long `wait`).
final class APIHTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let responder: APIResponder
    private let cap: RequestSizeCap
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []
    private var tooLarge = false
    private var busy = false
    /// The event stream this connection holds open, if any.
    private var streamNumber: Int?
    /// The request being answered, told if the connection closes first (a long `wait`).
    private var pending: APIWaiters.Abandon?

    /// The largest request body taken; beyond it, 413.
    static let largestBody = 1024 * 1024

    init(responder: APIResponder, cap: RequestSizeCap) {
        self.responder = responder
        self.cap = cap
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let request):
            head = request
            body = []
            tooLarge = false
            cap.headDone(bodyAllowance: Self.largestBody)
        case .body(let chunk):
            guard !tooLarge else { return }
            if body.count + chunk.readableBytes > Self.largestBody {
                tooLarge = true
                body = []
            } else {
                body.append(contentsOf: chunk.readableBytesView)
            }
        case .end:
            cap.requestDone()
            guard let request = head else { return }
            head = nil
            if tooLarge {
                respond(context: context, keepAlive: false, .text(413, "the request body is over \(Self.largestBody) bytes"))
                return
            }
            let fromLoopback = Self.isLoopback(context.channel.remoteAddress)
            let apiRequest = APIRequest(method: request.method.rawValue, target: request.uri, authorization: request.headers.first(name: "authorization"),
                                        body: body, fromLoopback: fromLoopback, host: request.headers.first(name: "host"),
                                        isHTTP10: request.version.major == 1 && request.version.minor == 0)
            body = []
            busy = true
            if APIRoute.parse(method: apiRequest.method, target: apiRequest.target).route == .events {
                stream(context: context, apiRequest)
                return
            }
            let keepAlive = request.isKeepAlive
            let loop = context.eventLoop
            let bound = NIOLoopBound((self, context), eventLoop: loop)
            let responder = responder
            let abandon = APIWaiters.Abandon()
            pending = abandon
            DispatchQueue.global().async {
                responder.handle(apiRequest, abandon: abandon) { response in
                    loop.execute {
                        let (handler, context) = bound.value
                        handler.busy = false
                        handler.pending = nil
                        handler.respond(context: context, keepAlive: keepAlive, response)
                    }
                }
            }
        }
    }

    /// Server-sent events until the client goes: a client that does not read them is dropped
    /// rather than buffered for.
    private func stream(context: ChannelHandlerContext, _ request: APIRequest) {
        if let refusal = responder.refusal(request) { return respond(context: context, keepAlive: false, refusal) }
        let loop = context.eventLoop
        let bound = NIOLoopBound((self, context), eventLoop: loop)
        let number = responder.events.open { bytes in
            loop.execute {
                let (_, context) = bound.value
                guard context.channel.isActive else { return }
                guard context.channel.isWritable else { return context.close(promise: nil) }
                var buffer = context.channel.allocator.buffer(capacity: bytes.count)
                buffer.writeBytes(bytes)
                context.writeAndFlush(NIOAny(HTTPServerResponsePart.body(.byteBuffer(buffer))), promise: nil)
            }
        }
        guard let number else { return respond(context: context, keepAlive: false, .text(503, "\(APIEvents.most) event streams are open already")) }
        streamNumber = number
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "text/event-stream")
        headers.add(name: "Cache-Control", value: "no-cache")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))), promise: nil)
        var buffer = context.channel.allocator.buffer(capacity: 16)
        buffer.writeString(": connected\n\n")
        context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let streamNumber { responder.events.close(streamNumber) }
        streamNumber = nil
        pending?.abandon()
        pending = nil
        context.fireChannelInactive()
    }

    private func respond(context: ChannelHandlerContext, keepAlive: Bool, _ response: APIResponse) {
        guard context.channel.isActive else { return }
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: response.contentType)
        headers.add(name: "Content-Length", value: String(response.body.count))
        headers.add(name: "Connection", value: keepAlive ? "keep-alive" : "close")
        let head = HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: response.status), headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        var buffer = context.channel.allocator.buffer(capacity: response.body.count)
        buffer.writeBytes(response.body)
        context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive { done.whenComplete { [channel = context.channel] _ in channel.close(promise: nil) } }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent, !busy {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    static func isLoopback(_ address: SocketAddress?) -> Bool {
        guard let ip = address?.ipAddress else { return false }
        return ip.hasPrefix("127.") || ip == "::1" || ip.hasPrefix("::ffff:127.")
    }
}

/// Bounds what a client may send before its request's head is read (a huge header), and then its
/// body: over the bound, it is answered 431 (the head) or 413 (the body) and the connection closes. It sits before the HTTP
/// decoder, which would otherwise keep the head's bytes as they come.
final class RequestSizeCap: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// The most bytes of a request's head (request line and headers).
    static let largestHead = 64 * 1024
    private var allowance = RequestSizeCap.largestHead
    private var used = 0
    private var refused = false
    /// Whether the head was read: past it, what overflows is the body (413, not 431).
    private var inBody = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !refused else { return }
        let buffer = unwrapInboundIn(data)
        used += buffer.readableBytes
        guard used <= allowance else {
            refused = true
            let (status, body) = inBody
                ? ("413 Content Too Large", "the request's body is too large: send at most \(APIHTTPHandler.largestBody) bytes\n")
                : ("431 Request Header Fields Too Large", "the request's head is over \(Self.largestHead) bytes: shorten its headers\n")
            let text = "HTTP/1.1 \(status)\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: \(body.utf8.count)\r\n"
                + "Connection: close\r\n\r\n" + body
            var out = context.channel.allocator.buffer(capacity: text.utf8.count)
            out.writeString(text)
            context.writeAndFlush(wrapOutboundOut(out)).whenComplete { [channel = context.channel] _ in channel.close(promise: nil) }
            return
        }
        context.fireChannelRead(data)
    }

    /// The head was read: the body may add up to `bodyAllowance` bytes.
    func headDone(bodyAllowance: Int) {
        allowance = used + bodyAllowance + Self.largestHead
        inBody = true
    }

    /// The request was read whole: the next starts afresh.
    func requestDone() {
        used = 0
        allowance = Self.largestHead
        inBody = false
    }
}
