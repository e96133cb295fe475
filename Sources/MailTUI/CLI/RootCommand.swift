import ArgumentParser
import MailCore

/// `mailtui`: the compose screen by default; `send` and the other subcommands for scripts.
struct RootCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mailtui",
        abstract: "Compose mail, send it over SMTP and watch the conversation; find out why mail does not go out.",
        discussion: """
        With no subcommand, mailtui opens the compose screen. It takes the options of `mailtui send` \
        to fill in the form (they win over the saved draft), and its own: --fresh starts from an \
        empty form instead of the draft, --no-local-server never starts the local test server, \
        --dns-server HOST[:PORT] is asked for DKIM checks and the domain check (`mailtui tui --help` \
        lists them all). F1 in the screen lists every key.
        """,
        version: "mailtui 0.1.0",
        subcommands: [
            TUICommand.self,
            SendCommand.self,
            ProbeCommand.self,
            ServeCommand.self,
            RelayCommand.self,
            OAuthCommand.self,
            ProfilesCommand.self,
            ProvidersCommand.self,
            CheckDomainCommand.self,
            CheckMessageCommand.self,
            ExportCommand.self,
            HistoryCommand.self,
            SendmailCommand.self,
            WaitCommand.self,
        ]
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

    /// The answer to a first word that is neither an option nor a command (`mailtui bogus`): the
    /// compose screen takes no such word, so it is a mistyped command, not the screen's business.
    static func unknownCommand(_ arguments: [String]) -> String? {
        guard let first = arguments.first, !first.hasPrefix("-") else { return nil }
        let shown = configuration.subcommands.filter { $0.configuration.shouldDisplay }
        let names = configuration.subcommands.compactMap { $0.configuration.commandName } + ["help"]
        guard !names.contains(first) else { return nil }
        let near = shown.compactMap { $0.configuration.commandName }.filter { editDistance($0, first) <= 2 }
        var lines = ["error: unknown command \"\(first)\"" + (near.isEmpty ? "." : "; did you mean \(near.joined(separator: " or "))?"), "", "Commands:"]
        for command in shown {
            let name = command.configuration.commandName ?? ""
            lines.append("  " + name + String(repeating: " ", count: max(1, 15 - name.count)) + command.configuration.abstract)
        }
        lines.append("")
        lines.append("mailtui alone opens the compose screen; mailtui --help says more.")
        return lines.joined(separator: "\n")
    }

    /// Levenshtein distance, for "did you mean" (short words only).
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.prefix(40)), b = Array(b.prefix(40))
        guard !a.isEmpty else { return b.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in stride(from: 1, through: b.count, by: 1) {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
