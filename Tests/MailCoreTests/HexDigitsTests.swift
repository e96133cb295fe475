import Testing
@testable import MailCore
@testable import MailMessage

@Suite struct HexDigitsTests {
    @Test func everyByteIsItsTwoDigitsInEitherCase() {
        for value in 0...255 {
            let byte = UInt8(value)
            let expected = (value < 16 ? "0" : "") + String(value, radix: 16)
            #expect(HexDigits.string(byte, uppercase: false) == expected)
            #expect(HexDigits.string(byte, uppercase: true) == expected.uppercased())
        }
        #expect(HexDigits.string([0x00, 0x7f, 0xa0, 0xff], uppercase: false) == "007fa0ff")
    }

    @Test func writersKeepTheirCase() {
        #expect(IPAddress.reverseName("2001:db8::1") == "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa")
        #expect(HeaderEncoding.parameter("filename", "é.txt") == ["filename*=utf-8''%C3%A9.txt;"])
        let token = RandomToken.hex(bytes: 16)
        #expect(token.count == 32 && token.allSatisfy { "0123456789abcdef".contains($0) })
    }
}
