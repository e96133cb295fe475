#if canImport(Glibc)
import Glibc
#endif

/// The spam score of a message, from Debian's SpamAssassin: spamd over its protocol when one
/// answers (SPAMC/1.5 `REPORT`), else `spamassassin --test-mode`, else a line saying how to
/// install it. Network tests (DNS blocklists, Razor, Pyzor) stay off unless asked for, so that a
/// score is the same offline and online.
public enum SpamAssassin {
    public struct Options: Sendable {
        /// `HOST:PORT` of a spamd; nil tries 127.0.0.1:783 and then the command.
        public var spamd: String?
        public var network: Bool
        /// The command to run when no spamd answers (its directory on PATH otherwise).
        public var command: String
        public var timeout: Duration

        /// 30 s: spamd answers an ordinary message in a second or two; what takes longer is HTML
        /// it chokes on, and spamd's own limit (120 s) is too long to hold a check or a screen.
        public static let defaultTimeout: Duration = .seconds(30)

        public init(spamd: String? = nil, network: Bool = false, command: String = "spamassassin", timeout: Duration = defaultTimeout) {
            self.spamd = spamd
            self.network = network
            self.command = command
            self.timeout = timeout
        }
    }

    public enum Outcome: Sendable, Equatable {
        case scored(SpamAssassinReport)
        /// Neither spamd nor the command is there: how to get them.
        case unavailable(String)
        /// It is there but failed: which stage, and what to try.
        case failed(String)
        /// It did not answer within the step's deadline: who was asked, and the deadline.
        case timedOut(String, Duration)
    }

    public static let defaultSpamd = "127.0.0.1:783"
    /// The largest reply read from spamd or the command: a report is a few KB, the command's
    /// output the message plus the report.
    static let longestReply = 64 * 1024 * 1024

    public static func check(_ message: [UInt8], options: Options) -> Outcome {
        if let spamd = options.spamd {
            return ask(spamd, message, timeout: options.timeout, explicit: true) ?? .failed("spamd at \(spamd) did not answer")
        }
        if let answered = ask(defaultSpamd, message, timeout: options.timeout, explicit: false) { return answered }
        return run(message, options: options)
    }

    /// Asks spamd; nil when nothing listens there and it was not asked for by name.
    static func ask(_ address: String, _ message: [UInt8], timeout: Duration, explicit: Bool) -> Outcome? {
        guard let (host, port) = SpamdClient.parse(address) else { return .failed("--spamd \(address): give HOST:PORT (an IP address)") }
        // The default address is only tried: a filtered port must not hold the check for long.
        switch SpamdClient.report(message, host: host, port: port, timeout: timeout, connectTimeout: explicit ? timeout : .seconds(2)) {
        case .success(let text):
            guard let report = SpamAssassinReport.parse(text, source: "spamd \(address)") else {
                return .failed("spamd at \(address) answered without a report: \(String(text.prefix(200)))")
            }
            return .scored(report)
        case .failure(.refused) where !explicit:
            return nil
        case .failure(.timedOut):
            return .timedOut("spamd at \(address)", timeout)
        case .failure(let error):
            return .failed("spamd at \(address): \(error.words)")
        }
    }

    static func run(_ message: [UInt8], options: Options) -> Outcome {
        guard let command = ExecutablePath.find(options.command) else {
            return .unavailable("SpamAssassin is not installed and no spamd answers on \(defaultSpamd): install it (apt-get install spamassassin spamc), or give --spamd HOST:PORT.")
        }
        guard let path = TemporaryFile.write(message, prefix: "mailtui-spam") else {
            return .failed("could not write the message to a temporary file for spamassassin")
        }
        defer { unlink(path) }
        let script = "exec " + [command, "--test-mode"] .map(shellQuoted).joined(separator: " ") + (options.network ? "" : " --local") + " < " + shellQuoted(path) + " 2>/dev/null"
        switch ShellCommand.capture(script, limit: longestReply, timeout: options.timeout) {
        case .exited(_, let output):
            guard let report = SpamAssassinReport.parse(output, source: "spamassassin --test-mode" + (options.network ? "" : " --local")) else {
                return .failed("\(command) --test-mode printed no report (run it by hand to see why)")
            }
            return .scored(report)
        case .timedOut(let after):
            return .timedOut(command, after)
        case .tooMuchOutput:
            return .failed("\(command) printed more than \(ByteCount.human(longestReply))")
        case .notStarted:
            return .failed("\(command) could not be started")
        }
    }

    static func shellQuoted(_ word: String) -> String { "'" + word.replacing("'", with: "'\\''") + "'" }

    static func findings(_ message: [UInt8], options: Options) -> [MessageCheck.Finding] {
        findings(check(message, options: options), network: options.network)
    }

    static func findings(_ outcome: Outcome, network: Bool) -> [MessageCheck.Finding] {
        switch outcome {
        case .unavailable(let how):
            return [.init(.spam, .unchecked, "Not scored: SpamAssassin is not installed.", fix: how)]
        case .failed(let why):
            return [.init(.spam, .unchecked, "Not scored: \(why).", fix: "Check that spamd runs (or that spamassassin --test-mode works by hand), then try again.")]
        case .timedOut(let who, let after):
            return [.init(.spam, .unchecked, "Not scored: SpamAssassin (\(who)) did not answer within \(after.components.seconds) s.",
                          fix: "A large or deeply nested HTML part keeps SpamAssassin busy; so does a spamd with too few children. Give it longer with --spam-timeout SECONDS, or check the HTML.")]
        case .scored(let report):
            var found: [MessageCheck.Finding] = [
                report.isSpam
                    ? .init(.spam, .problem, "Score \(format(report.score)), at or over the threshold \(format(report.threshold)) (\(report.source)): filed as spam.",
                            fix: "Fix the rules with the most points below.")
                    : .init(.spam, .ok, "Score \(format(report.score)), under the threshold \(format(report.threshold)) (\(report.source)\(report.source.hasPrefix("spamd") ? ": its own settings decide its network tests" : network ? "" : ", network tests off")).")
            ]
            for rule in report.rules.sorted(by: { $0.points > $1.points }) {
                found.append(.init(.spam, .info, "\(format(rule.points)) \(rule.name): \(rule.description)"))
            }
            return found
        }
    }

    /// Why a message with HTML nested deeper than `HTMLScan.maximumDepth` was not scored.
    static let nestingFinding = MessageCheck.Finding(
        .spam, .unchecked,
        "Not scored: the HTML nests more than \(HTMLScan.maximumDepth) elements deep, so it was not handed to SpamAssassin, which takes minutes over such nesting.",
        fix: "Real mail nests a few dozen levels: look for a template that opens elements in a loop and never closes them. Filters distrust such HTML too.")

    /// As SpamAssassin prints points: one decimal.
    static func format(_ points: Double) -> String {
        let tenths = Int((points * 10).rounded())
        return (tenths < 0 ? "-" : "") + "\(abs(tenths) / 10).\(abs(tenths) % 10)"
    }
}

/// A file of our own in the temporary folder (mkstemp: created new, mode 0600).
enum TemporaryFile {
    static func write(_ bytes: [UInt8], prefix: String) -> String? {
        let folder = ProcessEnvironment.all()["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array((folder + "/" + prefix + "-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        let path = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { unlink(path); return nil }
            written += n
        }
        return path
    }
}

/// Where a command is: the name itself when it holds a slash, else the first match on PATH.
enum ExecutablePath {
    static func find(_ name: String) -> String? {
        if name.contains("/") { return access(name, X_OK) == 0 ? name : nil }
        let path = ProcessEnvironment.all()["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").map { $0 + "/" + name }.first { access($0, X_OK) == 0 }
    }
}
