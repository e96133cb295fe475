import ArgumentParser
import MailCore

/// `mailtui export --format flask|dotenv|swaks|curl|msmtp`: the settings for another tool, never
/// with a real password.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Print the settings as a Flask config, a .env file, a swaks or curl command, or an msmtp account."
    )

    @Option(help: ArgumentHelp("flask, dotenv, swaks, curl or msmtp.", valueName: "format"))
    var format: SettingsExport.Format

    @OptionGroup(title: "Server") var server: ServerOptions

    @Option(help: ArgumentHelp("The default sender (MAIL_DEFAULT_SENDER).", valueName: "addr"))
    var from: String?

    func run() throws {
        let resolved = try server.resolveChecked()
        // What the config means, not what the app makes of it ("False" is on in Python); said.
        for change in resolved.intendedChanges { Console.err("note: exported as meant, not as the app reads it: \(change)") }
        Console.write(1, SettingsExport.render(format, settings: resolved.intendedSettings, sender: from ?? resolved.sender,
                                               passwordSource: resolved.passwordSource, profileName: resolved.profileName ?? "mailtui"))
    }
}

extension SettingsExport.Format: ExpressibleByArgument {}
