import ArgumentParser
import MailCore

/// `mailtui`: the compose screen by default; `send` and the other subcommands for scripts.
struct RootCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mailtui",
        abstract: "Compose mail, send it over SMTP and watch the conversation; find out why mail does not go out.",
        discussion: """
        With no subcommand, mailtui opens the compose screen. It takes the options of `mailtui send` \
        to fill in the form (they win over the saved draft), and --fresh to start from an empty form \
        instead of the draft. F1 in the screen lists every key.
        """,
        version: "mailtui 0.1.0",
        subcommands: [TUICommand.self, SendCommand.self, ProbeCommand.self, ServeCommand.self, ProfilesCommand.self, ProvidersCommand.self, CheckDomainCommand.self, ExportCommand.self, HistoryCommand.self, BenchScreenCommand.self],
        defaultSubcommand: TUICommand.self
    )
}
