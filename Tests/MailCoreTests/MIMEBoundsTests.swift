import Foundation
import MailCore
import Testing
import TestSupport

/// Reading a message costs memory in proportion to its size, whatever its shape: a 28 MiB message
/// nested 31 deep peaked at 1 GB, each level copying everything below it.
@Suite struct MIMEBoundsTests {
    /// A multipart nested `depth` deep around one text part of `size` bytes.
    static func nested(depth: Int, size: Int) -> [UInt8] {
        let line = String(repeating: "x", count: 1023) + "\n"
        var out = Array("Subject: deep\r\nMIME-Version: 1.0\r\n".utf8)
        for level in 0..<depth {
            out += Array("Content-Type: multipart/mixed; boundary=\"b\(level)\"\r\n\r\n--b\(level)\r\n".utf8)
        }
        out += Array("Content-Type: text/plain\r\n\r\n".utf8)
        out += Array(String(repeating: line, count: size / line.utf8.count).utf8)
        for level in (0..<depth).reversed() { out += Array("\r\n--b\(level)--\r\n".utf8) }
        return out
    }

    /// The process's peak resident size since the last reset, and the reset (Linux: writing 5 to
    /// clear_refs sets the peak to the present size).
    static func resetPeak() -> Bool {
        let fd = open("/proc/self/clear_refs", O_WRONLY)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return write(fd, "5", 1) == 1
    }

    static func peakKilobytes() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return nil }
        return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
    }

    static func residentKilobytes() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }) else { return nil }
        return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
    }

    @Test func aDeeplyNestedMessageTakesMemoryInProportionToItsSize() throws {
        let size = 8 << 20
        let message = Self.nested(depth: 31, size: size)
        // The peak is the process's: other tests running beside this one may add to it, so the
        // least of three readings counts, against a generous bound. The text part's own copy is
        // 8 MiB; copying at each level made it more than 31 times that.
        var least = Int.max
        for _ in 0..<3 {
            try #require(Self.resetPeak(), "this test measures the peak through /proc/self/clear_refs")
            let before = try #require(Self.residentKilobytes())
            let part = MIMEPart(reading: message)
            let peak = try #require(Self.peakKilobytes())
            least = min(least, (peak - before) * 1024)
            let walked = part.walk()
            #expect(walked.count == 32)
            #expect(walked.last?.part.body.count == size / 1024 * 1024)
        }
        #expect(least < 16 * size, "reading a \(message.count)-byte message nested 31 deep took \(least / 1_048_576) MiB more")
    }

    @Test func aMessageReadsAtMostTheLimitOfParts() {
        // 200 multiparts of 100 parts each: 20,000 parts and more.
        var out = Array("Content-Type: multipart/mixed; boundary=\"outer\"\r\n\r\n".utf8)
        for group in 0..<200 {
            out += Array("--outer\r\nContent-Type: multipart/mixed; boundary=\"g\(group)\"\r\n\r\n".utf8)
            for n in 0..<100 { out += Array("--g\(group)\r\nContent-Type: text/plain\r\n\r\npart \(n)\r\n".utf8) }
            out += Array("--g\(group)--\r\n".utf8)
        }
        out += Array("--outer--\r\n".utf8)
        let parts = MIMEPart(reading: out).walk()
        #expect(parts.count <= MIMEPart.maximumTotalParts + 1, "\(parts.count) parts read")
        #expect(parts.count > 1000, "but the first parts are all there")
        #expect(parts[2].part.text == "part 0")
    }

    /// The time to read grows with the size, not with the size times the nesting, and the nesting
    /// read stops at the limit.
    @Test func deeperThanTheLimitIsABody() {
        let message = Self.nested(depth: 200, size: 4096)
        let parts = MIMEPart(reading: message).walk()
        #expect(parts.count == MIMEPart.maximumDepth + 1)
        #expect(parts.last?.part.isMultipart == true && parts.last?.part.parts.isEmpty == true)
    }
}
