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

    @Flag(help: "Try 587 STARTTLS, 465 TLS, 25 plain and STARTTLS, 2525 at once and recommend the best.")
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
        History.record(HistoryEntry(kind: "probe", profile: resolved.profileName, settings: settings, draft: nil, recipients: [], report: report))
        if let failure = report.failure { throw ExitCode(ExitStatus(failure: failure).rawValue) }
    }

    private func runAuto() throws {
        var settings = try server.resolve().settings
        settings.port = nil
        if let problem = settings.problems().first { Console.err("error: \(problem)"); throw ExitCode(ExitStatus.badInput.rawValue) }
        let candidates = autoCandidates.map { text in
            text.split(separator: ",").compactMap { item -> AutoProbe.Candidate? in
                let parts = item.split(separator: "/")
                guard parts.count == 2, let port = Int(parts[0]), let mode = SecurityMode(rawValue: String(parts[1])) else { return nil }
                return AutoProbe.Candidate(port: port, security: mode)
            }
        } ?? AutoProbe.usual
        Console.out("Trying \(candidates.map { "\($0.port)/\($0.security.rawValue)" }.joined(separator: ", ")) on \(settings.host) …")
        let results = AutoProbe.run(settings, candidates: candidates, timeout: server.timeout ?? 5)
        for line in AutoProbe.lines(results) { Console.out(line) }
        if AutoProbe.recommendation(results) == nil { throw ExitCode(ExitStatus.connect.rawValue) }
    }
}


