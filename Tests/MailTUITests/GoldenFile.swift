import Foundation
import Testing
@testable import MailTUI
import TestSupport

/// A golden screen on disk: the text a person sees, the cursor, and every cell's style, so that a
/// lost highlight or a wrong colour fails as surely as a moved word.
///
/// The style block lists, per row, the runs of cells that are not plain: `3: 0-6 blue bold, 7-79
/// blue` says row 3's cells 0 to 6 (counted from 0, both ends included) are bold blue and the rest
/// blue; a row not listed is plain. One line per row keeps a changed style a one-line diff.
///
/// `UPDATE_GOLDEN=1 swift test --filter Golden` rewrites the files; read the diff before
/// committing it. Without it a missing file fails, and with it on CI (`CI` set) the test fails
/// rather than record whatever the screen happens to be.
enum GoldenFile {
    static let directory = TestPaths.root + "/Tests/MailTUITests/Golden"

    static func picture(_ screen: ScreenBuffer) -> String {
        let cursor = screen.cursor.map { "cursor \($0.x),\($0.y)" } ?? "cursor hidden"
        return screen.text + "\n" + cursor + "\n" + styles(screen)
    }

    /// The style block: a heading, then one line per row that has a non-plain cell.
    static func styles(_ screen: ScreenBuffer) -> String {
        var lines = ["styles (row: first-last cell style; rows not listed are plain)"]
        for y in 0..<screen.height {
            var runs: [String] = []
            var x = 0
            while x < screen.width {
                let style = screen[x, y].style
                var end = x
                while end + 1 < screen.width && screen[end + 1, y].style == style { end += 1 }
                if style != .plain { runs.append("\(x)-\(end) \(name(style))") }
                x = end + 1
            }
            if !runs.isEmpty { lines.append("\(y): " + runs.joined(separator: ", ")) }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A style in words: the foreground colour, `on` the background, then the attributes.
    static func name(_ style: Style) -> String {
        var words: [String] = []
        if style.foreground != .default { words.append("\(style.foreground)") }
        if style.background != .default { words.append("on \(style.background)") }
        if style.bold { words.append("bold") }
        if style.dim { words.append("dim") }
        if style.reverse { words.append("reverse") }
        if style.underline { words.append("underline") }
        return words.isEmpty ? "plain" : words.joined(separator: " ")
    }

    /// Why `actual` does not match the golden file at `path`, or nil when it does (or was just
    /// recorded on request).
    static func mismatch(_ actual: String, path: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if environment["UPDATE_GOLDEN"] == "1" {
            if environment["CI"] != nil { return "UPDATE_GOLDEN=1 on CI: goldens are recorded on a developer's machine and committed, never on CI" }
            do {
                try actual.write(toFile: path, atomically: true, encoding: .utf8)
                return nil
            } catch {
                return "could not record \(path): \(error)"
            }
        }
        guard let expected = try? String(contentsOfFile: path, encoding: .utf8) else {
            return "no golden file \(path): record it with UPDATE_GOLDEN=1 swift test --filter Golden, read it, commit it\n\(actual)"
        }
        guard actual != expected else { return nil }
        let a = actual.components(separatedBy: "\n"), e = expected.components(separatedBy: "\n")
        let first = zip(a, e).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, e.count)
        return "differs from line \(first + 1) of \(path):\n  want: \(first < e.count ? e[first] : "")\n  got:  \(first < a.count ? a[first] : "")\n\(actual)"
    }

    /// Compares (or records) one screen, failing the test with the difference.
    static func check(_ screen: ScreenBuffer, name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let file = "\(name)-\(screen.width)x\(screen.height).txt"
        if let problem = mismatch(picture(screen), path: directory + "/" + file) {
            Issue.record("\(file): \(problem)", sourceLocation: sourceLocation)
        }
    }
}

/// The golden machinery itself: a test that compares against a file that is not there must fail.
@Suite struct GoldenFileTests {
    @Test func aMissingGoldenFailsAndIsNotRecorded() {
        let path = "/tmp/mailtui-golden-missing-\(getpid())-\(UInt64.random(in: 0...UInt64.max)).txt"
        let problem = GoldenFile.mismatch("text\n", path: path, environment: [:])
        #expect(problem?.hasPrefix("no golden file") == true, "\(problem ?? "passed")")
        #expect(!FileManager.default.fileExists(atPath: path), "nothing recorded without UPDATE_GOLDEN=1")
        let onCI = GoldenFile.mismatch("text\n", path: path, environment: ["UPDATE_GOLDEN": "1", "CI": "true"])
        #expect(onCI != nil && !FileManager.default.fileExists(atPath: path), "CI never records")
    }

    @Test func aChangedStyleAloneIsADifference() {
        var plain = ScreenBuffer(width: 6, height: 2)
        plain.put("Hello", x: 0, y: 1)
        var bold = plain
        bold.restyle(x: 1, y: 1, width: 2, style: Style(foreground: .red, bold: true))
        #expect(plain.text == bold.text)
        #expect(GoldenFile.picture(plain) != GoldenFile.picture(bold))
        #expect(GoldenFile.styles(bold).hasSuffix("\n1: 1-2 red bold\n"), "\(GoldenFile.styles(bold))")
        #expect(GoldenFile.name(Style(foreground: .black, background: .cyan, reverse: true, underline: true)) == "black on cyan reverse underline")
    }
}
