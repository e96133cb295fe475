import Foundation
import MailCore

/// A DNS server for one test: Tests/Support/dns_server.py (dnslib) on a free loopback port,
/// serving the zones given. Stopped by its PID.
public final class TestDNSServer: @unchecked Sendable {
    public let port: Int
    public let pid: Int32
    private let server: PythonServer

    /// A record as dns_server.py takes it: `("TXT", "v=spf1 -all")`, `("MX", "10 mx.example.test")`.
    public typealias Record = (type: String, value: String)

    /// `zones` maps a name to its records; a TXT value with `|` in it is sent as several strings.
    public init(_ zones: [String: [Record]]) throws {
        let file = TestPaths.temporaryDirectory("mailtui-dns") + "/zones.json"
        var json: [String: [[Any]]] = [:]
        for (name, records) in zones {
            json[name] = records.map { r in r.type == "TXT" && r.value.contains("|") ? [r.type, r.value.split(separator: "|").map(String.init)] : [r.type, r.value] }
        }
        try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: file))
        server = try PythonServer.start("dns_server.py", [file])
        port = server.port
        pid = server.pid
    }

    deinit { stop() }

    public func stop() { server.stop() }

    /// mailtui's resolver, asking this server.
    public var resolver: SystemResolver { SystemResolver(server: "127.0.0.1", port: port, timeout: 2) }
    /// `127.0.0.1:PORT`, for --dns-server.
    public var address: String { "127.0.0.1:\(port)" }
}

/// A loopback UDP port that is bound but never read: a DNS server that does not answer. Closed
/// when released.
public final class SilentUDPPort: @unchecked Sendable {
    public let port: Int
    private let fd: Int32

    public init() throws {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw CocoaError(.fileWriteUnknown) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else {
            close(fd)
            throw CocoaError(.fileWriteUnknown)
        }
        self.fd = fd
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(fd) }

    /// `127.0.0.1:PORT`, for --dns-server.
    public var address: String { "127.0.0.1:\(port)" }
}
