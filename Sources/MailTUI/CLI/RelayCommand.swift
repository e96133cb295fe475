import ArgumentParser
import MailCore
import MailServer
#if canImport(Glibc)
import Glibc
#endif

/// `mailtui relay`: the app's own session with the real provider, seen from both sides.
struct RelayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "relay",
        abstract: "Relay what an app sends to one real server, live, and record both sides.",
        discussion: """
        Point the app at mailtui (MAIL_SERVER=127.0.0.1, MAIL_PORT=2525) instead of its provider. \
        Each MAIL, RCPT and DATA goes on to --server as the app sends it, and the provider's replies \
        come back to the app word for word, at the stage where it gave them. Mail relayed really goes out.

        Logins: without --user, the app's own AUTH (PLAIN, LOGIN, XOAUTH2) is replayed upstream with \
        the same credentials, and the provider's answer goes back to the app: this is how you find \
        that MAIL_PASSWORD is wrong. With --user (or a profile or provider with a user), mailtui logs \
        in itself, and the app may log in to the relay with any name.

        Every message is stored with both legs: the app's session as `serve` records it, and \
        mailtui's session with the provider as `send` records it (credentials hidden), with the \
        diagnosis when it failed. --fault strikes before the provider is asked. An upstream that \
        hangs or drops gets the app a 4xx within the reply limit (--timeout).

        It listens on loopback only, unless --host says otherwise, and then only in pass-through \
        mode, where every app must log in and the provider checks its login: it is never an open relay.
        """
    )

    @OptionGroup(title: "The server to relay to")
    var upstream: ServerOptions

    @OptionGroup(title: "Where the app connects, and what is kept (as serve)")
    var capture: CaptureOptions

    @Option(help: ArgumentHelp("Plain SMTP port for the app, offering STARTTLS; 0 picks a free one.", valueName: "port"))
    var listen: Int = 2525

    @Option(name: .customLong("listen-tls"), help: ArgumentHelp("Implicit TLS port for the app; 0 picks a free one; 'off' for none.", valueName: "port|off"))
    var listenTLS: String = "2465"

    @Flag(help: "A line per event even on a terminal (there, the inbox opens full-screen otherwise).")
    var lines = false

    func validate() throws {
        if !(0...65535).contains(listen) { throw ValidationError("--listen takes 0 to 65535.") }
        if listenTLS != "off", Int(listenTLS).map({ (0...65535).contains($0) }) != true { throw ValidationError("--listen-tls takes 0 to 65535, or off.") }
    }

    func run() throws {
        // Pass-through logins hold the app's password for its session: no core file may show it.
        CoreDumps.forbid()
        let resolved = try upstream.resolveChecked()
        guard !resolved.settings.host.isEmpty else {
            throw ValidationError("Give the server to relay to: --server HOST (with --port and --security), --provider NAME or --profile NAME.")
        }
        let secret = resolved.settings.wantsLogin ? try resolved.secret(user: resolved.settings.username) : nil
        let relayTo = RelayUpstream(settings: resolved.settings, secret: secret)

        var configuration = ServerConfiguration()
        capture.apply(to: &configuration)
        configuration.port = listen
        configuration.tlsPort = listenTLS == "off" ? nil : Int(listenTLS)
        if !capture.outsideHosts.isEmpty {
            guard relayTo.passThrough else {
                throw ValidationError("relay listens beyond loopback (--host \(capture.outsideHosts.joined(separator: ", "))) only in pass-through mode, where each app must log in and \(relayTo.server) checks its login; with mailtui's own login anyone who reaches it could send as \(resolved.settings.username ?? "you").")
            }
            configuration.requireAuth = true
            Console.err("warning: listening on \(capture.outsideHosts.joined(separator: ", ")), which is not loopback: every app must log in, and \(relayTo.server) checks its login")
        }
        let local = LocalCertificates()
        do {
            let made = try local.ensure()
            configuration.certificatePEM = made.chainPEM
            configuration.keyPEM = made.keyPEM
        } catch {
            Console.err("error: \(error)")
            throw ExitCode(ExitStatus.internalError.rawValue)
        }
        let faults = try capture.allFaults()
        // Relayed mail really goes out: say where, and as whom, before anything is relayed.
        Console.err(relayTo.banner)
        let output = RelayOutput(json: capture.json, ca: local.caPath, store: configuration.store, upstream: relayTo.server)
        let screen = !capture.json && !lines && isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1
        configuration.gate = RelayGate(relayTo, sessionSeconds: configuration.sessionSeconds) { leg in if !screen { output.showUnstored(leg) } }
        if screen {
            try ServeCommand.runInbox(configuration, faults: faults, ca: local.caPath, dnsServer: nil, ports: "\(listen) or \(listenTLS)",
                                      first: relayTo.banner, announce: false)
            return
        }

        let stopSignals = HeadlessServer.blockStopSignals()
        let server = try HeadlessServer.start(configuration, faults: faults, ports: "\(listen) or \(listenTLS)") { output.show($0) }
        HeadlessServer.waitForStop(stopSignals)
        server.stop()
        output.stopped()
    }
}
