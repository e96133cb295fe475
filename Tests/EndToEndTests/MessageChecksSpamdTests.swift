import Foundation
import Testing
import TestSupport

/// The real binary in tmux: `spamd = "HOST:PORT"` in config.toml lets the Checks tab of a caught
/// message ask that spamd for the spam score, as `check-message --spamd` does.
extension ComposeScreenTests {
    @Test func theConfiguredSpamdScoresACaughtMessageInItsChecksTab() throws {
        let spamd = try FakeSpamd()
        defer { spamd.stop() }
        try FileManager.default.createDirectory(atPath: configHome + "/mailtui", withIntermediateDirectories: true)
        TestFiles.write(configHome + "/mailtui/config.toml", Data("spamd = \"\(spamd.address)\"\n".utf8), mode: 0o600)
        let tmux = try launch(["--dns-server", "127.0.0.1:\(unusedPort())"], width: 120, height: 40, password: nil)
        defer { tmux.stop() }
        try tmux.waitFor("Local test server on 127.0.0.1:")
        try tab(tmux, from: "To", to: "Subject")
        try tmux.press("C-u")
        try tmux.type("Scored in tmux")
        try tmux.press("F5")
        try tmux.waitFor("✓ Sent: 250 2.0.0 Ok: queued as")
        try tmux.press("F2")
        try tmux.waitFor("\"Scored in tmux\"")
        try tmux.press("Enter")
        try tmux.waitFor("problems")
        try tmux.press("7")
        let tab = try tmux.waitFor("FAKE_RULE_TWO")
        for words in ["Spam score (SpamAssassin)", "Score 2.5, under the threshold 5.0 (spamd \(spamd.address)", "1.5 FAKE_RULE_ONE: The first rule of the fake spamd"] {
            #expect(tab.contains(words), "\(words):\n\(tab)")
        }
        #expect(!tab.contains("Spam score: not asked here"), "\(tab)")
        #expect(spamd.messages().count == 1 && spamd.messages().first?.contains("Subject: Scored in tmux") == true, "the caught message reached the spamd")
        try tmux.press("F10")
        try tmux.waitFor("EXIT=0")
    }
}
