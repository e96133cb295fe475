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

    /// The table and the recommendation, as lines for people.
    public static func lines(_ results: [Result]) -> [String] {
        var lines = ["PORT   SECURITY  RESULT                        TLS       AUTH"]
        for r in results {
            let outcome = r.report.failure.map { "\($0.stage.displayName): \($0.kind.words)" } ?? "ok"
            let tls = r.report.tls?.version ?? "-"
            let auth = r.authMechanisms.isEmpty ? "-" : r.authMechanisms.joined(separator: " ")
            lines.append(pad(String(r.candidate.port), 7) + pad(r.candidate.security.rawValue, 10) + pad(outcome, 30) + pad(tls, 10) + auth)
        }
        if let best = recommendation(results) {
            let flask = "MAIL_PORT=\(best.candidate.port), MAIL_USE_TLS=\(best.candidate.security == .starttls ? "True" : "False"), MAIL_USE_SSL=\(best.candidate.security == .tls ? "True" : "False")"
            lines.append("Recommended: --port \(best.candidate.port) --security \(best.candidate.security.rawValue) (\(flask))"
                         + (best.isGood ? "" : best.candidate.security == .none ? "; unencrypted: no setup with TLS worked" : "; no AUTH offered"))
        } else {
            lines.append("Nothing worked: check the host name and that this machine may reach it (outgoing ports are often blocked).")
        }
        return lines
    }

    static func pad(_ s: String, _ width: Int) -> String { s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count) }
}
