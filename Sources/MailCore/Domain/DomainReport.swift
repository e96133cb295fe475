#if canImport(Glibc)
import Glibc
#endif

extension DomainCheck {
    /// The report for people: one block per check, its records, and each finding marked
    /// ✓ (ok), ! (warning) or ✗ (problem).
    public static func report(_ domain: String, _ sections: [Section], dnsServer: String?) -> [String] {
        var lines = ["Checking \(domain)" + (dnsServer.map { " (DNS: \($0))" } ?? "")]
        for section in sections {
            lines.append("")
            let name = section.name.count >= 14 ? section.name + " " : section.name + String(repeating: " ", count: 14 - section.name.count)
            lines.append(name + section.verdict.rawValue.uppercased())
            for record in section.records { lines.append("  " + record) }
            for finding in section.findings {
                let mark = finding.verdict == .ok ? "✓" : finding.verdict == .warning ? "!" : "✗"
                lines.append("  \(mark) \(finding.text)")
            }
        }
        let problems = sections.filter { $0.verdict == .problem }.map(\.name)
        lines.append("")
        lines.append(problems.isEmpty ? "No problems found." : "Problems: \(problems.joined(separator: ", ")).")
        return lines
    }
}

/// The addresses of a host name, as the system resolves them.
public enum HostAddresses {
    public static func lookUp(_ host: String) -> [String] {
        if IPAddress.bytes(host) != nil { return [host] }
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard !host.isEmpty, getaddrinfo(host, nil, &hints, &list) == 0 else { return [] }
        defer { freeaddrinfo(list) }
        var found: [String] = []
        var cursor = list
        while let entry = cursor {
            var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            if getnameinfo(entry.pointee.ai_addr, entry.pointee.ai_addrlen, &buffer, socklen_t(buffer.count), nil, 0, NI_NUMERICHOST) == 0 {
                let text = buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
                if !found.contains(text) { found.append(text) }
            }
            cursor = entry.pointee.ai_next
        }
        return found
    }
}

extension IPAddress {
    /// 127.0.0.0/8 or ::1.
    public static func isLoopback(_ text: String) -> Bool {
        guard let bytes = bytes(text) else { return false }
        return bytes.count == 4 ? bytes[0] == 127 : bytes == [UInt8](repeating: 0, count: 15) + [1]
    }
}
