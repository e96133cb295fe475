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
    @OptionGroup(title: "DKIM") var dkim: DKIMOptions

    @Flag(help: "Deliver to the accepted recipients even when the server refuses some.")
    var allowPartial = false

    @Flag(help: "Print the envelope (to standard error) and the exact message bytes (to standard output); send nothing.")
    var dryRun = false

    @Option(help: ArgumentHelp("Stop cleanly after connect, greeting, ehlo, tls, auth, mail or rcpt; deliver nothing.", valueName: "stage"))
    var quitAfter: SMTPStage?

    @Option(help: ArgumentHelp("Delivery notifications (DSN) for each recipient: never, or some of success,failure,delay.", valueName: "when"))
    var dsnNotify: String?

    @Option(help: ArgumentHelp("What a bounce returns (DSN): full or hdrs.", valueName: "full|hdrs"))
    var dsnRet: String?

    @Option(help: ArgumentHelp("An id for the delivery notifications (DSN ENVID).", valueName: "id"))
    var envid: String?

    @Option(help: ArgumentHelp("Send this many messages (a load test): {n} in the subject or body becomes each one's number.", valueName: "n"))
    var count: Int = 1

    @Option(help: ArgumentHelp("With --count: this many connections at once, each reused for many messages.", valueName: "c"))
    var connections: Int = 1

    @Option(help: ArgumentHelp("With --count: at most this many messages per second in all.", valueName: "r"))
    var rate: Double?

    @Option(help: ArgumentHelp("With --count: which transcripts to print: all, first (the default: the first session, then refusals), failures, none.", valueName: "which"))
    var transcript: String = "first"

    @Flag(help: "JSON on standard output: each transcript line as one JSON object, then the result as one (with --count, only the summary object).")
    var json = false

    /// The DSN options given, if any.
    var notifications: DeliveryNotifications? {
        guard dsnNotify != nil || dsnRet != nil || envid != nil else { return nil }
        return DeliveryNotifications(notify: dsnNotify.map { $0.lowercased().split(separator: ",").map { $0.trimmingSpaces } },
                                     ret: dsnRet.flatMap { DeliveryNotifications.Return(rawValue: $0.lowercased()) }, envelopeID: envid)
    }

    func validate() throws {
        if let dsnNotify, let problem = DeliveryNotifications.problem(notify: dsnNotify.lowercased().split(separator: ",").map { $0.trimmingSpaces }) {
            throw ValidationError(problem + ".")
        }
        if let dsnRet, DeliveryNotifications.Return(rawValue: dsnRet.lowercased()) == nil { throw ValidationError("--dsn-ret takes full or hdrs.") }
        if let envid, envid.isEmpty || envid.utf8.count > 100 { throw ValidationError("--envid takes 1 to 100 characters.") }
        if !(1...10_000_000).contains(count) { throw ValidationError("--count takes 1 to 10000000.") }
        if !(1...1000).contains(connections) { throw ValidationError("--connections takes 1 to 1000.") }
        if let rate, !(rate.isFinite && rate >= 0.01 && rate <= 1_000_000) { throw ValidationError("--rate takes 0.01 to 1000000 messages per second.") }
        if LoadPlan.Transcript(rawValue: transcript) == nil { throw ValidationError("--transcript takes all, first, failures or none.") }
        if json && dryRun { throw ValidationError("--json does not go with --dry-run, which prints the message's bytes.") }
        if count > 1 && (quitAfter != nil || dryRun) { throw ValidationError("--count sends messages: it does not go with --quit-after or --dry-run.") }
        if let quitAfter, !SessionRequest.quitAfterStages.contains(quitAfter) {
            throw ValidationError("--quit-after takes connect, greeting, ehlo, tls, auth, mail or rcpt.")
        }
    }

    func run() throws {
        let needsServer = !dryRun
        var resolved = needsServer ? try server.resolveChecked() : try server.resolve()
        if needsServer, let failure = resolved.appWillFail {
            // The app fails here; so does mailtui, unless asked to send as the config meant.
            guard server.asIntended else {
                Console.err("error: TLS: " + failure)
                throw ExitCode(ExitStatus.tls.rawValue)
            }
            resolved.settings = resolved.intendedSettings
            Console.err("note: --as-intended: sending with \(resolved.settings.security.displayName) only, as the config meant; the app itself would fail (\(resolved.intendedChanges.joined(separator: " ")))")
        }
        var draft = try message.draft()
        if draft.from.isEmpty, let sender = resolved.sender { draft.from = sender }
        let validated = try Self.validated(draft)
        var signer = try dkim.signer(from: validated.from)
        if signer == nil, let fromProfile = resolved.dkim {
            switch SendService.signer(fromProfile, from: validated.from) {
            case .success(let made): signer = made
            case .failure(let problem):
                Console.err("error: profile \(resolved.profileName ?? ""): \(problem)")
                throw ExitCode(ExitStatus.badInput.rawValue)
            }
        }
        if dryRun {
            try Self.printDryRun(validated, signer: signer)
            return
        }
        // The password (and its command) only when the session goes as far as AUTH.
        let secret = SendService.logsIn(resolved.settings, quitAfter: quitAfter) ? try resolved.secret(user: server.user) : nil
        if count > 1 {
            let run = LoadRun(message: validated, settings: resolved.settings, secret: secret, count: count, connections: min(connections, count), rate: rate,
                              transcript: LoadPlan.Transcript(rawValue: transcript) ?? .first, json: json, signer: signer)
            let (summary, failedSession) = try run.run()
            if json { Console.json(summary.record) } else { for line in summary.lines { Console.out(line) } }
            if summary.failed > 0 || summary.delivered < count {
                // A connection that failed says why; else the stage where most messages were refused.
                let status = failedSession?.failure.map { ExitStatus(failure: $0) } ?? summary.failures.first.map { ExitStatus(stage: $0.stage) } ?? .data
                throw ExitCode(status.rawValue)
            }
            return
        }
        let options = SendOptions(allowPartial: allowPartial, quitAfter: quitAfter, notifications: notifications)
        let request = SendService.request(validated, settings: resolved.settings, secret: secret, options: options, signer: signer)
        let count = validated.envelopeRecipients.count
        let quitAfter = self.quitAfter
        let report = Self.runPrinting(request, json: json) { report in
            if let quitAfter { return "stopped after \(quitAfter.displayName) as asked, nothing delivered," }
            let accepted = report.acceptedRecipients.count
            return accepted == count ? "sent to \(count) recipient\(count == 1 ? "" : "s")" : "sent to \(accepted) of \(count) recipients"
        }
        History.record(SendService.historyEntry(.send, profile: resolved.profileName, settings: resolved.settings, draft: draft,
                                                recipients: validated.envelopeRecipients, report: report))
        if let failure = report.failure { throw ExitCode(ExitStatus(failure: failure).rawValue) }
    }

    /// The message, or every problem with it printed and exit status 2.
    static func validated(_ draft: MessageDraft) throws -> Message {
        switch SendService.message(draft) {
        case .success(let message): return message
        case .failure(let refusal):
            for problem in refusal.problems { Console.err("error: \(problem)") }
            throw ExitCode(ExitStatus.badInput.rawValue)
        }
    }

    /// The stream with its DKIM signature in front, or the file that could not be read.
    static func signed(_ stream: MessageStream, _ signer: DKIMSigner) throws -> MessageStream {
        do {
            return try signer.sign(stream, time: Int(time(nil)))
        } catch {
            Console.err("error: DKIM signing failed: \(error)")
            throw ExitCode(ExitStatus.badInput.rawValue)
        }
    }

    static func printDryRun(_ message: Message, signer: DKIMSigner? = nil) throws {
        Console.err("MAIL FROM:<\(message.from.address)>")
        for recipient in message.envelopeRecipients { Console.err("RCPT TO:<\(recipient)>") }
        let rendered = MessageRenderer().render(message)
        let stream = try signer.map { try signed(rendered, $0) } ?? rendered
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
    /// With `json`, each line and the result are JSON objects, one per line.
    static func runPrinting(_ request: SessionRequest, json: Bool = false, what: (SessionReport) -> String) -> SessionReport {
        let printer = TranscriptPrinter(colour: TranscriptPrinter.colourWanted(for: 1))
        let report = InterruptibleSession.run(request) { event in
            guard case .line(let line) = event else { return }
            if json { Console.json(SendJSON.line(line)) } else { Console.outFormatted(printer.format(line)) }
        }
        if json {
            Console.json(SendJSON.Result(report, what: what(report)))
        } else {
            for line in printer.summary(report, what: what(report)) { Console.outFormatted(line) }
        }
        return report
    }
}
