import Dispatch
import Synchronization

/// Tries the usual submission setups of one host at once, with short timeouts, and recommends the
/// best that works: encrypted, with AUTH offered, implicit TLS or STARTTLS on a submission port.
public enum AutoProbe {
    /// A port and security mode to try.
    public struct Candidate: Sendable, Equatable {
        public var port: Int
        public var security: SecurityMode
        public init(port: Int, security: SecurityMode) { self.port = port; self.security = security }
    }

    /// What one candidate did.
    public struct Result: Sendable {
        public var candidate: Candidate
        public var report: SessionReport
        public var works: Bool { report.succeeded }
        public var authMechanisms: [String] { FailureEvidence.authMechanisms(in: report.extensions) }
        /// Encrypted and offering a login.
        public var isGood: Bool { works && candidate.security != .none && !authMechanisms.isEmpty }
    }

    /// 587 STARTTLS, 465 implicit TLS, 25 plain and STARTTLS, 2525 STARTTLS.
    public static let usual: [Candidate] = [
        Candidate(port: 587, security: .starttls), Candidate(port: 465, security: .tls), Candidate(port: 25, security: .none),
        Candidate(port: 25, security: .starttls), Candidate(port: 2525, security: .starttls),
    ]

    /// The sessions of one auto-detection, so that it can be cancelled as a whole, at once.
    public final class Group: Sendable {
        private let state = Mutex<(sessions: [SMTPSession], cancelled: Bool)>(([], false))
        public init() {}

        /// Stops every session, and any that would start later.
        public func cancel() {
            let sessions = state.withLock { state in
                state.cancelled = true
                return state.sessions
            }
            sessions.forEach { $0.cancel() }
        }

        public var isCancelled: Bool { state.withLock { $0.cancelled } }

        func session() -> SMTPSession {
            let session = SMTPSession()
            let cancelled = state.withLock { state in
                state.sessions.append(session)
                return state.cancelled
            }
            if cancelled { session.cancel() }
            return session
        }
    }

    /// The usual candidates plus the port typed in the form (with its security), when it is not
    /// among them.
    public static func candidates(typedPort: Int?, security: SecurityMode) -> [Candidate] {
        guard let typedPort, (1...65535).contains(typedPort) else { return usual }
        let typed = Candidate(port: typedPort, security: security)
        return usual.contains(typed) ? usual : usual + [typed]
    }

    /// Probes every candidate concurrently (no login) and returns the results in candidate order.
    public static func run(_ base: ServerSettings, candidates: [Candidate] = usual, timeout: Double = 5, group: Group = Group()) -> [Result] {
        CurlRuntime.initialize()
        let results = Mutex<[Int: Result]>([:])
        DispatchQueue.concurrentPerform(iterations: candidates.count) { index in
            var settings = base
            settings.port = candidates[index].port
            settings.security = candidates[index].security
            settings.username = nil
            settings.timeouts = Timeouts(connect: timeout, response: timeout, total: timeout * 3)
            let report = group.session().run(SessionRequest(settings: settings, secret: nil, purpose: .probe)) { _ in }
            results.withLock { $0[index] = Result(candidate: candidates[index], report: report) }
        }
        return results.withLock { all in candidates.indices.compactMap { all[$0] } }
    }

    /// The best result: encrypted with AUTH (implicit TLS or 587 first), else any encrypted one,
    /// else anything that worked.
    public static func recommendation(_ results: [Result]) -> Result? {
        let preference: (Result) -> Int = { r in
            switch (r.candidate.security, r.candidate.port) {
            case (.tls, 465): 0
            case (.starttls, 587): 1
            case (.tls, _): 2
            case (.starttls, _): 3
            default: 4
            }
        }
        let sorted = results.sorted { preference($0) < preference($1) }
        return sorted.first(where: \.isGood) ?? sorted.first { $0.works && $0.candidate.security != .none } ?? sorted.first(where: \.works)
    }

    /// One verdict over all the results: does anything answer, and if not, why not.
    public enum Verdict: Sendable, Equatable {
        /// The host name does not resolve: nothing was tried.
        case nameLookup(host: String)
        /// Every connection timed out: outbound SMTP is most likely blocked on this network.
        case blocked
        /// Every connection was refused: nothing listens there.
        case nothingListens
        /// A port answers; the best setup.
        case works(Candidate, good: Bool)
        /// Something answers, but no setup worked to the end: the one that went furthest.
        case answersButFails(Candidate, SessionFailure)
        /// Cancelled before the end.
        case cancelled

        public var worked: Bool { if case .works = self { true } else { false } }

        /// The verdict as a sentence with what to do.
        public func words(host: String) -> String {
            switch self {
            case .nameLookup(let host):
                return "The host name \(host) does not resolve, so no port was tried: check the spelling (--server, MAIL_SERVER) and this machine's DNS."
            case .blocked:
                return "This network seems to block outbound SMTP: every port timed out without an answer, which is typical of cloud hosts (AWS, Google Cloud, Azure, DigitalOcean block 25 and often 465 and 587). Ask the host to open 587, relay through the provider's allowed port (2525 for some), or send through the provider's HTTPS API."
            case .nothingListens:
                return "Nothing listens on these ports at \(host): every connection was refused. Check the host name (--server, MAIL_SERVER) and that the mail server runs."
            case .works(let best, let good):
                let flask = "MAIL_PORT=\(best.port), MAIL_USE_TLS=\(best.security == .starttls ? "True" : "False"), MAIL_USE_SSL=\(best.security == .tls ? "True" : "False")"
                return "Port \(best.port) answers; use --port \(best.port) --security \(best.security.rawValue) (\(flask))"
                    + (good ? "." : best.security == .none ? "; unencrypted: no setup with TLS worked." : "; but it offers no login (AUTH).")
            case .answersButFails(let candidate, let failure):
                return "Port \(candidate.port) (\(candidate.security.displayName)) answers but fails at \(failure.stage.displayName): \(failure.kind.words). \(failure.suggestions.first ?? "")"
            case .cancelled:
                return "Auto-detect cancelled."
            }
        }
    }

    /// The verdict for these results.
    public static func verdict(_ results: [Result]) -> Verdict {
        if let best = recommendation(results) { return .works(best.candidate, good: best.isGood) }
        let failures = results.compactMap { r in r.report.failure.map { (r.candidate, $0) } }
        guard !failures.isEmpty else { return .nothingListens }
        if failures.contains(where: { $0.1.kind == .cancelled }) { return .cancelled }
        if failures.allSatisfy({ $0.1.kind == .nameLookup }) { return .nameLookup(host: "") }
        if failures.allSatisfy({ $0.1.kind == .connectTimeout }) { return .blocked }
        if failures.allSatisfy({ $0.1.kind == .connectionRefused || $0.1.kind == .connectTimeout }) && failures.contains(where: { $0.1.kind == .connectionRefused }) {
            return .nothingListens
        }
        let answered = failures.filter { ![.connectionRefused, .connectTimeout, .nameLookup].contains($0.1.kind) }
        if let furthest = answered.max(by: { $0.1.stage < $1.1.stage }) { return .answersButFails(furthest.0, furthest.1) }
        // No port answered, and the name failed for some of them (a resolver that failed once):
        // judged by the ports that got as far as a connection.
        if failures.contains(where: { $0.1.kind == .connectionRefused }) { return .nothingListens }
        return failures.contains(where: { $0.1.kind == .connectTimeout }) ? .blocked : .nameLookup(host: "")
    }

    /// Whether the host name resolves (or is an address), checked once before any port is tried.
    public static func resolves(_ settings: ServerSettings) -> Bool {
        settings.connectAddress != nil || !HostAddresses.lookUp(settings.host.trimmingEnds(of: "[]")).isEmpty
    }

    /// What one auto-detection found.
    public struct Detection: Sendable {
        public var results: [Result]
        public var verdict: Verdict
        public var host: String

        /// The table, then the verdict, as lines for people.
        public var lines: [String] {
            (results.isEmpty ? [] : AutoProbe.lines(results)) + [verdict.words(host: host)]
        }
    }

    /// The name lookup, then every candidate at once, then one verdict.
    public static func detect(_ base: ServerSettings, candidates: [Candidate] = usual, timeout: Double = 5, group: Group = Group()) -> Detection {
        guard resolves(base) else { return Detection(results: [], verdict: .nameLookup(host: base.host), host: base.host) }
        let results = run(base, candidates: candidates, timeout: timeout, group: group)
        let verdict: Verdict = group.isCancelled ? .cancelled : verdict(results)
        if case .nameLookup = verdict { return Detection(results: results, verdict: .nameLookup(host: base.host), host: base.host) }
        return Detection(results: results, verdict: verdict, host: base.host)
    }

    /// The table, as lines for people, in 80 columns: a result or an AUTH list too long for its
    /// column is cut there with "…" and given whole on the lines below its row.
    public static func lines(_ results: [Result]) -> [String] {
        var lines = ["PORT  SECURITY  RESULT                     TLS      AUTH"]
        for r in results {
            let outcome = r.report.failure.map { "\($0.stage.displayName): \($0.kind.words)" } ?? "ok"
            let tls = r.report.tls?.version ?? "-"
            let auth = r.authMechanisms.isEmpty ? "-" : r.authMechanisms.joined(separator: " ")
            lines.append(pad(String(r.candidate.port), 6) + pad(r.candidate.security.rawValue, 10) + pad(cut(outcome, 26), 27) + pad(cut(tls, 8), 9) + cut(auth, 28))
            if outcome.count > 26 { lines += wrap(outcome, indent: 16, width: 80) }
            if auth.count > 28 { lines += wrap("AUTH: " + auth, indent: 16, width: 80) }
        }
        return lines
    }

    /// `text` in at most `width` characters, "…" marking a cut.
    static func cut(_ text: String, _ width: Int) -> String { text.count <= width ? text : String(text.prefix(width - 1)) + "…" }

    /// `text` in lines of at most `width` characters, each indented, broken at spaces.
    static func wrap(_ text: String, indent: Int, width: Int) -> [String] {
        let room = width - indent
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ").map({ cut(String($0), room) }) {
            if !line.isEmpty && line.count + 1 + word.count > room {
                lines.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines.map { String(repeating: " ", count: indent) + $0 }
    }

    static func pad(_ s: String, _ width: Int) -> String { s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count) }
}
