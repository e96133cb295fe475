import ArgumentParser
import MailCore

/// `mailtui probe`: connect, greet, EHLO, STARTTLS, EHLO, AUTH when credentials are set, QUIT; no
/// mail. Prints what the server offers, its TLS and certificate, and how long each stage took.
struct ProbeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Show what a server offers (extensions, AUTH, TLS, certificate) without sending mail.",
        discussion: "Exit status: as for `mailtui send`.\n\(ExitStatus.table)"
    )

    @OptionGroup(title: "Server") var server: ServerOptions

    @Flag(help: "Look the host up, then try 587 STARTTLS, 465 TLS, 25 plain and STARTTLS, 2525 and the --port given at once, and say what works (or that the network blocks SMTP).")
    var auto = false

    /// For tests: the candidates as PORT/MODE,... instead of the usual ports.
    @Option(help: .hidden) var autoCandidates: String?

    func run() throws {
        if auto { return try runAuto() }
        let resolved = try server.resolveChecked()
        let settings = resolved.settings
        let secret = try resolved.secret(user: server.user, optional: true)
        let report = SendCommand.runPrinting(SessionRequest(settings: settings, secret: secret, purpose: .probe)) { _ in "probed" }
        for line in [""] + ProbeSummary.lines(report, settings: settings) { Console.out(line) }
        History.record(HistoryEntry(kind: .probe, profile: resolved.profileName, settings: settings, draft: nil, recipients: [], report: report))
        if let failure = report.failure { throw ExitCode(ExitStatus(failure: failure).rawValue) }
    }

    private func runAuto() throws {
        var settings = try server.resolve().settings
        let typedPort = server.port
        settings.port = nil
        if let problem = settings.problems().first { Console.err("error: \(problem)"); throw ExitCode(ExitStatus.badInput.rawValue) }
        let candidates = autoCandidates.map { text in
            text.split(separator: ",").compactMap { item -> AutoProbe.Candidate? in
                let parts = item.split(separator: "/")
                guard parts.count == 2, let port = Int(parts[0]), let mode = SecurityMode(rawValue: String(parts[1])) else { return nil }
                return AutoProbe.Candidate(port: port, security: mode)
            }
        } ?? AutoProbe.candidates(typedPort: typedPort, security: settings.security)
        Console.out("Trying \(candidates.map { "\($0.port)/\($0.security.rawValue)" }.joined(separator: ", ")) on \(settings.host) …")
        let detection = AutoProbe.detect(settings, candidates: candidates, timeout: server.timeout ?? 5)
        for line in detection.lines { Console.out(line) }
        switch detection.verdict {
        case .works: return
        case .blocked: throw ExitCode(ExitStatus.timeout.rawValue)
        case .answersButFails(_, let failure): throw ExitCode(ExitStatus(failure: failure).rawValue)
        case .cancelled: throw ExitCode(ExitStatus.cancelled.rawValue)
        case .nameLookup, .nothingListens: throw ExitCode(ExitStatus.connect.rawValue)
        }
    }
}


