import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// The HTTP API beside the SMTP server (`serve --api`): Mailpit's v1 endpoints over the store, and
/// mailtui's own (`wait`, `conversation`). It listens on loopback; another host only with a token,
/// which every client that is not on loopback must give (`Authorization: Bearer`).
public final class APIServer: Sendable {
    public let responder: APIResponder
    /// `127.0.0.1:8025`-style addresses actually bound.
    public let addresses: [String]
    private let group: MultiThreadedEventLoopGroup
    private let channels: Mutex<[Channel]>

    /// Seconds a connection may stay silent while no request of it is being answered.
    public static let idleSeconds: Int64 = 60

    public enum Problem: Error, CustomStringConvertible {
        case tokenNeeded(host: String)

        public var description: String {
            switch self {
            case .tokenNeeded(let host): "the API would listen on \(host), which is not a loopback address: give --api-token so that others must show it"
            }
        }
    }

    public init(hosts: [String], port: Int, responder: APIResponder, token: String?) throws {
        if token == nil, let outside = hosts.first(where: { !Self.isLoopbackHost($0) }) { throw Problem.tokenNeeded(host: outside) }
        self.responder = responder
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        var bound: [Channel] = []
        var shown: [String] = []
        var chosenPort = port
        do {
            for (index, host) in hosts.enumerated() {
                let bootstrap = ServerBootstrap(group: group)
                    .serverChannelOption(.backlog, value: 64)
                    .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                    .serverChannelInitializer { channel in
                        channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(AcceptPause()) }
                    }
                    .childChannelInitializer { channel in
                        channel.eventLoop.makeCompletedFuture {
                            let sync = channel.pipeline.syncOperations
                            let cap = RequestSizeCap()
                            try sync.addHandler(cap)
                            try sync.configureHTTPServerPipeline(withPipeliningAssistance: true, withErrorHandling: true)
                            try sync.addHandler(IdleStateHandler(readTimeout: .seconds(Self.idleSeconds)))
                            try sync.addHandler(APIHTTPHandler(responder: responder, cap: cap))
                        }
                    }
                do {
                    let channel = try bootstrap.bind(host: host, port: chosenPort).wait()
                    if chosenPort == 0 { chosenPort = channel.localAddress?.port ?? 0 }
                    bound.append(channel)
                    shown.append((host.contains(":") ? "[\(host)]" : host) + ":\(channel.localAddress?.port ?? chosenPort)")
                } catch where index > 0 {
                    continue
                }
            }
        } catch {
            for channel in bound { try? channel.close().wait() }
            try? group.syncShutdownGracefully()
            throw error
        }
        addresses = shown
        channels = Mutex(bound)
    }

    /// `http://127.0.0.1:8025`: where a client points.
    public var url: String { "http://" + (addresses.first ?? "127.0.0.1") }

    public func stop() {
        let open = channels.withLock { channels in
            defer { channels = [] }
            return channels
        }
        for channel in open { try? channel.close().wait() }
        try? group.syncShutdownGracefully()
    }

    static func isLoopbackHost(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }
}
