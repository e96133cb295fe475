import Testing
@testable import MailCore
@testable import MailAppData

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

    /// `[a.a.….a]` of 20,000 parts aborted the process (recursion) and 100,000 parts took 24 GB:
    /// a name deeper than the limit is refused at once, on its line.
    @Test(arguments: [20_000, 100_000])
    func refusesADeepTableNameAtOnce(_ parts: Int) {
        let text = "x = 1\n[" + Array(repeating: "a", count: parts).joined(separator: ".") + "]\n"
        let started = ContinuousClock.now
        #expect(throws: TOMLError.self) { try TOMLDocument(parsing: text) }
        do { _ = try TOMLDocument(parsing: text) } catch {
            #expect(error.line == 2)
            #expect(error.message.contains("more than \(TOMLDocument.maximumDepth) parts"), "\(error.message)")
        }
        #expect(ContinuousClock.now - started < .seconds(20), "generous: it takes milliseconds")
        let deepest = "[" + Array(repeating: "a", count: TOMLDocument.maximumDepth).joined(separator: ".") + "]\nk = 1\n"
        #expect(throws: Never.self) { try TOMLDocument(parsing: deepest) }
    }

    @Test func refusesMoreTablesThanTheLimitWithTheLine() {
        let count = TOMLDocument.maximumTables + 1
        let text = (1...count).map { "[t\($0)]\n" }.joined()
        do {
            _ = try TOMLDocument(parsing: text)
            Issue.record("accepted \(count) tables")
        } catch {
            #expect(error.line == count, "the table past the limit")
            #expect(error.message.contains("more than \(TOMLDocument.maximumTables) tables"), "\(error.message)")
        }
    }

    /// 10,000 `[profiles.pN]` tables took 8.5 s: each header searched and copied every table before
    /// it. Four times the tables must take about four times as long, not sixteen.
    @Test func manyTablesTakeLinearTime() throws {
        func file(_ count: Int) -> String { (1...count).map { "[profiles.p\($0)]\nserver = \"h\($0)\"\nport = 25\n" }.joined() }
        func fastest(_ text: String) throws -> Duration {
            var best = Duration.seconds(1000)
            for _ in 0..<3 {
                let started = ContinuousClock.now
                let config = try ConfigFile.parse(text, path: "p.toml")
                best = min(best, ContinuousClock.now - started)
                #expect(config.profiles.count == text.count(where: { $0 == "[" }))
            }
            return best
        }
        let small = try fastest(file(2_000)), large = try fastest(file(8_000))
        #expect(large / small < 10, "2,000 tables: \(small), 8,000 tables: \(large)")
    }

    /// Errors name the line where the mistake is: a table implied by a header (`[profiles.X.y]`
    /// implies `[profiles.X]`) used to say line 0, and a header under a value named the value's line.
    @Test func errorsAreReportedAtTheirTrueLine() {
        let cases: [(String, Int)] = [
            ("# saved\n\n[profiles.\"bad name\".x]\nserver = \"h\"\n", 3),
            ("[a.a.a]\n", 1),
            ("default_profile = \"w\"\n[profiles.w]\nserver = \"h\"\n\n[profiles.w.extra]\n", 5),
        ]
        for (text, line) in cases {
            do {
                _ = try ConfigFile.parse(text, path: "config.toml")
                Issue.record("accepted \(text.debugDescription)")
            } catch {
                #expect(error.line == line, "\(text.debugDescription): \(error)")
            }
        }
        do {
            _ = try TOMLDocument(parsing: "a = 1\n\n[a.b]\n")
            Issue.record("accepted a table under a value")
        } catch {
            #expect(error.line == 3, "\(error)")
            #expect(error.message.contains("line 1"), "and it names the value's line: \(error)")
        }
    }
}
