import ArgumentParser
import MailCore

/// `mailtui` with no subcommand: the compose screen, pre-filled from the same options as `send`.
struct TUICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tui",
        abstract: "Open the compose screen (the default).",
        shouldDisplay: false
    )

    @OptionGroup(title: "Server") var server: ServerOptions
    @OptionGroup(title: "Message") var message: MessageOptions

    func run() throws {
        Console.err("the compose screen is not built yet")
    }
}
