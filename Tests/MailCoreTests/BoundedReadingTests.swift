import Crypto
import Foundation
import Synchronization
import Testing
@testable import MailCore
#if canImport(Glibc)
import Glibc
#endif

/// Bounds on reading a caught message: how much of a header is decoded for showing, how many
/// signatures and h= entries DKIM checks, how often it asks DNS, and how long it may wait.
@Suite struct BoundedReadingTests {
    @Test func aLongHeaderIsShownCutAndSaysSo() {
        #expect(EncodedWords.shown(String(repeating: "a", count: 100), limit: 10) == "aaaaaaaaaa…")
        #expect(EncodedWords.shown("ééééé", limit: 3) == "é…", "cut before a character, not inside one")
        #expect(EncodedWords.shown("=?utf-8?q?caf=C3=A9?= x", limit: 100) == "café x")
        let megabyte = String(repeating: "=?utf-8?B?w6k=?= ", count: 1_000_000 / 17)
        let shown = EncodedWords.shown(megabyte)
        #expect(shown.hasPrefix("ééé") && shown.hasSuffix("…") && shown.utf8.count < EncodedWords.shownLimit)
    }

    /// The key lookups a verification made, by name.
    final class Asked: DNSResolving {
        let names = Mutex<[String]>([])
        let record: String

        init(record: String) { self.record = record }

        var asked: [String] { names.withLock { names in names } }

        func query(_ name: String, _ type: DNSType) -> DNSAnswer {
            names.withLock { $0.append(name) }
            return .records([DNSRecord(name: name, type: 16, data: .text([record]))])
        }
    }

    static let body = Array("x\r\n".utf8)

    /// A message with a DKIM-Signature for each selector, each with the right body hash (so that
    /// checking goes on to the key) and a signature that does not verify.
    static func signed(selectors: [String], signedFields: [String] = ["from"]) -> [UInt8] {
        let bh = Data(SHA256.hash(data: body)).base64EncodedString()
        var header = "From: a@example.com\r\nSubject: s\r\n"
        for selector in selectors {
            header += "DKIM-Signature: v=1; a=ed25519-sha256; c=relaxed/simple; d=example.com; s=\(selector); h=\(signedFields.joined(separator: ":")); bh=\(bh); b=AAAA\r\n"
        }
        return Array((header + "\r\n").utf8) + body
    }

    static let key = "v=DKIM1; k=ed25519; p=" + Curve25519.Signing.PrivateKey().publicKey.rawRepresentation.base64EncodedString()

    @Test func dkimChecksAFewSignaturesAndAsksForEachKeyOnce() {
        let dns = Asked(record: Self.key)
        let verdict = DKIMVerifier(dns: dns).verify(Self.signed(selectors: (0..<8).map { "s\($0)" }))
        #expect(dns.asked == (0..<DKIMVerifier.maximumSignatures).map { "s\($0)._domainkey.example.com" })
        guard case .fail(let why) = verdict else { Issue.record("\(verdict)"); return }
        #expect(why.contains("does not verify with the key at s0._domainkey.example.com"), "the first one's failure: \(why)")

        let same = Asked(record: Self.key)
        _ = DKIMVerifier(dns: same).verify(Self.signed(selectors: Array(repeating: "s1", count: 5)))
        #expect(same.asked == ["s1._domainkey.example.com"], "one key, asked for once")
    }

    @Test func anHListOverTheBoundIsNotChecked() {
        let dns = Asked(record: Self.key)
        let many = ["from"] + Array(repeating: "subject", count: DKIMVerifier.maximumSignedFields)
        #expect(DKIMVerifier(dns: dns).verify(Self.signed(selectors: ["s"], signedFields: many))
                == .fail("h= names 101 header fields, over the 100 checked here: not verified"))
        #expect(dns.asked.isEmpty)
        guard case .fail(let why) = DKIMVerifier(dns: dns).verify(Self.signed(selectors: ["s"], signedFields: Array(many.dropLast()))) else {
            Issue.record("no verdict"); return
        }
        #expect(why.contains("does not verify"), "100 entries are checked: \(why)")
    }

    /// A UDP port on 127.0.0.1 that takes queries and never answers.
    final class SilentDNS {
        let fd: Int32
        let port: Int

        init() throws {
            let socketFD = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafeMutablePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketFD, $0, length) == 0 && getsockname(socketFD, $0, &length) == 0 }
            }
            guard socketFD >= 0, bound else {
                if socketFD >= 0 { close(socketFD) }
                throw POSIXError(.EADDRNOTAVAIL)
            }
            fd = socketFD
            port = Int(UInt16(bigEndian: address.sin_port))
        }

        deinit { close(fd) }
    }

    /// Five signatures against a DNS server that never answers kept the view waiting for five
    /// lookups' timeouts one after the other; all of them together get one deadline.
    @Test func aSilentDNSServerCostsOneDeadline() async throws {
        let silent = try SilentDNS()
        // Each lookup waits out its timeout and a retry: at least 20 s for five, one after the other.
        let dns = SystemResolver(server: "127.0.0.1", port: silent.port, timeout: 2)
        let message = Self.signed(selectors: (0..<5).map { "s\($0)" })
        let clock = ContinuousClock()
        let started = clock.now
        // The time is taken when the verdict is reported: this test may resume later, when the
        // test threads are busy with other tests.
        let (verdict, reported) = await withCheckedContinuation { continuation in
            DKIMCheck.start(message, dns: dns, within: .seconds(2)) { continuation.resume(returning: ($0, ContinuousClock.now)) }
        }
        let elapsed = reported - started
        #expect(elapsed < .seconds(8), "\(elapsed)")
        guard case .temporaryError(let why) = verdict else { Issue.record("\(verdict)"); return }
        #expect(why.contains("within 2 s") || why.contains("did not answer"), "\(why)")
        withExtendedLifetime(silent) {}
    }
}
