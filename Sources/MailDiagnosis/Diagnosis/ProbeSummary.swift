#if canImport(Glibc)
import Glibc
#endif

/// What a probe found, as lines for people: greeting, extensions with meanings, AUTH before and
/// after STARTTLS, TLS, the certificate with days left, and stage timings. Shared by
/// `mailtui probe` and the compose screen.
public enum ProbeSummary {
    /// `onScreen`: for the compose screen, which has a Password field; the command line has options instead.
    public static func lines(_ report: SessionReport, settings: ServerSettings, now: Int = Int(time(nil)), onScreen: Bool = false) -> [String] {
        var lines = ["Server      \(settings.host):\(settings.effectivePort) (\(settings.security.displayName))"]
        if let greeting = report.greeting { lines.append("Greeting    \(greeting)") }
        if !report.extensions.isEmpty {
            lines.append("Extensions" + (report.extensionsBeforeTLS != nil ? " (after STARTTLS)" : ""))
            let width = min(28, (report.extensions.map(\.count).max() ?? 0) + 2)
            for ext in report.extensions {
                let padded = ext.count >= width ? ext + " " : ext + String(repeating: " ", count: width - ext.count)
                lines.append("  " + padded + ExtensionGlossary.meaning(of: ext))
            }
        }
        let after = FailureEvidence.authMechanisms(in: report.extensions)
        let starttlsFailed = Self.starttlsFailed(report, settings: settings)
        if let before = report.extensionsBeforeTLS.map(FailureEvidence.authMechanisms(in:)) {
            lines.append("AUTH        before STARTTLS: \(before.isEmpty ? "none" : before.joined(separator: ", ")); after: \(after.isEmpty ? "none" : after.joined(separator: ", "))")
        } else if starttlsFailed {
            // The EHLO seen is the plain one: what AUTH the server offers inside TLS is not known.
            lines.append("AUTH        " + (after.isEmpty ? "not known: the server offers it only after STARTTLS, which failed"
                                                         : "before STARTTLS: \(after.joined(separator: ", ")); after: not known, STARTTLS failed"))
        } else if !report.extensions.isEmpty {
            lines.append("AUTH        \(after.isEmpty ? "not offered" : after.joined(separator: ", "))")
        }
        if let failure = report.failure, failure.stage == .tls, settings.security != .none {
            // TLS failed (the handshake, or the certificate after it): say why, not a version of "?".
            let negotiated = report.tls?.version.map { " (\($0) \(report.tls?.cipher ?? "") negotiated, then refused)" } ?? ""
            lines.append("TLS         not established: \(failure.kind.words)" + negotiated)
        } else if let tls = report.tls {
            lines.append("TLS         \(tls.version ?? "?") \(tls.cipher ?? "")")
        }
        if let tls = report.tls {
            if let subject = tls.subject { lines.append("Certificate subject \(subject)") }
            if let issuer = tls.issuer { lines.append("            issuer \(issuer)") }
            if !tls.names.isEmpty { lines.append("            names \(tls.names.joined(separator: ", "))") }
            if let until = tls.notAfter {
                let left = tls.daysLeft(now: now).map { $0 < 0 ? " (expired \(-$0) days ago)" : " (\($0) days left)" } ?? ""
                lines.append("            valid until \(until)\(left)")
            }
            let verdict = tls.verifyResult.map { CertificateVerdict(verifyResult: $0) }
            if !settings.verifyCertificate {
                // Verification was off, but OpenSSL checked the chain all the same: say what it found.
                let would = tls.verificationWouldSay.map { $0 == CertificateVerdict.ok.words ? "; verification would have passed" : "; verification would have failed: \($0)" } ?? ""
                lines.append("            not verified (--insecure)" + would)
            } else if let verdict, verdict != .ok {
                lines.append("            NOT verified: \(verdict.words)")
            } else if let verified = tls.verified {
                lines.append("            " + (verified ? "verified" : "NOT verified: \(tls.verification ?? "")"))
            }
        }
        if let provider = Provider.recognise(host: settings.host, greeting: report.greeting?.description) {
            let how = Provider.recognise(host: settings.host) != nil ? "the host name" : "the greeting"
            lines.append("Provider    \(provider.name) (recognised from \(how)); user: \(provider.user); password: \(provider.password)")
            lines += provider.advice.map { "            - \($0.text)" }
        }
        if let client = report.client { lines.append("Client      mailtui over \(client)") }
        if report.loginSkipped {
            lines.append("Login       not tested: no password was given (" + (onScreen ? "type it into the Password field, or set MAIL_PASSWORD" : "set MAIL_PASSWORD, or use --password-env VAR, --password-cmd CMD or --password-stdin") + ")")
        } else if settings.wantsLogin {
            let failedBefore = report.failure.flatMap { $0.stage < .auth ? $0.stage : nil }
            lines.append("Login       " + (report.authenticated ? "accepted" : failedBefore.map { "not tried: the session failed at \($0.displayName)" } ?? "not accepted"))
        }
        var times: [String] = []
        if let lookup = report.nameLookup { times.append("name lookup \(lookup.milliseconds) ms") }
        if let connect = report.tcpConnect { times.append("TCP connect \(connect.milliseconds) ms") }
        times += report.stageTimes.filter { $0.stage != .connect }.map { "\($0.stage.displayName) \($0.duration.milliseconds) ms" }
        lines.append("Timings     " + times.joined(separator: ", "))
        return lines
    }

    /// A STARTTLS session that failed at TLS (the handshake or the certificate): the plain EHLO
    /// is all the probe saw.
    static func starttlsFailed(_ report: SessionReport, settings: ServerSettings) -> Bool {
        settings.security == .starttls && report.extensionsBeforeTLS == nil && report.failure?.stage == .tls
            && report.extensions.contains { $0.uppercased() == "STARTTLS" }
    }
}

extension TLSInfo {
    /// Whole days until `notAfter` (negative when expired), from OpenSSL's `Dec 16 12:28:47 2026 GMT`.
    public func daysLeft(now: Int) -> Int? {
        guard let notAfter, let expiry = Self.epochSeconds(openSSLDate: notAfter) else { return nil }
        return (expiry - now) / 86_400
    }

    /// Seconds since 1970 for `Dec 16 12:28:47 2026 GMT`.
    static func epochSeconds(openSSLDate text: String) -> Int? {
        let parts = text.split(separator: " ")
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        guard parts.count >= 4, let month = months.firstIndex(of: String(parts[0])), let day = Int(parts[1]),
              let year = Int(parts[3]) else { return nil }
        let clock = parts[2].split(separator: ":").compactMap { Int($0) }
        guard clock.count == 3 else { return nil }
        // Days from civil (Howard Hinnant's algorithm).
        let y = month < 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let m = month + 1
        let dayOfYear = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        return days * 86_400 + clock[0] * 3600 + clock[1] * 60 + clock[2]
    }
}
