import ArgumentParser
import Dispatch
import MailCore
#if canImport(Glibc)
import Glibc
#endif

/// `mailtui sendmail` (or a symlink named `sendmail`): the message on standard input, sent at once
/// with `send`'s engine and diagnosis, and kept in the history with its transcript, so that the
/// fate of a cron job's or PHP's mail can be looked up. Silent when the mail goes, as sendmail is
/// (cron mails whatever a job prints); a failure says on standard error where it failed, what the
/// server said and what to try, and exits with sendmail's status.
///
/// Its flags are read by `SendmailArguments` first (see `SendmailEntry`); the names here are what
/// they become, and what `--help` shows.
struct SendmailCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sendmail",
        abstract: "Send the message on standard input, as sendmail does (PHP's mail(), cron, git send-email), and say why when it fails.",
        usage: "mailtui sendmail [-t] [-i|-oi] [-f ADDR] [-F NAME] [-v] [--profile NAME] [RECIPIENT...]",
        discussion: """
        The server: --profile, else the server options of `mailtui send` (--server ...), else \
        config.toml's default_profile, else a `mailtui serve` running on 127.0.0.1:2525 (or \
        $MAILTUI_LOCAL_PORT). Nothing is printed when the message goes. Every attempt, sent or \
        not, is in `mailtui history` (and F9) with its conversation.

        The envelope sender is -f, else the profile's from, else the message's From, else \
        USER@HOST. Bcc is removed before sending; a missing From, Date or Message-ID is added. \
        Without -i, a line holding only "." ends the message. Input that is not text (a NUL \
        byte, as in an image or an archive) is refused before any connection (65): attach files \
        with mailtui send --attach.

        A symlink named sendmail that points at mailtui is `mailtui sendmail`.

        Accepted and ignored, as msmtp does: -o... (-oem, -odi, -oee), -bm, -B TYPE, -C FILE, \
        -d, -G, -h N, -L TAG, -m, -n, -N DSN, -O OPTION, -p PROTOCOL, -q, -R RET, -s, -U, \
        -V ENVID, -X FILE. -bp says there is no queue; -bs, -bd and the other modes are refused.

        Exit status (sysexits.h, as sendmail and msmtp):
        \(SendmailExit.table)
        """
    )

    @Flag(name: [.customShort("t"), .customLong("read-recipients")],
          help: "Send to the message's To, Cc and Bcc too, besides the recipients named.")
    var readRecipients = false

    @Flag(name: [.customShort("i"), .customLong("oi", withSingleDash: true), .customLong("ignore-dots")],
          help: "A line holding only \".\" does not end the message: read to the end of the input.")
    var ignoreDots = false

    @Option(name: [.customShort("f"), .customShort("r"), .customLong("envelope-from")],
            help: ArgumentHelp("The envelope sender (MAIL FROM); <> for none.", valueName: "addr"))
    var envelopeFrom: String?

    @Option(name: [.customShort("F"), .customLong("full-name")],
            help: ArgumentHelp("The sender's name, for a From header the message lacks.", valueName: "name"))
    var fullName: String?

    @Flag(name: [.customShort("v"), .customLong("verbose")],
          help: "Print the conversation as it happens, and what was added to the message, on standard error.")
    var verbose = false

    @Flag(help: "Deliver to the recipients the server accepts even when it refuses some (then the refused ones are named, and the status is 0).")
    var allowPartial = false

    @OptionGroup(title: "Server (as for mailtui send)") var server: ServerOptions

    @Argument(help: ArgumentHelp("Who gets the message (with -t, besides the message's own recipients).", valueName: "recipient"))
    var recipients: [String] = []

    func validate() throws {
        if server.passwordStdin { throw ValidationError("--password-stdin does not go with sendmail: the message comes on standard input.") }
    }

    func run() throws { try send(ignored: []) }

    /// Sends; `ignored` are the flags of the command line that mean nothing here (-v names them).
    func send(ignored: [String]) throws {
        if verbose && !ignored.isEmpty { note("ignored \(ignored.joined(separator: " ")) (nothing to do for them: mailtui sends at once)") }
        let input = try Self.readStandardInput(ignoreDots: ignoreDots)
        let resolved = try resolveServer()
        let options = SendmailOptions(readRecipients: readRecipients, recipients: recipients, envelopeFrom: envelopeFrom, fullName: fullName,
                                      profileSender: resolved.sender, localSender: Self.localSender, time: Int(time(nil)))
        let outgoing: OutgoingRawMessage
        switch SendmailMessage.prepare(input.bytes, options) {
        case .success(let prepared): outgoing = prepared
        case .failure(let problem): try Self.fail(problem.kind == .usage ? .usage : .dataError, problem.reason)
        }
        if verbose {
            note("to \(resolved.settings.host):\(resolved.settings.effectivePort)" + (resolved.profileName.map { " (profile \($0))" } ?? "")
                 + ", from <\(outgoing.envelopeFrom)> to " + outgoing.recipients.map { "<\($0)>" }.joined(separator: ", "))
            for change in outgoing.changes { note(change) }
        }
        let secret: Secret?
        do {
            secret = try resolved.secret(user: server.user)
        } catch let error as ValidationError {
            try Self.fail(.configuration, error.message)
        } catch {
            // The password source said what went wrong already.
            throw ExitCode(SendmailExit.configuration.rawValue)
        }
        let report = Self.run(SendService.request(outgoing, settings: resolved.settings, secret: secret, allowPartial: allowPartial), verbose: verbose)
        let entry = SendService.historyEntry(.sendmail, profile: resolved.profileName, settings: resolved.settings, draft: outgoing.summary,
                                             recipients: outgoing.recipients, report: report)
        History.record(entry)
        let printer = TranscriptPrinter(colour: TranscriptPrinter.colourWanted(for: 2))
        let accepted = report.acceptedRecipients.count, total = outgoing.recipients.count
        let what = accepted == total ? "sent to \(total) recipient\(total == 1 ? "" : "s")" : "sent to \(accepted) of \(total) recipients"
        guard let failure = report.failure else {
            // With --allow-partial, the refused recipients are said even when all is well otherwise.
            if verbose || !report.rejectedRecipients.isEmpty {
                for line in printer.summary(report, what: what) { Console.write(2, line + "\n") }
            }
            return
        }
        let status = SendmailExit(failure: failure)
        var lines = printer.summary(report, what: what)
        lines[0] = printer.paint("mailtui sendmail: ", "1;31") + lines[0]
        lines.append("  exit status \(status.rawValue): \(status.meaning)")
        lines.append("  the conversation: mailtui history show \(entry.id)")
        for line in lines { Console.write(2, line + "\n") }
        throw ExitCode(status.rawValue)
    }

    /// The server: options and profiles as `send` resolves them, else a `mailtui serve` running
    /// here. Every problem with them is a configuration problem (78), said before any connection.
    func resolveServer() throws -> ResolvedServer {
        var resolved: ResolvedServer
        do {
            resolved = try server.resolve()
        } catch let error as ValidationError {
            try Self.fail(.configuration, error.message)
        } catch {
            // resolve() printed the broken config.toml already.
            throw ExitCode(SendmailExit.configuration.rawValue)
        }
        if resolved.settings.host.isEmpty && resolved.profileName == nil && !server.givesServerSettings {
            let port = LocalServer.preferredPort
            guard let serve = ServeRuntimeFile.find(port: port) else {
                try Self.fail(.configuration, "no server to send through: no --profile, no default_profile in config.toml, and no mailtui serve on 127.0.0.1:\(port)."
                              + " Try: mailtui profiles save NAME --server HOST ... and default_profile = \"NAME\" in config.toml; or run mailtui serve to catch the mail on this machine.")
            }
            resolved.settings = ServerSettings(host: "127.0.0.1", port: port, security: .starttls, caFile: serve.ca)
        }
        if !resolved.unreadKeys.isEmpty {
            try Self.fail(.configuration, "mailtui cannot read " + resolved.unreadKeys.map { "\($0.key) (\($0.place))" }.joined(separator: ", ") + " as the app sets it: give it as an option.")
        }
        if let failure = resolved.appWillFail { try Self.fail(.configuration, "TLS: " + failure) }
        if resolved.passwordSource == .standardInput { try Self.fail(.configuration, "the profile reads the password from standard input, where sendmail reads the message: use password_env or password_cmd.") }
        let problems = resolved.settings.problems()
        if !problems.isEmpty { try Self.fail(.configuration, problems.map(\.description).joined(separator: "; ")) }
        if verbose { for warning in resolved.warnings + [resolved.settings.clearTextLoginWarning].compactMap({ $0 }) { note("warning: \(warning)") } }
        return resolved
    }

    /// Standard input, read to its end or to a lone-dot line (without -i); bounded, and text.
    static func readStandardInput(ignoreDots: Bool) throws -> SendmailInput {
        var input = SendmailInput(ignoreDots: ignoreDots)
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while input.wantsMore {
            let n = buffer.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                try fail(.ioError, "cannot read the message on standard input: \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            input.feed(buffer[0..<n])
        }
        input.finish()
        if input.tooLarge {
            try fail(.dataError, "the message is larger than \(SendmailInput.defaultLimit / 1024 / 1024) MiB, more than any provider takes: send large files as links.")
        }
        // Refused before any connection: a server would take the bytes and then refuse them.
        if let notText = input.notText { try fail(.dataError, "\(notText). \(SendmailInput.NotText.hint)") }
        return input
    }

    /// Runs the session on this thread; with `verbose`, its lines go to standard error as they come.
    static func run(_ request: SessionRequest, verbose: Bool) -> SessionReport {
        let printer = TranscriptPrinter(colour: TranscriptPrinter.colourWanted(for: 2))
        return InterruptibleSession.run(request) { event in
            guard verbose, case .line(let line) = event else { return }
            Console.write(2, printer.format(line) + "\n")
        }
    }

    /// `user@host`, as sendmail makes the sender when nothing names one.
    static var localSender: String {
        var user = "mailtui"
        func variable(_ name: String) -> String? {
            guard let value = getenv(name) else { return nil }
            let text = String(cString: value)
            return text.isEmpty ? nil : text
        }
        if let named = variable("LOGNAME") ?? variable("USER") {
            user = named
        } else if let entry = getpwuid(getuid()), let name = entry.pointee.pw_name {
            user = String(cString: name)
        }
        var name = [UInt8](repeating: 0, count: 256)
        let host = gethostname(&name, name.count - 1) == 0 ? String(decoding: name.prefix { $0 != 0 }, as: UTF8.self) : "localhost"
        let address = "\(user)@\(host.isEmpty ? "localhost" : host)"
        return (try? Mailbox.parse(address).address) ?? "mailtui@localhost"
    }

    private func note(_ text: String) { Console.err("mailtui sendmail: \(text)") }

    /// Says what is wrong, prefixed so that a cron mail names who said it, and ends with `status`.
    static func fail(_ status: SendmailExit, _ message: String) throws -> Never {
        Console.err("mailtui sendmail: \(message)")
        throw ExitCode(status.rawValue)
    }
}
