import CResolv

/// What a query found.
public enum DNSAnswer: Sendable, Equatable {
    case records([DNSRecord])
    /// The name exists but has no record of that type (NODATA).
    case noRecords
    /// The name does not exist (NXDOMAIN).
    case noSuchDomain
    /// The server failed or did not answer: a temporary error, not an answer.
    case failure(String)

    /// The records, or none for every other outcome.
    public var records: [DNSRecord] {
        if case .records(let r) = self { return r }
        return []
    }
}

/// Something that answers DNS queries: the system's resolver, or a table in tests.
public protocol DNSResolving: Sendable {
    func query(_ name: String, _ type: DNSType) -> DNSAnswer
    /// Who answers, for messages: `the DNS server 192.0.2.53:53`.
    var displayName: String { get }
    /// The same resolver with each query's whole wait (every retry included) cut to about `seconds`.
    func waitingAtMost(seconds: Int) -> any DNSResolving
}

extension DNSResolving {
    public var displayName: String { "the DNS server" }
    public func waitingAtMost(seconds: Int) -> any DNSResolving { self }
}

/// The C library's resolver, asking `/etc/resolv.conf`'s servers or a chosen one.
public struct SystemResolver: DNSResolving {
    /// An IPv4 address, or nil for the system's servers.
    public var server: String?
    public var port: Int
    public var timeout: Int

    public init(server: String? = nil, port: Int = 53, timeout: Int = 5) {
        self.server = server
        self.port = port
        self.timeout = timeout
    }

    /// `HOST` or `HOST:PORT` (IPv4 only, as the C resolver's private state takes it).
    public init?(serverText: String, timeout: Int = 5) {
        let parts = serverText.split(separator: ":", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let host = parts.first.map(String.init), IPAddress.bytes(host)?.count == 4 else { return nil }
        let port = parts.count == 2 ? Int(parts[1]) : 53
        guard let port, (1...65535).contains(port) else { return nil }
        self.init(server: host, port: port, timeout: timeout)
    }

    public var displayName: String {
        server.map { "the DNS server \($0):\(port)" } ?? "the system's resolver (the servers of /etc/resolv.conf)"
    }

    /// The C resolver tries twice, the second time twice as long: the whole wait is 3 × `timeout`.
    public func waitingAtMost(seconds: Int) -> any DNSResolving {
        var copy = self
        copy.timeout = max(1, min(timeout, seconds / 3))
        return copy
    }

    public func query(_ name: String, _ type: DNSType) -> DNSAnswer {
        guard !name.isEmpty, name.utf8.count < 254, name.allSatisfy({ $0.isASCII && !$0.isWhitespace && $0 != "\0" }) else { return .noSuchDomain }
        var buffer = [UInt8](repeating: 0, count: 65535)
        var herr: Int32 = 0
        let length = mt_dns_query(name, Int32(type.rawValue), server, Int32(clamping: port), Int32(clamping: timeout), &buffer, Int32(buffer.count), &herr)
        guard length >= 0 else {
            switch herr {
            case 1: return .noSuchDomain
            case 4: return .noRecords
            case 2: return .failure("no answer from the DNS server (timeout or SERVFAIL)")
            default: return .failure("the DNS query failed (resolver error \(herr))")
            }
        }
        guard let records = DNSMessage.answers(Array(buffer.prefix(Int(length)))) else { return .failure("a malformed DNS answer") }
        return records.isEmpty ? .noRecords : .records(records)
    }
}

extension DNSResolving {
    /// TXT records at a name (each joined from its strings), following CNAMEs the server did not.
    public func texts(_ name: String) -> (texts: [String], answer: DNSAnswer, via: String?) {
        let (answer, via) = following(name, .txt)
        let texts = answer.records.compactMap(\.text)
        return (texts, answer, via)
    }

    /// A and AAAA addresses of a name (AAAA only when `ipv6`, A only when `ipv4`).
    public func addresses(_ name: String, ipv4: Bool = true, ipv6: Bool = true) -> (addresses: [String], void: Bool, failure: String?) {
        var found: [String] = []
        var void = true
        var failure: String?
        for type in [DNSType.a, .aaaa] where type == .a ? ipv4 : ipv6 {
            let answer = following(name, type).answer
            if case .failure(let why) = answer { failure = why }
            let addresses = answer.records.filter { $0.type == type.rawValue }.compactMap(\.address)
            if !addresses.isEmpty { void = false }
            found += addresses
        }
        return (found, void && failure == nil, failure)
    }

    /// MX records, lowest preference first.
    public func mx(_ name: String) -> (records: [(preference: Int, exchange: String)], answer: DNSAnswer) {
        let answer = following(name, .mx).answer
        let records = answer.records.compactMap { r -> (Int, String)? in if case .mx(let p, let e) = r.data { (p, e) } else { nil } }
        return (records.sorted { $0.0 < $1.0 || $0.0 == $1.0 && $0.1 < $1.1 }, answer)
    }

    /// PTR names of an address.
    public func ptr(_ address: String) -> [String] {
        guard let reverse = IPAddress.reverseName(address) else { return [] }
        return query(reverse, .ptr).records.compactMap(\.target)
    }

    /// The answer for a name, after up to 8 CNAMEs; `via` is the last CNAME target, if any.
    public func following(_ name: String, _ type: DNSType) -> (answer: DNSAnswer, via: String?) {
        var current = name.lowercased()
        var via: String?
        for _ in 0..<8 {
            let answer = query(current, type)
            guard case .records(let records) = answer else { return (answer, via) }
            let wanted = records.filter { $0.type == type.rawValue }
            let cname = records.last { $0.type == DNSType.cname.rawValue }?.target
            if !wanted.isEmpty { return (.records(wanted), via ?? cname) }
            guard let target = cname else { return (.noRecords, via) }
            current = target
            via = target
        }
        return (.failure("a CNAME chain longer than 8"), via)
    }
}
