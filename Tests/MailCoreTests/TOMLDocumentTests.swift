import Testing
@testable import MailCore

/// The TOML that mailtui's files use, read exactly; everything else refused with its line.
@Suite struct TOMLDocumentTests {
    @Test func readsTheSubsetMailtuiUses() throws {
        let doc = try TOMLDocument(parsing: """
        # comment
        a = "x \\"q\\" \\u00e9 \\\\ # not a comment"   # comment
        b = 'C:\\path'
        n = 1_000
        h = 0xff
        f = 12.5
        e = -1e3
        t = true

        [profiles."a.b"]
        server = "h"
        [profiles.plain-name_1]
        port = 25\r
        """).root
        #expect(doc["a"]?.string == "x \"q\" é \\ # not a comment")
        #expect(doc["b"]?.string == "C:\\path")
        #expect(doc["n"]?.int == 1000)
        #expect(doc["h"]?.int == 255)
        #expect(doc["f"]?.double == 12.5)
        #expect(doc["e"]?.double == -1000)
        #expect(doc["t"]?.bool == true)
        let profiles = try #require(doc["profiles"]?.table)
        #expect(profiles.keys == ["a.b", "plain-name_1"])
        #expect(profiles["a.b"]?.table?["server"]?.string == "h")
        #expect(profiles["plain-name_1"]?.table?["port"]?.int == 25)
        #expect(profiles["plain-name_1"]?.table?.line(of: "port") == 13)
    }

    @Test(arguments: [
        ("[[.b\"]", 1), ("a = [1, 2]", 1), ("a = {x = 1}", 1), ("a = \"\"\"x", 1), ("x = 1\na = \"open", 2), ("a = 1\na = 2", 2),
        ("[t]\n[t]", 2), ("a.b = 1", 1), ("a = 99999999999999999999", 1), ("a = bare", 1), ("= 1", 1), ("a = \"\\q\"", 1),
        ("a = \"\\uD800\"", 1), ("a = 1 2", 1), ("[a\n", 1), ("a = \"x\u{7}\"", 1), ("a = 1\n[a]", 2),
    ])
    func refusesWhatItDoesNotReadWithTheLine(_ text: String, _ line: Int) {
        do {
            _ = try TOMLDocument(parsing: text)
            Issue.record("accepted \(text.debugDescription)")
        } catch {
            #expect(error.line == line, "\(text.debugDescription): \(error)")
        }
    }
}
