import ArgumentParser
import MailCore
#if canImport(Glibc)
import Glibc
#endif

/// `mailtui history` and `mailtui history show ID`.
struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "List past sends and probes, newest first, or show one.",
        subcommands: [List.self, Show.self],
        defaultSubcommand: List.self
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List past sends and probes, newest first.")
        @Flag(help: "JSON lines instead of text.") var json = false
        @Option(help: "At most this many.") var limit: Int = 50
        func run() throws {
            let entries = History.store.entries().prefix(max(0, limit))
            if entries.isEmpty && !json { Console.out("No sends or probes yet."); return }
            for entry in entries {
                if json { Console.json(entry); continue }
                let subject = entry.draft.map { $0.subject.isEmpty ? "" : " \"\($0.subject)\"" } ?? ""
                let to = entry.recipients.isEmpty ? "" : " to \(entry.recipients.joined(separator: ", "))"
                Console.out("\(entry.id)  \(HistoryCommand.date(entry.time))  \(entry.kind.rawValue)  \(entry.settings.host):\(entry.settings.effectivePort)\(to)\(subject)  \(entry.succeeded ? "ok" : "FAILED"): \(entry.result)")
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one entry with its transcript and diagnosis.")
        @Argument(help: "The entry's ID (from mailtui history).") var id: String
        @Flag(help: "JSON instead of text.") var json = false
        @Option(help: ArgumentHelp("Write a report to paste into an issue or a support ticket (settings, transcript, diagnosis, versions, swaks and curl commands; no password) to this file; - for standard output.", valueName: "file"))
        var share: String?
        func run() throws {
            guard let entry = History.store.entry(id: id) else { throw ValidationError("No history entry \(id).") }
            if let share {
                let report = ShareReport.render(entry, mailtui: RootCommand.configuration.version, client: "libcurl and OpenSSL: \(CurlRuntime.versions)",
                                                time: HistoryCommand.date(entry.time))
                if share == "-" { Console.outLines(String(report.dropLast())); return }
                do throws(FileWriteError) {
                    try FileContents.writeAtomically(Array(report.utf8), to: share.expandingTilde, mode: 0o644)
                } catch {
                    Console.err("error: cannot write \(share): \(error.reason)")
                    throw ExitCode(ExitStatus.badInput.rawValue)
                }
                Console.err("wrote \(share): a report without the password, ready to paste")
                return
            }
            if json { Console.json(entry); return }
            let s = entry.settings
            var lines = ["\(entry.kind.rawValue) \(entry.id) at \(HistoryCommand.date(entry.time))" + (entry.profile.map { " (profile \($0))" } ?? ""),
                         "server   \(s.host):\(s.effectivePort) \(s.security.displayName)" + (s.username.map { " as \($0)" } ?? "")]
            if let draft = entry.draft {
                lines.append("from     \(draft.from)")
                lines.append("to       \(entry.recipients.joined(separator: ", "))")
                lines.append("subject  \(draft.subject)")
            }
            lines.append("result   \(entry.succeeded ? "ok" : "FAILED"): \(entry.result)")
            if let explanation = entry.explanation { lines.append("why      \(explanation)") }
            for suggestion in entry.suggestions { lines.append("try      \(suggestion)") }
            lines.append("")
            lines += entry.transcript.map(\.plainText)
            lines.forEach(Console.out)
        }
    }

    static func date(_ time: Int) -> String { LocalTime.text(time) }
}
