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
        subcommands: [TUICommand.self, SendCommand.self, ProbeCommand.self, ServeCommand.self, ProfilesCommand.self, ProvidersCommand.self, CheckDomainCommand.self, ExportCommand.self, HistoryCommand.self, BenchScreenCommand.self]
    )

    /// The arguments with the compose screen's subcommand (`tui`) put first when they name no
    /// subcommand: `mailtui` alone, or `mailtui --server HOST`, opens the compose screen.
    ///
    /// This is the default subcommand chosen here rather than by swift-argument-parser's
    /// `defaultSubcommand`, which reads every option of the compose screen at each start of every
    /// other command too (about 1.6 ms of a 17 ms `mailtui send`).
    static func choosingTheDefault(_ arguments: [String]) -> [String] {
        let tui = TUICommand.configuration.commandName ?? "tui"
        guard let first = arguments.first else { return [tui] }
        let names = configuration.subcommands.compactMap { $0.configuration.commandName }
        let ownWords = ["help", "-h", "--help", "--version", "--generate-completion-script", "--experimental-dump-help"]
        return names.contains(first) || ownWords.contains(first) ? arguments : [tui] + arguments
    }
}
