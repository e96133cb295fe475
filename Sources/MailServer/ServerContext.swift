import NIOSSL
import Synchronization

/// What every connection shares.
final class ServerContext: Sendable {
    let configuration: ServerConfiguration
    let faults: any FaultSource
    let store: any MessageSink
    let sslContext: NIOSSLContext?
    let emit: @Sendable (ServerEvent) -> Void
    let connections: ConnectionCount
    /// The most any connection held of unsent replies and of input waiting, for tests to check
    /// that memory per connection stays bounded.
    let highWater = Mutex((unsent: 0, input: 0))

    init(configuration: ServerConfiguration, faults: any FaultSource, store: any MessageSink, sslContext: NIOSSLContext?, emit: @escaping @Sendable (ServerEvent) -> Void) {
        self.configuration = configuration
        self.faults = faults
        self.store = store
        self.sslContext = sslContext
        self.emit = emit
        connections = ConnectionCount(maxTotal: configuration.maxConnections, maxPerAddress: configuration.maxConnectionsPerAddress)
    }
}
