#if canImport(Glibc)
import Glibc
#endif

/// IP address literals.
public enum IPAddress {
    /// Whether the text is an IPv4 or IPv6 address, as inet_pton reads them.
    public static func isLiteral(_ text: String) -> Bool { bytes(text) != nil }
}

extension IPAddress {
    /// An IPv6 address in its usual short text form.
    package static func text(ipv6 bytes: [UInt8]) -> String {
        var buffer = [CChar](repeating: 0, count: 64)
        var raw = bytes
        guard bytes.count == 16, inet_ntop(AF_INET6, &raw, &buffer, 64) != nil else { return "?" }
        return buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    /// The 4 or 16 bytes of an address, or nil when the text is not one.
    public static func bytes(_ text: String) -> [UInt8]? {
        var four = [UInt8](repeating: 0, count: 4)
        if inet_pton(AF_INET, text, &four) == 1 { return four }
        var sixteen = [UInt8](repeating: 0, count: 16)
        if inet_pton(AF_INET6, text, &sixteen) == 1 { return sixteen }
        return nil
    }

    /// `HOST:PORT` or `[V6]:PORT` where HOST is an IP address (no name lookup) and PORT is 1 to
    /// 65535 (a spamd's address in `--spamd` and config.toml); nil for anything else.
    public static func withPort(_ address: String) -> (host: String, port: Int)? {
        let host: String
        let portText: Substring
        if address.hasPrefix("["), let close = address.firstIndex(of: "]") {
            host = String(address[address.index(after: address.startIndex)..<close])
            let rest = address[address.index(after: close)...]
            guard rest.hasPrefix(":") else { return nil }
            portText = rest.dropFirst()
        } else {
            guard let colon = address.lastIndex(of: ":") else { return nil }
            host = String(address[..<colon])
            portText = address[address.index(after: colon)...]
        }
        guard bytes(host) != nil, let port = Int(portText), (1...65535).contains(port) else { return nil }
        return (host, port)
    }

    /// The name of a reverse lookup: `4.3.2.1.in-addr.arpa`, or the nibbles under ip6.arpa.
    public static func reverseName(_ text: String) -> String? {
        guard let bytes = bytes(text) else { return nil }
        if bytes.count == 4 { return bytes.reversed().map(String.init).joined(separator: ".") + ".in-addr.arpa" }
        let nibbles = bytes.reversed().flatMap { [$0 & 0xF, $0 >> 4] }
        return nibbles.map { String(UnicodeScalar(HexDigits.digit($0, uppercase: false))) }.joined(separator: ".") + ".ip6.arpa"
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

extension IPAddress {
    /// Whether the first `length` bits of two addresses agree.
    package static func prefixMatches(_ a: [UInt8], _ b: [UInt8], length: Int) -> Bool {
        guard a.count == b.count else { return false }
        var bits = min(max(0, length), a.count * 8)
        var i = 0
        while bits > 0 {
            let mask: UInt8 = bits >= 8 ? 0xFF : ~(0xFF >> UInt8(bits))
            if a[i] & mask != b[i] & mask { return false }
            bits -= 8
            i += 1
        }
        return true
    }
}

/// Domain names as SPF and DMARC take them.
public enum DomainName {
    /// At least two labels of letters, digits and hyphens (underscores allowed, as in _spf), each
    /// 1 to 63 characters, 253 in all.
    public static func isValid(_ name: String) -> Bool {
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, name.utf8.count <= 253 else { return false }
        return labels.allSatisfy { label in
            !label.isEmpty && label.utf8.count <= 63 && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
        }
    }
}
