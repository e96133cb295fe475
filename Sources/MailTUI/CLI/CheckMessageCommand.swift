import ArgumentParser
import MailCore
#if canImport(Glibc)
import Glibc
#endif

/// `mailtui check-message FILE.eml|-`: the message checked as Gmail, Yahoo, Outlook and a spam
/// filter would check it, grouped by area, each finding with what to change; exit 12 on a
/// problem, so that CI can gate an app's generated mail.
struct CheckMessageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-message",
        abstract: "Check a message file as Gmail, Yahoo, Outlook and SpamAssassin would: bulk-sender rules, spam score, HTML.",
        discussion: """
        Bulk-sender rules (Gmail and Yahoo, 2024): List-Unsubscribe with an https: URI, \
        List-Unsubscribe-Post: List-Unsubscribe=One-Click, both signed by DKIM (h=), the From \
        domain aligned with DKIM d= or the envelope sender (relaxed or strict as the domain's \
        DMARC record says, when DNS answers), Message-ID, Date, no Precedence: bulk without \
        unsubscribe headers. Spam: SpamAssassin's score, from spamd (--spamd, or 127.0.0.1:783) \
        or `spamassassin --test-mode`, network tests off unless --network, given --spam-timeout \
        seconds (30); HTML nested more than 256 levels deep is not handed to it. HTML: Gmail's 102 KiB \
        clipping, client support (caniemail), dark mode, accessibility, links and images (their \
        reachability with --network), and the text part beside the HTML.

        Exit status: 0 when nothing is a problem (warnings allowed), 12 when a check found a \
        problem, 2 for bad input.
        """
    )

    @Argument(help: ArgumentHelp("The message: an .eml file, or - for standard input.", valueName: "file"))
    var file: String

    @Flag(help: "One JSON object instead of text.")
    var json = false

    @Option(help: ArgumentHelp("Ask this DNS server (IPv4 address, optionally :port) for DKIM keys and DMARC records.", valueName: "host[:port]"))
    var dnsServer: String?

    @Flag(help: "Ask no DNS: DKIM signatures are read but not verified, alignment is relaxed.")
    var noDNS = false

    @Option(help: ArgumentHelp("Ask this spamd (SPAMC/1.5 REPORT) for the spam score.", valueName: "host:port"))
    var spamd: String?

    @Flag(help: "Skip the spam score.")
    var noSpam = false

    @Option(help: ArgumentHelp("Give SpamAssassin at most this long (default 30).", valueName: "seconds"))
    var spamTimeout: Int = Int(SpamAssassin.Options.defaultTimeout.components.seconds)

    @Flag(help: "Let SpamAssassin run its network tests, and send a HEAD request to each link and image.")
    var network = false

    @Option(help: ArgumentHelp("The envelope sender (MAIL FROM), for DMARC alignment; else the Return-Path header's.", valueName: "address"))
    var envelopeFrom: String?

    @Flag(help: "Mail nobody subscribed to (a password reset): no List-Unsubscribe is not a problem.")
    var transactional = false

    @Option(help: ArgumentHelp("Trust this CA bundle for the links' HEAD requests (tests).", valueName: "file"))
    var caFile: String?

    /// A message larger than this is refused: receivers refuse far smaller ones.
    static let largestMessage = 64 * 1024 * 1024

    func validate() throws {
        if let dnsServer, SystemResolver(serverText: dnsServer) == nil { throw ValidationError("--dns-server \(dnsServer): give an IPv4 address, optionally with :port.") }
        if let spamd, !(spamd.contains(":") && spamd.split(separator: ":").last.flatMap { Int($0) } != nil) {
            throw ValidationError("--spamd \(spamd): give HOST:PORT, such as 127.0.0.1:783.")
        }
        if !(1...600).contains(spamTimeout) { throw ValidationError("--spam-timeout \(spamTimeout): give a number of seconds from 1 to 600.") }
        if let envelopeFrom, !envelopeFrom.contains("@") { throw ValidationError("--envelope-from \(envelopeFrom) is not an address.") }
    }

    func run() throws {
        let bytes: [UInt8]
        do {
            bytes = try readMessage()
        } catch let error as ValidationError {
            Console.err("error: \(error)")
            throw ExitCode(ExitStatus.badInput.rawValue)
        }
        let dns: (any DNSResolving)? = noDNS ? nil : (dnsServer.flatMap { SystemResolver(serverText: $0, timeout: 2) } ?? SystemResolver(timeout: 2))
        let options = MessageCheck.Options(dns: dns, envelopeFrom: envelopeFrom, transactional: transactional,
                                           spam: noSpam ? nil : SpamAssassin.Options(spamd: spamd, network: network, timeout: .seconds(spamTimeout)),
                                           reachability: network ? LinkReachability(caFile: caFile) : nil)
        let outcome = MessageCheck(bytes: bytes, options: options).inspect()
        let findings = outcome.findings
        if json {
            struct Output: Encodable {
                var file: String
                var verdict: MessageCheck.Verdict
                var findings: [MessageCheck.Finding]
                var spam: SpamAssassinReport?
                var compatibility: [CanIEmail.Feature]
            }
            Console.json(Output(file: file, verdict: findings.map(\.verdict).max() ?? .ok, findings: findings,
                                spam: outcome.spam, compatibility: outcome.compatibility))
        } else {
            for line in MessageCheck.report(file == "-" ? "standard input" : file, findings) { Console.outFormatted(line) }
        }
        if MessageCheck.hasProblems(findings) { throw ExitCode(ExitStatus.domainProblems.rawValue) }
    }

    private func readMessage() throws -> [UInt8] {
        // A FIFO or a device would block the open or never end: only a message file, or `-`.
        var info = stat()
        if file != "-", stat(file, &info) == 0, (info.st_mode & S_IFMT) != S_IFREG {
            throw ValidationError("\(file.visibleControls) is not a regular file (a FIFO, a device or a folder): give a message file, or - to read standard input.")
        }
        let fd = file == "-" ? STDIN_FILENO : open(file, O_RDONLY)
        guard fd >= 0 else { throw ValidationError("cannot open \(file): \(String(cString: strerror(errno))).") }
        defer { if fd != STDIN_FILENO { close(fd) } }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw ValidationError("cannot read \(file): \(String(cString: strerror(errno))).") }
            if n == 0 { break }
            bytes += buffer[0..<n]
            if bytes.count > Self.largestMessage { throw ValidationError("\(file) is over \(ByteCount.human(Self.largestMessage)): not a message a receiver would take.") }
        }
        guard !bytes.isEmpty else { throw ValidationError("\(file) is empty.") }
        return bytes
    }
}
