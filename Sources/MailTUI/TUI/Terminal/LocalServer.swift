import MailCore
import MailServer
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// mailtui's own server inside the compose screen, so that a first start has somewhere to send:
/// 127.0.0.1:2525 with STARTTLS and the local CA, any login, storing into the same inbox as
/// `mailtui serve`. Its events reach the screen through the event inbox.
final class LocalServer: Sendable {
    let server: CaptureServer?
    /// Where it listens (or where a running `mailtui serve` was found).
    let address: String
    let port: Int
    let caPath: String
    /// The inbox folder of a `mailtui serve` found running (nil: this process's own server's, or
    /// the default one).
    let storeDirectory: String?
    /// Whether any login works (a serve found running may have been given its logins).
    let anyLogin: Bool
    private let target: EventTarget

    private init(server: CaptureServer?, address: String, port: Int, caPath: String, storeDirectory: String? = nil, anyLogin: Bool = true,
                 target: EventTarget = EventTarget()) {
        self.server = server
        self.address = address
        self.port = port
        self.caPath = caPath
        self.storeDirectory = storeDirectory
        self.anyLogin = anyLogin
        self.target = target
    }

    /// The port the compose screen looks for a server on, or starts its own on: 2525, or
    /// `$MAILTUI_LOCAL_PORT` (for a machine, or a test, where 2525 belongs to something else).
    static var preferredPort: Int {
        getenv("MAILTUI_LOCAL_PORT").flatMap { Int(String(cString: $0)) }.flatMap { (1...65535).contains($0) ? $0 : nil } ?? 2525
    }

    /// `mailtui serve`'s own server, shown full-screen: `make` builds it with the event handler
    /// that feeds the screen.
    static func wrapping(caPath: String, _ make: (@escaping @Sendable (ServerEvent) -> Void) throws -> CaptureServer) throws -> LocalServer {
        let target = EventTarget()
        let server = try make { event in target.inbox.withLock { $0 }?.post(.server(event)) }
        let address = server.smtpAddresses.first ?? ""
        return LocalServer(server: server, address: address, port: Int(address.split(separator: ":").last ?? "") ?? 0, caPath: caPath, target: target)
    }

    /// Where the server's events go once the screen exists.
    final class EventTarget: Sendable {
        let inbox = Mutex<EventInbox?>(nil)
    }

    /// Starts one on 2525, or uses a `mailtui serve` already there when it says where its CA and
    /// inbox are (`ServeRuntimeFile`), or takes a free port when something else has 2525 (a serve
    /// that does not say, too: its CA cannot be guessed). nil (with the reason) when none can run.
    /// With a `gate` (relay mode) it is always this screen's own server, relaying through it.
    static func start(port preferred: Int = preferredPort, runtimeDirectory: String = ServeRuntimeFile.directory,
                      gate: (any TransactionGate)? = nil) -> (server: LocalServer?, note: String?) {
        let certificates = LocalCertificates()
        var note: String?
        var tryPreferred = true
        if gate == nil, greeting(port: preferred)?.contains("mailtui test server") == true {
            if let serve = ServeRuntimeFile.find(port: preferred, in: runtimeDirectory), let ca = serve.ca {
                return (LocalServer(server: nil, address: "127.0.0.1:\(preferred)", port: preferred, caPath: ca, storeDirectory: serve.store,
                                    anyLogin: serve.anyLogin ?? true),
                        "(a running mailtui serve)")
            }
            tryPreferred = false
            note = "(\(preferred) is a mailtui serve that does not say where its CA is, so this screen runs its own)"
        }
        do {
            let made = try certificates.ensure()
            var configuration = ServerConfiguration()
            configuration.hosts = ["127.0.0.1"]
            configuration.tlsPort = nil
            configuration.port = preferred
            configuration.certificatePEM = made.chainPEM
            configuration.keyPEM = made.keyPEM
            configuration.gate = gate
            let target = EventTarget()
            let onEvent: @Sendable (ServerEvent) -> Void = { event in target.inbox.withLock { $0 }?.post(.server(event)) }
            let server: CaptureServer
            if tryPreferred, let first = try? CaptureServer(configuration, onEvent: onEvent) {
                server = first
            } else {
                configuration.port = 0
                server = try CaptureServer(configuration, onEvent: onEvent)
                note = note ?? "(\(preferred) is taken by another program)"
            }
            let address = server.smtpAddresses.first ?? "127.0.0.1:\(preferred)"
            return (LocalServer(server: server, address: address, port: Int(address.split(separator: ":").last ?? "") ?? preferred,
                                caPath: certificates.caPath, target: target), note)
        } catch let refusal as MessageStoreError {
            return (nil, "no local test server: \(refusal.reason)")
        } catch {
            return (nil, "no local test server: \(error)")
        }
    }

    /// Sends the server's events to the screen's event inbox from now on.
    func deliver(to inbox: EventInbox) {
        target.inbox.withLock { $0 = inbox }
    }

    func stop() { server?.stop() }

    /// The inbox this screen shows: the server's own, or the one `mailtui serve` shares with it.
    var store: MessageStore { server?.store ?? MessageStore(directory: storeDirectory ?? XDGPaths.dataDirectory + "/inbox", keep: 1000) }

    /// The messages already in the inbox (from earlier runs or `mailtui serve`), newest first.
    var earlier: [StoredMessage] { store.records() }

    /// The greeting of whatever listens on a loopback port, if anything answers within half a second.
    static func greeting(port: Int) -> String? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard connected == 0 else { return nil }
        var timeout = timeval(tv_sec: 0, tv_usec: 500_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var buffer = [UInt8](repeating: 0, count: 512)
        let n = recv(fd, &buffer, buffer.count, 0)
        _ = "QUIT\r\n".withCString { send(fd, $0, 6, Int32(MSG_NOSIGNAL)) }
        return n > 0 ? String(decoding: buffer[0..<n], as: UTF8.self) : nil
    }
}
