import Foundation
import MailCore

/// A DNS server for one test: Tests/Support/dns_server.py (dnslib) on a free loopback port,
/// serving the zones given. Stopped by its PID.
public final class TestDNSServer: @unchecked Sendable {
    public let port: Int
    public let pid: Int32
    private let process: Process

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
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", TestPaths.support("dns_server.py"), file]
        let output = Pipe()
        let errors = TestPaths.temporaryDirectory("mailtui-dns") + "/stderr.txt"
        _ = FileManager.default.createFile(atPath: errors, contents: nil)
        process.standardOutput = output
        process.standardError = FileHandle(forWritingAtPath: errors)
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty {
                process.waitUntilExit()
                throw TestServerError.didNotStart("dns_server.py: " + ((try? String(contentsOfFile: errors, encoding: .utf8)) ?? ""))
            }
            line.append(chunk)
        }
        struct Ready: Decodable { var port: Int; var pid: Int32 }
        let ready = try JSONDecoder().decode(Ready.self, from: line.prefix(while: { $0 != UInt8(ascii: "\n") }))
        port = ready.port
        pid = ready.pid
    }

    deinit { stop() }

    public func stop() {
        guard process.isRunning else { return }
        kill(pid, SIGKILL)
        process.waitUntilExit()
    }

    /// mailtui's resolver, asking this server.
    public var resolver: SystemResolver { SystemResolver(server: "127.0.0.1", port: port, timeout: 2) }
    /// `127.0.0.1:PORT`, for --dns-server.
    public var address: String { "127.0.0.1:\(port)" }
}
