import MailCore
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// A local SMTP server that captures mail and fails on purpose: plain SMTP with STARTTLS on one
/// port, implicit TLS on another, every accepted message stored, nothing relayed anywhere.
public final class CaptureServer: Sendable {
    public let configuration: ServerConfiguration
    public let faults: FaultBook
    public let store: MessageStore
    /// `127.0.0.1:2525`-style addresses actually bound.
    public let smtpAddresses: [String]
    public let smtpsAddresses: [String]
    private let group: MultiThreadedEventLoopGroup
    private let channels: Mutex<[Channel]>
    private let shared: ServerContext

    /// Binds and starts serving; `onEvent` hears of every message, session and fault (on the
    /// server's threads). Binding the first host must work; further hosts (::1 on a machine
    /// without IPv6) may be skipped.
    public init(_ configuration: ServerConfiguration, faults: [Fault] = [], onEvent: @escaping @Sendable (ServerEvent) -> Void) throws {
        self.configuration = configuration
        self.faults = FaultBook(faults, seed: configuration.faultSeed)
        store = MessageStore(directory: configuration.store, keep: configuration.keep)
        if let refusal = store.refusal { throw refusal }
        var sslContext: NIOSSLContext?
        if let certificatePEM = configuration.certificatePEM, let keyPEM = configuration.keyPEM {
            let chain = try NIOSSLCertificate.fromPEMBytes(Array(certificatePEM.utf8)).map { NIOSSLCertificateSource.certificate($0) }
            let key = try NIOSSLPrivateKey(bytes: Array(keyPEM.utf8), format: .pem)
            sslContext = try NIOSSLContext(configuration: .makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key)))
        }
        let context = ServerContext(configuration: configuration, faults: self.faults, store: store, sslContext: sslContext, emit: onEvent)
        shared = context
        group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, min(4, System.coreCount)))
        var bound: [Channel] = []
        do {
            let plain = try Self.bind(configuration.hosts, port: configuration.port, context: context, tls: nil, group: group)
            bound += plain.channels
            smtpAddresses = plain.addresses
            if let tlsPort = configuration.tlsPort, let sslContext {
                let secure = try Self.bind(configuration.hosts, port: tlsPort, context: context, tls: sslContext, group: group)
                bound += secure.channels
                smtpsAddresses = secure.addresses
            } else {
                smtpsAddresses = []
            }
        } catch {
            for channel in bound { try? channel.close().wait() }
            try? group.syncShutdownGracefully()
            throw error
        }
        channels = Mutex(bound)
        onEvent(.listening(smtp: smtpAddresses, smtps: smtpsAddresses))
        // After listening: on a large folder, this takes a while.
        store.startReconciling()
    }

    private static func bind(_ hosts: [String], port: Int, context: ServerContext, tls: NIOSSLContext?, group: EventLoopGroup) throws -> (channels: [Channel], addresses: [String]) {
        var channels: [Channel] = []
        var addresses: [String] = []
        var chosenPort = port
        for (index, host) in hosts.enumerated() {
            let bootstrap = ServerBootstrap(group: group)
                .serverChannelOption(.backlog, value: 256)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .serverChannelInitializer { channel in
                    // Out of file descriptors, accepting pauses instead of spinning.
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(AcceptPause())
                    }
                }
                .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let sync = channel.pipeline.syncOperations
                        if let tls {
                            try sync.addHandler(CipherSniffer())
                            try sync.addHandler(NIOSSLServerHandler(context: tls))
                        }
                        try sync.addHandler(IdleStateHandler(readTimeout: .seconds(context.configuration.idleSeconds)))
                        try sync.addHandlers(SMTPSessionHandler.handlers(server: context, implicitTLS: tls != nil))
                    }
                }
            do {
                let channel = try bootstrap.bind(host: host, port: chosenPort).wait()
                if chosenPort == 0 { chosenPort = channel.localAddress?.port ?? 0 }
                channels.append(channel)
                let shown = host.contains(":") ? "[\(host)]" : host
                addresses.append("\(shown):\(channel.localAddress?.port ?? chosenPort)")
            } catch where index > 0 {
                continue
            }
        }
        return (channels, addresses)
    }

    /// The listening channels (for tests).
    var listeningChannels: [Channel] { channels.withLock { $0 } }

    /// The most octets any connection held of unsent replies and of waiting input (for tests).
    var bufferHighWater: (unsent: Int, input: Int) { shared.highWater.withLock { $0 } }

    /// Stops listening and closes every connection; a message being received is dropped whole.
    public func stop() {
        let open = channels.withLock { channels in
            defer { channels = [] }
            return channels
        }
        for channel in open { try? channel.close().wait() }
        // Messages already received are stored and answered before the connections close.
        store.close()
        try? group.syncShutdownGracefully()
    }
}
