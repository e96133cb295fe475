import ArgumentParser
import MailCore

/// `mailtui providers [NAME]`: the provider presets `--provider` takes, with what to know.
struct ProvidersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "providers",
        abstract: "List the provider presets for --provider (Gmail, Microsoft 365, SES, SendGrid, ...), or show one with what to know."
    )

    @Argument(help: ArgumentHelp("A preset to show in full (gmail, microsoft365, ses:eu-west-1, ...).", valueName: "name"))
    var name: String?

    func run() throws {
        if let name {
            guard let provider = Provider.named(name) else {
                Console.err("error: no provider \"\(name)\"; known: \(Provider.catalogue.map(\.id).joined(separator: ", "))")
                throw ExitCode(ExitStatus.badInput.rawValue)
            }
            for line in provider.summaryLines { Console.out(line) }
            return
        }
        let width = (Provider.catalogue.map(\.id.count).max() ?? 0) + 2
        for p in Provider.catalogue {
            Console.out(p.id.padding(to: width) + "\(p.name): \(p.host):\(p.port) \(p.security.rawValue)")
        }
        Console.out("")
        Console.out("mailtui providers NAME shows what to know; --provider NAME sets host, port and security (options given after it win).")
    }
}

extension String {
    /// The string padded with spaces to `width` characters.
    func padding(to width: Int) -> String { count >= width ? self + " " : self + String(repeating: " ", count: width - count) }
}
