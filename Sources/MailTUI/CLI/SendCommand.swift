import ArgumentParser
import Dispatch
import MailCore
#if canImport(Glibc)
import Glibc
#endif

/// `mailtui send`: validate, render, send, and print the conversation live.
struct SendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send",
        abstract: "Send a message and print the SMTP conversation as it happens.",
        discussion: """
        There is no option that takes a password: other users can read a command line. With --user \
        and no password option, MAIL_PASSWORD from the environment is used, else a prompt.

        Exit status:
        \(ExitStatus.table)
        """
    )

    @OptionGroup(title: "Server") var server: ServerOptions
    @OptionGroup(title: "Message") var message: MessageOptions

    @Flag(help: "Deliver to the accepted recipients even when the server refuses some.")
    var allowPartial = false

    @Flag(help: "Print the envelope (to standard error) and the exact message bytes (to standard output); send nothing.")
    var dryRun = false

    @Option(help: ArgumentHelp("Stop cleanly after connect, greeting, ehlo, tls, auth, mail or rcpt; deliver nothing.", valueName: "stage"))
    var quitAfter: SMTPStage?

    func validate() throws {
        if let quitAfter, !SessionRequest.quitAfterStages.contains(quitAfter) {
            throw ValidationError("--quit-after takes connect, greeting, ehlo, tls, auth, mail or rcpt.")
        }
    }

    func run() throws {
        let needsServer = !dryRun
        let resolved = needsServer ? try server.resolveChecked() : try server.resolve()
        var draft = try message.draft()
        if draft.from.isEmpty, let sender = resolved.sender { draft.from = sender }
        let validated = try Self.validated(draft)
        if dryRun {
            try Self.printDryRun(validated)
            return
        }
        // The password (and its command) only when the session goes as far as AUTH.
        let secret = quitAfter.map({ $0 >= .auth }) ?? true ? try resolved.secret(user: server.user) : nil
        let request = SessionRequest.send(validated, settings: resolved.settings, secret: secret, allowPartial: allowPartial, quitAfter: quitAfter)
        let count = validated.envelopeRecipients.count
        let quitAfter = self.quitAfter
        let report = Self.runPrinting(request) { report in
            if let quitAfter { return "stopped after \(quitAfter.displayName) as asked, nothing delivered," }
            let accepted = report.acceptedRecipients.count
            return accepted == count ? "sent to \(count) recipient\(count == 1 ? "" : "s")" : "sent to \(accepted) of \(count) recipients"
        }
        History.record(HistoryEntry(kind: "send", profile: resolved.profileName, settings: resolved.settings, draft: draft,
                                    recipients: validated.envelopeRecipients, report: report))
        if let failure = report.failure { throw ExitCode(ExitStatus(failure: failure).rawValue) }
    }

    /// The message, or every problem with it printed and exit status 2.
    static func validated(_ draft: MessageDraft) throws -> Message {
        do {
            return try draft.validated()
        } catch {
            for issue in error.issues { Console.err("error: \(issue)") }
            throw ExitCode(ExitStatus.badInput.rawValue)
        }
    }

    static func printDryRun(_ message: Message) throws {
        Console.err("MAIL FROM:<\(message.from.address)>")
        for recipient in message.envelopeRecipients { Console.err("RCPT TO:<\(recipient)>") }
        let stream = MessageRenderer().render(message)
        try stream.forEachChunk { chunk in
            var offset = 0
            while offset < chunk.count {
                let n = write(1, chunk.baseAddress! + offset, chunk.count - offset)
                if n <= 0 { if errno == EINTR { continue }; throw ExitCode(ExitStatus.internalError.rawValue) }
                offset += n
            }
        }
    }

    /// Runs a session on this thread, printing each line as it arrives; Ctrl-C cancels it at once.
    static func runPrinting(_ request: SessionRequest, what: (SessionReport) -> String) -> SessionReport {
        let printer = TranscriptPrinter(colour: TranscriptPrinter.colourWanted(for: 1))
        let session = SMTPSession()
        signal(SIGINT, SIG_IGN)
        let interrupt = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        interrupt.setEventHandler { session.cancel() }
        interrupt.resume()
        defer { interrupt.cancel() }
        let report = session.run(request) { event in
            if case .line(let line) = event { Console.outFormatted(printer.format(line)) }
        }
        for line in printer.summary(report, what: what(report)) { Console.outFormatted(line) }
        return report
    }
}
