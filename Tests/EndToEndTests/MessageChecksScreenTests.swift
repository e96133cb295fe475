import Foundation
import Testing
import TestSupport

/// The real binary in tmux: a message caught by the compose screen's own server shows
/// `check-message`'s checks in its Checks tab, counted above the tabs (issue 27).
extension ComposeScreenTests {
    @Test func aCaughtMessageShowsItsChecks() throws {
        // A DNS server that is not there (a closed loopback port): the lookups fail at once,
        // and the screen says which server it asked.
        let dns = "127.0.0.1:\(unusedPort())"
        let tmux = try launch(["--dns-server", dns], width: 110, height: 34, password: nil)
        defer { tmux.stop() }
        try tmux.waitFor("Local test server on 127.0.0.1:")
        try tab(tmux, from: "To", to: "Subject")
        try tmux.press("C-u")
        try tmux.type("Checked in tmux")
        try tmux.press("F5")
        try tmux.waitFor("✓ Sent: 250 2.0.0 Ok: queued as")
        try tmux.press("F2")
        try tmux.waitFor("\"Checked in tmux\"")
        try tmux.press("Enter")
        // Not signed, no List-Unsubscribe: problems, counted on the line above the tabs.
        let view = try tmux.waitFor("problems")
        #expect(view.contains(" 7 Checks: ") && view.contains("7 Checks "), "the count and the tab:\n\(view)")
        try tmux.press("7")
        let tab = try tmux.waitFor("Bulk-sender rules (Gmail, Yahoo)  PROBLEM")
        for words in ["DNS: the DNS server \(dns) was asked", "Spam score: not asked here", "✗ Not signed with DKIM", "→ Sign with DKIM"] {
            #expect(tab.contains(words), "\(words):\n\(tab)")
        }
        try tmux.press("F10")
        try tmux.waitFor("EXIT=0")
    }
}
