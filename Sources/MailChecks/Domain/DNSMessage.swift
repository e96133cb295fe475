#if canImport(Glibc)
import Glibc
#endif

/// DNS record types the domain checks read.
public enum DNSType: UInt16, Sendable, CaseIterable {
    case a = 1, ns = 2, cname = 5, ptr = 12, mx = 15, txt = 16, aaaa = 28

}

/// One resource record of an answer.
public struct DNSRecord: Sendable, Equatable {
    public enum Data: Sendable, Equatable {
        /// An A or AAAA record, as text (`192.0.2.1`, `2001:db8::1`).
        case address(String)
        /// A CNAME, PTR or NS target, without the final dot.
        case name(String)
        case mx(preference: Int, exchange: String)
        /// A TXT record's character-strings, in order (joined, they are the record).
        case text([String])
        case other
    }

    /// The owner name, lowercased, without the final dot.
    public var name: String
    public var type: UInt16
    public var data: Data

    public init(name: String, type: UInt16, data: Data) {
        self.name = name
        self.type = type
        self.data = data
    }

    /// A CNAME's, PTR's or NS's target.
    public var target: String? { if case .name(let n) = data { n } else { nil } }
    /// A TXT record's strings, joined.
    public var text: String? { if case .text(let s) = data { s.joined() } else { nil } }
    /// An A or AAAA record's address.
    public var address: String? { if case .address(let a) = data { a } else { nil } }
}

/// Reads the answer section of a DNS response (RFC 1035 wire format). Never traps on bad input:
/// a malformed message gives nil.
public enum DNSMessage {
    public static func answers(_ bytes: [UInt8]) -> [DNSRecord]? {
        guard bytes.count >= 12 else { return nil }
        let questions = Int(bytes[4]) << 8 | Int(bytes[5])
        let answers = Int(bytes[6]) << 8 | Int(bytes[7])
        var offset = 12
        for _ in 0..<questions {
            guard readName(bytes, &offset) != nil, offset + 4 <= bytes.count else { return nil }
            offset += 4
        }
        var records: [DNSRecord] = []
        for _ in 0..<answers {
            guard let name = readName(bytes, &offset), offset + 10 <= bytes.count else { return nil }
            let type = UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
            let length = Int(bytes[offset + 8]) << 8 | Int(bytes[offset + 9])
            offset += 10
            guard offset + length <= bytes.count else { return nil }
            let end = offset + length
            var cursor = offset
            let data: DNSRecord.Data
            switch DNSType(rawValue: type) {
            case .a? where length == 4:
                data = .address(bytes[offset..<end].map(String.init).joined(separator: "."))
            case .aaaa? where length == 16:
                data = .address(IPAddress.text(ipv6: Array(bytes[offset..<end])))
            case .cname?, .ptr?, .ns?:
                guard let target = readName(bytes, &cursor) else { return nil }
                data = .name(target)
            case .mx? where length >= 3:
                cursor += 2
                guard let exchange = readName(bytes, &cursor) else { return nil }
                data = .mx(preference: Int(bytes[offset]) << 8 | Int(bytes[offset + 1]), exchange: exchange)
            case .txt?:
                var strings: [String] = []
                while cursor < end {
                    let count = Int(bytes[cursor])
                    guard cursor + 1 + count <= end else { return nil }
                    strings.append(String(decoding: bytes[(cursor + 1)..<(cursor + 1 + count)], as: UTF8.self))
                    cursor += 1 + count
                }
                data = .text(strings)
            default:
                data = .other
            }
            records.append(DNSRecord(name: name, type: type, data: data))
            offset = end
        }
        return records
    }

    /// A domain name at `offset` (following compression pointers, at most 64 of them), lowercased
    /// and without the final dot; `offset` moves past it.
    static func readName(_ bytes: [UInt8], _ offset: inout Int) -> String? {
        var labels: [String] = []
        var cursor = offset
        var jumped = false
        var jumps = 0
        while true {
            guard cursor < bytes.count else { return nil }
            let length = Int(bytes[cursor])
            if length == 0 {
                if !jumped { offset = cursor + 1 }
                break
            }
            if length & 0xC0 == 0xC0 {
                guard cursor + 1 < bytes.count, jumps < 64 else { return nil }
                if !jumped { offset = cursor + 2 }
                jumped = true
                jumps += 1
                cursor = (length & 0x3F) << 8 | Int(bytes[cursor + 1])
                continue
            }
            guard length < 64, cursor + 1 + length <= bytes.count else { return nil }
            labels.append(String(decoding: bytes[(cursor + 1)..<(cursor + 1 + length)], as: UTF8.self).lowercased())
            cursor += 1 + length
            guard labels.count < 128 else { return nil }
        }
        return labels.joined(separator: ".")
    }
}
