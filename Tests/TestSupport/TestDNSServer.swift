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
