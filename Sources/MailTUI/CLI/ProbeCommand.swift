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

    func run() throws {
        let settings = try SendCommand.checkedSettings(server)
        let secret = try SendCommand.secret(for: server)
        let report = SendCommand.runPrinting(SessionRequest(settings: settings, secret: secret, purpose: .probe), what: "probed")
        for line in Self.summary(report, settings: settings) { Console.out(line) }
        if let failure = report.failure { throw ExitCode(ExitStatus(failure: failure).rawValue) }
    }

    static func summary(_ report: SessionReport, settings: ServerSettings) -> [String] {
        var lines = ["", "Server      \(settings.host):\(settings.effectivePort) (\(settings.security.displayName))"]
        if let greeting = report.greeting { lines.append("Greeting    \(greeting)") }
        if !report.extensions.isEmpty {
            lines.append("Extensions" + (report.extensionsBeforeTLS != nil ? " (after STARTTLS)" : ""))
            let width = min(28, (report.extensions.map(\.count).max() ?? 0) + 2)
            for ext in report.extensions {
                lines.append("  " + ext.padding(to: width) + ExtensionGlossary.meaning(of: ext))
            }
        }
        if let before = report.extensionsBeforeTLS {
            let beforeAuth = mechanisms(before), afterAuth = mechanisms(report.extensions)
            lines.append("AUTH        before STARTTLS: \(beforeAuth.isEmpty ? "none" : beforeAuth.joined(separator: ", "));"
                         + " after: \(afterAuth.isEmpty ? "none" : afterAuth.joined(separator: ", "))")
        }
        if let tls = report.tls {
            lines.append("TLS         \(tls.version ?? "?") \(tls.cipher ?? "")")
            if let subject = tls.subject { lines.append("Certificate subject \(subject)") }
            if let issuer = tls.issuer { lines.append("            issuer \(issuer)") }
            if !tls.names.isEmpty { lines.append("            names \(tls.names.joined(separator: ", "))") }
            if let until = tls.notAfter { lines.append("            valid until \(until)") }
            if let verified = tls.verified { lines.append("            " + (verified ? "verified" : "NOT verified: \(tls.verification ?? "")")) }
            else if !settings.verifyCertificate { lines.append("            not verified (--insecure)") }
        }
        if settings.wantsLogin { lines.append("Login       " + (report.authenticated ? "accepted" : "not accepted")) }
        let times = report.stageTimes.map { "\($0.stage.displayName) \(AppMilliseconds.of($0.duration)) ms" }
        lines.append("Timings     " + times.joined(separator: ", "))
        return lines
    }

    static func mechanisms(_ extensions: [String]) -> [String] {
        for ext in extensions {
            let words = ext.uppercased().split(separator: " ")
            if words.first == "AUTH" { return words.dropFirst().map(String.init) }
        }
        return []
    }
}

enum AppMilliseconds {
    static func of(_ d: Duration) -> Int { Int(d.components.seconds * 1000 + d.components.attoseconds / 1_000_000_000_000_000) }
}

extension String {
    func padding(to width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}
