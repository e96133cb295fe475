import ArgumentParser
import MailCore
#if canImport(Glibc)
import Glibc
#endif

/// How `mailtui sendmail` starts: as `mailtui sendmail ...`, or as a symlink named `sendmail`
/// (busybox-style), with sendmail's flags read by `SendmailArguments` before swift-argument-parser
/// sees them. Every way it ends is one of sendmail's exit statuses: a usage mistake is 64 here, not
/// mailtui's 2, because PHP, cron and git read these numbers.
enum SendmailEntry {
    /// The words after `sendmail` when this process is sendmail: the program's name is `sendmail`,
    /// or the first word is; nil otherwise.
    static func sendmailWords(_ arguments: [String]) -> [String]? {
        guard let program = arguments.first else { return nil }
        if program.split(separator: "/").last == "sendmail" { return Array(arguments.dropFirst()) }
        if arguments.count > 1 && arguments[1] == "sendmail" { return Array(arguments.dropFirst(2)) }
        return nil
    }

    static func main(_ words: [String]) -> Never {
        let parsed: SendmailArguments
        switch SendmailArguments.parse(words) {
        case .success(let value): parsed = value
        case .failure(let usage):
            Console.err("mailtui sendmail: \(usage)")
            exit(SendmailExit.usage.rawValue)
        }
        if let answer = parsed.answer {
            Console.out(answer)
            exit(SendmailExit.sent.rawValue)
        }
        let command: SendmailCommand
        do {
            command = try SendmailCommand.parse(parsed.words)
        } catch {
            // --help and --version end well; every other parse error is a usage mistake.
            if SendmailCommand.exitCode(for: error).rawValue == 0 { SendmailCommand.exit(withError: error) }
            Console.errLines(SendmailCommand.fullMessage(for: error))
            exit(SendmailExit.usage.rawValue)
        }
        CurlRuntime.initialize()
        do {
            try command.send(ignored: parsed.ignored)
        } catch let code as ExitCode {
            exit(code.rawValue)
        } catch {
            Console.err("mailtui sendmail: \(error)")
            exit(SendmailExit.software.rawValue)
        }
        exit(SendmailExit.sent.rawValue)
    }
}
