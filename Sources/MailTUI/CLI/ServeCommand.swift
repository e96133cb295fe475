import ArgumentParser
import MailCore
import MailServer
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// `mailtui serve`: a local SMTP server that captures mail and fails on purpose.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run a local SMTP server that captures mail (never relays it) and fails on purpose.",
        discussion: """
        Point an app at it (Flask: MAIL_SERVER=127.0.0.1, MAIL_PORT=2525) and every message it sends \
        is stored in the inbox folder. --fault and --preset make it answer as a failing or strict \
        server would, at an exact stage. SIGTERM or Ctrl-C stops it; a message being received is \
        stored whole or not at all.

        Faults: --fault 'STAGE[@N]=ACTION'. STAGE: connect, greeting, ehlo, starttls, auth, mail, \
        rcpt, data (the reply after the message), quit. @N strikes only the Nth time that stage is \
        reached since start (rcpt@2: the second recipient). ACTION: a reply 'CODE TEXT', \
        'delay SECONDS', close, hang, or (starttls only) tls-fail. Limits: (mail) 'throttle 10/min \
        [per-login|per-sender] [CODE TEXT]' refuses past the rate (454 4.7.0 by default); (rcpt) \
        'greylist 60' defers each (client, sender, recipient) with 451 4.7.1 until 60 s passed; \
        (data) 'bandwidth 20kB/s' reads the message slowly; (data) 'close-after 4096' drops the \
        connection after 4096 octets of content. A trailing '~30%' strikes with that chance; \
        --seed N repeats a run's chances.
        """
    )

    @Option(help: ArgumentHelp("The DNS server (IPv4 address, optionally :port) that DKIM verification of caught mail and the domain check ask; default the system's.", valueName: "host[:port]"))
    var dnsServer: String?

    @Option(help: ArgumentHelp("Plain SMTP port, offering STARTTLS; 0 picks a free one.", valueName: "n"))
    var port: Int = 2525

    @Option(name: .customLong("tls-port"), help: ArgumentHelp("Implicit TLS port; 0 picks a free one; 'off' for none (default: 2465, or a free one with --port 0, so that two servers on free ports do not both ask for 2465).", valueName: "n|off"))
    var givenTLSPort: String?

    /// `--tls-port`, else 2465, else (with `--port 0`) a free one too.
    var tlsPort: String { givenTLSPort ?? (port == 0 ? "0" : "2465") }

    @Option(help: ArgumentHelp("Server certificate chain (PEM), instead of the local CA's.", valueName: "pem"))
    var cert: String?

    @Option(help: ArgumentHelp("Private key (PEM) for --cert.", valueName: "pem"))
    var key: String?

    @Option(name: .customLong("user"), help: ArgumentHelp("A test login NAME:PASSWORD; repeatable. Without a login given, any login is accepted. The password shows in ps: prefer --users-file or --users-env.", valueName: "name:password"))
    var users: [String] = []

    @Option(help: ArgumentHelp("Test logins from this file, a NAME:PASSWORD a line; only you may read it (chmod 600).", valueName: "file"))
    var usersFile: String?

    @Option(help: ArgumentHelp("Test logins from this environment variable, a NAME:PASSWORD a line.", valueName: "var"))
    var usersEnv: String?

    @Option(name: .customLong("oauth-token"), help: ArgumentHelp("A test OAuth2 login NAME:TOKEN; repeatable. XOAUTH2 and OAUTHBEARER then take only these tokens (any other gets 535). A test token, not a real one: it shows in ps.", valueName: "name:token"))
    var oauthTokens: [String] = []

    @Flag(help: "Offer AUTH before STARTTLS too (it is offered only inside TLS otherwise).")
    var authPlaintext = false

    @Flag(help: "Answer MAIL FROM with 530 5.7.0 until a login was made.")
    var requireAuth = false

    @Flag(help: "Answer every command but EHLO, STARTTLS and QUIT with 530 5.7.0 until STARTTLS.")
    var requireTLS = false

    @Option(help: ArgumentHelp("Largest message in bytes (SIZE); default 32 MiB.", valueName: "bytes"))
    var maxSize: Int = 32 * 1024 * 1024

    @Option(help: ArgumentHelp("Connections at once; beyond that, 421.", valueName: "n"))
    var maxConnections: Int = 100

    @Option(help: ArgumentHelp("Connections at once from one address; beyond that, 421 (raise it for send --count with many --connections).", valueName: "n"))
    var maxPerAddress: Int = 20

    @Option(help: ArgumentHelp("Seconds for a whole command line, and for the replies to be read; then 421.", valueName: "seconds"))
    var commandTimeout: Double = 60

    @Option(help: ArgumentHelp("Seconds a session may last; then 421.", valueName: "seconds"))
    var sessionLimit: Double = 1800

    @OptionGroup(title: "Where apps connect, and what is kept")
    var capture: CaptureOptions

    @OptionGroup(title: "The HTTP API (Mailpit's v1, and waiting for mail)")
    var api: APIOptions

    @Flag(help: "List the presets and what each imitates.")
    var listPresets = false

    @Flag(help: "A line per event even on a terminal (there, the inbox opens full-screen otherwise).")
    var lines = false

    func validate() throws {
        if let dnsServer, SystemResolver(serverText: dnsServer) == nil { throw ValidationError("--dns-server \(dnsServer): give an IPv4 address, optionally with :port.") }
        if !(0...65535).contains(port) { throw ValidationError("--port takes 0 to 65535.") }
        if tlsPort != "off", Int(tlsPort).map({ (0...65535).contains($0) }) != true { throw ValidationError("--tls-port takes 0 to 65535, or off.") }
        if (cert == nil) != (key == nil) { throw ValidationError("Give --cert and --key together.") }
        if maxSize < 1024 { throw ValidationError("--max-size takes at least 1024 bytes.") }
        if !(1...10_000).contains(maxConnections) { throw ValidationError("--max-connections takes 1 to 10000.") }
        if !(1...10_000).contains(maxPerAddress) { throw ValidationError("--max-per-address takes 1 to 10000.") }
        if !(commandTimeout.isFinite && commandTimeout >= 1 && commandTimeout <= 86_400) { throw ValidationError("--command-timeout takes 1 to 86400 seconds.") }
        if !(sessionLimit.isFinite && sessionLimit >= 1 && sessionLimit <= 604_800) { throw ValidationError("--session-limit takes 1 to 604800 seconds.") }
        for user in users where !user.contains(":") { throw ValidationError("--user takes NAME:PASSWORD, not \"\(user)\".") }
        for login in oauthTokens where login.split(separator: ":", maxSplits: 1).count != 2 { throw ValidationError("--oauth-token takes NAME:TOKEN.") }
        try api.check()
    }

    func run() throws {
        // The server decodes passwords: no core file or other process may read its memory.
        CoreDumps.forbid()
        if listPresets {
            for preset in Preset.all { for line in [preset.name, "    " + preset.imitates] + preset.faults.map({ "    " + $0.description }) { Console.out(line) } }
            return
        }
        var configuration = ServerConfiguration()
        capture.apply(to: &configuration)
        for host in capture.outsideHosts {
            Console.err("warning: listening on \(host), which is not a loopback address: other machines may send to this server")
        }
        configuration.port = port
        configuration.tlsPort = tlsPort == "off" ? nil : Int(tlsPort)
        configuration.users = Dictionary(users.map { user in
            let parts = user.split(separator: ":", maxSplits: 1).map(String.init)
            return (parts[0], parts.count > 1 ? parts[1] : "")
        }, uniquingKeysWith: { $1 })
        if let usersFile { configuration.users.merge(try ServeLogins.readFile(usersFile)) { $1 } }
        if let usersEnv { configuration.users.merge(try ServeLogins.environment(usersEnv)) { $1 } }
        configuration.oauthTokens = Dictionary(oauthTokens.map { login in
            let parts = login.split(separator: ":", maxSplits: 1).map(String.init)
            return (parts[0], parts[1])
        }, uniquingKeysWith: { $1 })
        configuration.authBeforeTLS = authPlaintext
        configuration.requireAuth = requireAuth
        configuration.requireTLS = requireTLS
        configuration.maxMessageSize = maxSize
        configuration.maxConnections = maxConnections
        configuration.maxConnectionsPerAddress = maxPerAddress
        configuration.commandSeconds = commandTimeout
        configuration.sessionSeconds = sessionLimit
        var ca: String?
        do {
            if let cert, let key {
                guard let chain = FileContents.read(cert), let secret = FileContents.read(key) else { throw ValidationError("Cannot read \(cert) or \(key).") }
                configuration.certificatePEM = String(decoding: chain, as: UTF8.self)
                configuration.keyPEM = String(decoding: secret, as: UTF8.self)
            } else {
                let local = LocalCertificates()
                let made = try local.ensure()
                configuration.certificatePEM = made.chainPEM
                configuration.keyPEM = made.keyPEM
                ca = local.caPath
            }
        } catch let error as ValidationError {
            throw error
        } catch {
            Console.err("error: \(error)")
            throw ExitCode(ExitStatus.internalError.rawValue)
        }
        let allFaults = try capture.allFaults()

        if !capture.json && !lines && isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1 {
            let http = try api.start(configuration, capture: capture)
            defer { http?.server.stop() }
            try runScreen(configuration, faults: allFaults, ca: ca, api: http)
            return
        }
        // Damage found in the store's index (it is rebuilt from the folder) is said once, here.
        MessageIndex.warnings.withLock { $0 = { Console.err("warning: \($0)") } }

        let stopSignals = HeadlessServer.blockStopSignals()
        // After the mask: the API's threads inherit it.
        let http = try api.start(configuration, capture: capture)
        defer { http?.server.stop() }

        let output = ServeOutput(json: capture.json, ca: ca, store: configuration.store, api: http?.server.url)
        let server = try HeadlessServer.start(configuration, faults: allFaults, ports: "\(port) or \(tlsPort)") { event in
            output.show(event)
            http?.tell(event)
        }
        http?.server.responder.attach(server.store)
        http?.server.responder.attach(server.faults)
        // The compose screen learns this server's CA and inbox from this file.
        let announced = ServeRuntimeFile.announce(server.smtpAddresses, ca: ca, store: configuration.store, anyLogin: configuration.users.isEmpty)
        HeadlessServer.waitForStop(stopSignals)
        ServeRuntimeFile.withdraw(announced)
        server.stop()
        output.stopped()
    }
}

extension ServeCommand {
    /// On a terminal: the inbox full-screen, live, with where it listens and its CA at the top.
    func runScreen(_ configuration: ServerConfiguration, faults: [Fault], ca: String?, api: ServeAPI?) throws {
        try Self.runInbox(configuration, faults: faults, ca: ca, dnsServer: dnsServer, ports: "\(port) or \(tlsPort)", announce: true, api: api)
    }

    /// The inbox full-screen for `serve` and `relay`; `first` is a line above the addresses
    /// (where relay sends), and `announce` tells the compose screen of this server (serve only:
    /// a relay is no local test server).
    static func runInbox(_ configuration: ServerConfiguration, faults: [Fault], ca: String?, dnsServer: String?, ports: String,
                         first: String? = nil, announce: Bool, api: ServeAPI? = nil) throws {
        // The same start-up (and the same errors) as without a terminal.
        let local = try LocalServer.wrapping(caPath: ca ?? "") { onEvent in
            try HeadlessServer.start(configuration, faults: faults, ports: ports) { event in
                onEvent(event)
                api?.tell(event)
            }
        }
        guard let server = local.server else { return }
        api?.server.responder.attach(server.store)
        api?.server.responder.attach(server.faults)
        let announced = announce ? ServeRuntimeFile.announce(server.smtpAddresses, ca: ca, store: configuration.store, anyLogin: configuration.users.isEmpty) : []
        defer { ServeRuntimeFile.withdraw(announced) }
        var state = AppState(width: 80, height: 24, colors: TranscriptPrinter.colourWanted(for: STDOUT_FILENO))
        let smtp = server.smtpAddresses
        var header = (first.map { [$0] } ?? []) + ["SMTP (STARTTLS offered): " + smtp.joined(separator: ", ")]
        if !server.smtpsAddresses.isEmpty { header.append("SMTPS (implicit TLS):    " + server.smtpsAddresses.joined(separator: ", ")) }
        if let ca { header.append("CA to trust: \(ca)  (curl --cacert, mailtui --ca-file)") }
        header.append("Inbox: \(configuration.store)")
        if let api { header.append("API (Mailpit v1): \(api.server.url)") }
        header.append("Flask: MAIL_SERVER=\(smtp.first?.split(separator: ":").dropLast().joined(separator: ":") ?? "127.0.0.1") MAIL_PORT=\(smtp.first?.split(separator: ":").last ?? "2525")")
        state.serving = header.map { TerminalSanitizer.sanitize($0, maxLength: 500) }
        state.localServer = local.address
        state.captured = server.store.records()
        state.activeFaults = server.faults.active
        state.overlay = .inbox(selected: 0)
        let app = TerminalApp(state: state, draftStore: nil, passwords: PasswordLookup(), localServer: local)
        app.spamd = (try? Configuration.load())?.spamd
        if let dns = dnsServer.flatMap({ SystemResolver(serverText: $0) }) { app.dns = dns }
        let status = app.run()
        if status != 0 { throw ExitCode(status) }
    }
}

/// What `serve` prints: a line a person reads, or one JSON object, per event.
final class ServeOutput: Sendable {
    let json: Bool
    let ca: String?
    let store: String
    /// The HTTP API's URL, when it listens.
    let api: String?
    private let lock = Mutex(())

    init(json: Bool, ca: String?, store: String, api: String? = nil) {
        self.json = json
        self.ca = ca
        self.store = store
        self.api = api
    }

    func show(_ event: ServerEvent) {
        lock.withLock { _ in
            if json { Console.json(Self.json(event, ca: ca, store: store, api: api)) } else { for line in Self.lines(event, ca: ca, store: store, api: api) { Console.out(line) } }
        }
    }

    func stopped() {
        lock.withLock { _ in json ? Console.json(ServeEventJSON.stopped) : Console.out("Stopped.") }
    }

    /// The lines for a person; each is printed as one line, so a client's text with a line break in
    /// it (an AUTH name, a HELO) shows the break as `\n` and cannot forge a line.
    static func lines(_ event: ServerEvent, ca: String?, store: String, api: String? = nil) -> [String] {
        let time = LocalTime.text(Int(Glibc.time(nil))).split(separator: " ").last.map(String.init) ?? ""
        switch event {
        case .listening(let smtp, let smtps):
            var lines = ["mailtui test server: mail sent here is stored, never relayed.",
                         "  SMTP (STARTTLS offered): \(smtp.joined(separator: ", "))"]
            if !smtps.isEmpty { lines.append("  SMTPS (implicit TLS):    \(smtps.joined(separator: ", "))") }
            if let ca { lines.append("  CA to trust: \(ca)  (curl --cacert \(ca), mailtui --ca-file \(ca))") }
            lines.append("  Inbox: \(store)")
            if let api { lines.append("  API (Mailpit v1): \(api)") }
            lines.append("  Flask: MAIL_SERVER=\(smtp.first?.split(separator: ":").dropLast().joined(separator: ":") ?? "127.0.0.1") MAIL_PORT=\(smtp.first?.split(separator: ":").last ?? "2525")")
            return lines.map(Console.safe)
        case .message(let m):
            let login = m.authUser.map { ", login \($0)" } ?? ""
            return ["\(time) message \(m.id) from <\(m.from)> to \(m.recipients.map(\.address).joined(separator: ", ")), \(ByteCount.human(m.bytes))\(m.tls.map { ", \($0)" } ?? "")\(login)"].map(Console.safe)
        case .session(let s):
            return [Console.safe("\(time) session \(s.client)\(s.helo.map { " (\($0))" } ?? "")\(s.tls.map { " \($0)" } ?? ""): \(s.messages) message\(s.messages == 1 ? "" : "s"), \(s.ending)")]
        case .fault(let f):
            return [Console.safe("\(time) fault \(f.stage.faultWord)@\(f.occurrence) → \(f.action) (\(f.client))")]
        }
    }

    static func json(_ event: ServerEvent, ca: String?, store: String, api: String? = nil) -> String {
        ServeEventJSON.line(event, ca: ca, store: store, api: api)
    }
}
