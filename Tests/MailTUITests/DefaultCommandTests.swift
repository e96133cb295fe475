import Testing
@testable import MailTUI

/// `mailtui` alone, or with the compose screen's options, opens the compose screen; a subcommand,
/// help or the version goes as it is.
@Suite struct DefaultCommandTests {
    @Test func argumentsThatNameNoSubcommandGoToTheComposeScreen() {
        #expect(RootCommand.choosingTheDefault([]) == ["tui"])
        #expect(RootCommand.choosingTheDefault(["--server", "smtp.example.com"]) == ["tui", "--server", "smtp.example.com"])
        #expect(RootCommand.choosingTheDefault(["--fresh"]) == ["tui", "--fresh"])
        // Not a subcommand: the compose screen refuses it as an unexpected argument.
        #expect(RootCommand.choosingTheDefault(["sned"]) == ["tui", "sned"])
        #expect(RootCommand.choosingTheDefault(["--server", "send"]) == ["tui", "--server", "send"])
    }

    @Test func subcommandsHelpAndTheVersionGoAsTheyAre() {
        for arguments in [["send", "--to", "b@example.com"], ["tui"], ["probe"], ["serve", "--port", "0"], ["history", "show", "1"],
                          ["check-domain", "example.com"], ["help", "send"], ["--help"], ["-h"], ["--version"]] {
            #expect(RootCommand.choosingTheDefault(arguments) == arguments)
        }
    }

    @Test func everySubcommandIsNamed() {
        // A subcommand named only by reflection would be missed by the check above.
        for command in RootCommand.configuration.subcommands {
            #expect(command.configuration.commandName != nil, "\(command)")
        }
    }

    @Test func theComposeScreensOptionsParseAsBefore() throws {
        let parsed = try RootCommand.parseAsRoot(RootCommand.choosingTheDefault(["--fresh", "--no-local-server"]))
        let tui = try #require(parsed as? TUICommand)
        #expect(tui.fresh && tui.noLocalServer)
        #expect(try RootCommand.parseAsRoot(RootCommand.choosingTheDefault([])) is TUICommand)
        #expect(try RootCommand.parseAsRoot(RootCommand.choosingTheDefault(["send", "--to", "b@example.com"])) is SendCommand)
    }
}
