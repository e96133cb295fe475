import Foundation
import Testing
import MailCore
import TestSupport
import MailServer
@testable import MailTUI

/// What the headless commands print: outside text (a client's AUTH name, a DNS record) with a line
/// break in it shows the break as `\n` on the one line it belongs to, and cannot forge a line.
@Suite struct CLIOutputTests {
    @Test func anAuthNameWithANewlinePrintsOnItsOwnLineInServeLines() {
        let forged = "eve\n12:00:00 message 2 from <ceo@bank.example> to you@example.com, 1 KB, login ceo\u{1B}[2J"
        let message = StoredMessage(id: "1", path: "/tmp/1.eml", from: "eve@example.com", fromParameters: [], recipients: [.init(address: "you@example.com", parameters: [])],
                                    helo: "x", client: "127.0.0.1", tls: nil, authUser: forged, authMechanism: "PLAIN", time: 0, bytes: 10, subject: nil, transcript: [], faults: [])
        let lines = ServeOutput.lines(.message(message), ca: nil, store: "/tmp")
        #expect(lines.count == 1)
        #expect(lines.allSatisfy { !$0.contains("\n") && !$0.contains("\u{1B}") })
        #expect(lines[0].hasSuffix(", login eve\\n12:00:00 message 2 from <ceo@bank.example> to you@example.com, 1 KB, login ceo^[[2J"))
    }

    @Test func consoleShowsANewlineAsAnEscapeAndKeepsOnlyItsOwnLineBreaks() {
        #expect(Console.safe("one\ntwo\r\u{1B}]0;title\u{07}") == "one\\ntwo\\r^[]0;title^G")
        #expect(Console.safeLines("help line\nsecond \u{1B}[1m") == "help line\nsecond ^[[1m")
    }

    /// `mailtui bogus` is a mistyped command, not the compose screen's business.
    @Test func anUnknownFirstWordIsAnUnknownCommand() throws {
        let bogus = try #require(RootCommand.unknownCommand(["bogus", "--to", "x"]))
        #expect(bogus.hasPrefix("error: unknown command \"bogus\"."))
        for name in ["send", "probe", "serve", "check-domain", "history", "profiles"] { #expect(bogus.contains("\n  \(name) "), "\(name) listed") }
        #expect(!bogus.contains("Usage: mailtui tui"))
        #expect(RootCommand.unknownCommand(["sned"])?.contains("did you mean send?") == true)
        for fine in [[], ["--server", "send"], ["send"], ["help"], ["tui"], ["--fresh"]] { #expect(RootCommand.unknownCommand(fine) == nil, "\(fine)") }
    }

    @Test func theRootHelpNamesTheComposeScreensOwnOptions() {
        let help = RootCommand.helpMessage(columns: 200)
        #expect(help.contains("--fresh") && help.contains("--no-local-server") && help.contains("--dns-server"), "\(help)")
    }

    /// `--timeout`'s help and the README say what `Timeouts(perStep:)` does; `--profile`'s help
    /// names both files profiles come from.
    @Test func theTimeoutAndProfileHelpSayWhatTheCodeDoes() throws {
        #expect(Timeouts(perStep: 7) == Timeouts(connect: 7, response: 7, total: 600))
        #expect(Timeouts(perStep: 200).total == 800)
        let help = SendCommand.helpMessage(columns: 1000)
        #expect(help.contains("to wait for the TCP connect, each TLS handshake and each reply") && help.contains("4 times that, at least 10 minutes"), "\(help)")
        #expect(help.contains("of config.toml or of profiles.toml"))
        let readme = try String(contentsOfFile: TestPaths.root + "/README.md", encoding: .utf8).split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(readme.contains("`--timeout N` (1 to 3600 seconds, fractions allowed) sets the connect, the handshakes and each reply to N, and the whole session to 4 N, at least 10 minutes."))
    }
}
