import ArgumentParser
import MailCore

/// `mailtui`: the compose screen by default; `send` and the other subcommands for scripts.
struct RootCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mailtui",
        abstract: "Compose mail, send it over SMTP and watch the conversation; find out why mail does not go out.",
        version: "mailtui 0.1.0",
        subcommands: [TUICommand.self, SendCommand.self, ProbeCommand.self, ProfilesCommand.self, ExportCommand.self, HistoryCommand.self],
        defaultSubcommand: TUICommand.self
    )
}
