import ArgumentParser
import MailCore
import MailServer
#if canImport(Glibc)
import Glibc
#endif

/// `mailtui` with no subcommand: the compose screen, restored from the last draft and pre-filled
/// from the same options as `send` (options win over the draft).
struct TUICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tui",
        abstract: "Open the compose screen (the default).",
        shouldDisplay: false
    )

    @OptionGroup(title: "Server") var server: ServerOptions
    @OptionGroup(title: "Message") var message: MessageOptions

    @Option(help: ArgumentHelp("The DNS server (IPv4 address, optionally :port) that DKIM verification of caught mail and the domain check ask; default the system's.", valueName: "host[:port]"))
    var dnsServer: String?

    @Flag(help: "Start with an empty form instead of the saved draft.")
    var fresh = false

    @Flag(help: "Never start the local test server (a first start otherwise runs one on 127.0.0.1:2525); local_server = false in config.toml does the same.")
    var noLocalServer = false

    func run() throws {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            Console.err("error: the compose screen needs a terminal; for scripts use `mailtui send`")
            throw ExitCode(ExitStatus.badInput.rawValue)
        }
        // A password may be typed into the form at any moment: no core dump may hold it.
        CoreDumps.forbid()
        let (store, shared) = DraftStore.claim()
        var state = AppState(width: 80, height: 24, colors: TranscriptPrinter.colourWanted(for: STDOUT_FILENO))
        // A second screen starts from the draft the first one has, and saves to its own.
        let restored = fresh ? nil : (store.load() ?? shared?.load())
        if let restored {
            state.apply(settings: restored.settings)
            state.apply(draft: restored.message)
        }
        // Options, a profile or an import overlay the restored draft (or, for a fresh start,
        // the default profile).
        // Warnings go on the screen (stderr would show only after quitting): the status line, and
        // the review of an imported config in the conversation pane.
        let resolved = try server.resolve(startingFrom: restored?.settings)
        try apply(to: &state, resolved: resolved)
        let problems = resolved.findings.filter { $0.severity != .note }
        if let first = problems.first {
            state.notice = "\(problems.count) finding\(problems.count == 1 ? "" : "s") in the imported config (conversation pane): \(first)"
        } else if let warning = resolved.warnings.first {
            state.notice = "Warning: \(warning)"
        }
        // The app cannot send with this config: F5 fails as it does, unless asked otherwise.
        if resolved.appWillFail != nil { state.importedBothTLSModes(intended: resolved.intendedSettings, asIntended: server.asIntended) }
        state.profileName = resolved.profileName
        // The password is never in the draft: it comes from a source given here, the profile, or
        // MAIL_PASSWORD. A command runs only when a send needs it, off the UI thread; a prompt or
        // standard input is read now, before the screen starts, since nothing can ask over it.
        var passwords = PasswordLookup()
        if state.settings.wantsLogin, let source = resolved.passwordSource, resolved.password == nil {
            if case .command = source { passwords.command = source } else { passwords.known = try resolved.secret(user: server.user)?.value }
        } else if let password = resolved.password {
            passwords.known = password.value
        } else if let value = getenv("MAIL_PASSWORD").map({ String(cString: $0) }), !value.isEmpty {
            passwords.known = value
        }
        if passwords.known != nil || passwords.command != nil {
            // Where it really came from: an option, a profile, an imported file, or $MAIL_PASSWORD.
            let given = resolved.password != nil || resolved.passwordSource != nil
            state.passwordHint = "(from " + (given ? resolved.origins[.password] ?? "$MAIL_PASSWORD" : "$MAIL_PASSWORD") + ")"
        }
        if let panel = ImportReview.lines(resolved, state: state) {
            state.phase = .showing(lines: panel)
            state.transcriptTop = 0
        }
        if state.text(.host).isEmpty { state.focus = .host } else if state.text(.from).isEmpty { state.focus = .from } else { state.focus = .to }

        // A first start (nothing restored, no server given, no profile) gets mailtui's own server,
        // so that F5 works on a machine with no mail server; so does a draft that points at it.
        let firstStart = restored == nil && !server.givesServerSettings && resolved.profileName == nil
        let local = LocalCertificates()
        let aimsAtLocal = state.settings.host == "127.0.0.1" && (restored?.localServer == true || state.settings.caFile == local.caPath)
        var localServer: LocalServer?
        let config = try? Configuration.load()
        let allowed = !noLocalServer && (config?.localServer ?? true)
        state.localServerAllowed = allowed
        if allowed && (firstStart || aimsAtLocal) {
            let (started, note) = LocalServer.start()
            localServer = started
            if let started {
                if firstStart {
                    Self.fillForLocal(&state, started)
                } else if !server.givesServerSettings {
                    // Today it may listen on another port, or be a `mailtui serve` with its own CA.
                    state.pointAtLocalServer(address: started.address, port: started.port, caPath: started.caPath)
                }
                state.localServer = started.address
                state.localServerTakesAnyLogin = started.anyLogin
                state.captured = started.earlier
                state.notice = "Local test server on \(started.address)\(note.map { " " + $0 } ?? ""): mail sent here stays on this machine (F2 shows it)"
            } else if let note {
                state.notice = note
            }
        }
        // The last screen relayed: ask again before anything goes out for real.
        // (Not for the draft of a screen still open elsewhere: that one may be relaying now.)
        if let relayedTo = restored?.relayedTo, shared == nil { state.offerRelayAgain(lastTarget: relayedTo) }
        // Drafts of screens that are gone would never be read again: say so, Ctrl-R offers them.
        state.keptDrafts = KeptDrafts.find(in: XDGPaths.stateDirectory, except: store.path)
        if let kept = state.keptDraftsNotice { state.notice = kept }
        if let shared {
            state.notice = "Another mailtui is open on \(shared.path): this one keeps its draft in \(store.path), so neither loses what was typed"
        }
        let app = TerminalApp(state: state, draftStore: store, passwords: passwords, localServer: localServer)
        app.spamd = config?.spamd
        if let dnsServer {
            guard let dns = SystemResolver(serverText: dnsServer) else { throw ValidationError("--dns-server \(dnsServer): give an IPv4 address, optionally with :port.") }
            app.dns = dns
        }
        let status = app.run()
        if status != 0 { throw ExitCode(status) }
    }

    /// The form of a first start: mailtui's own server and a message ready to go.
    /// Any password works there, and the form knows it points there (`targetsLocalServer`).
    static func fillForLocal(_ state: inout AppState, _ server: LocalServer) {
        state.apply(settings: ServerSettings(host: "127.0.0.1", port: server.port, security: .starttls, caFile: server.caPath, username: "test"))
        state.apply(draft: MessageDraft(from: "Test <test@example.com>", to: "you@example.org", subject: "Hello from mailtui",
                                        textBody: "This message went to mailtui's local test server and stays on this machine.\n"))
        state.focus = .to
    }

    /// The From field: an imported config's sender, or none, never the saved draft's (the screen
    /// labels it as coming from the file, and an export would hand it back to the app); without an
    /// import, the draft's, else the profile's.
    static func sender(draft: String, resolved: ResolvedServer) -> String {
        if resolved.imported { return resolved.sender ?? "" }
        return draft.isEmpty ? resolved.sender ?? "" : draft
    }

    /// Options given on the command line replace what the draft had.
    private func apply(to state: inout AppState, resolved: ResolvedServer) throws {
        var draft = state.draft
        state.apply(settings: resolved.settings)
        draft.from = Self.sender(draft: draft.from, resolved: resolved)
        let given = try message.draft(readingBodyFiles: true)
        if message.from != nil { draft.from = given.from }
        if !message.to.isEmpty { draft.to = given.to }
        if !message.cc.isEmpty { draft.cc = given.cc }
        if !message.bcc.isEmpty { draft.bcc = given.bcc }
        if message.replyTo != nil { draft.replyTo = given.replyTo }
        if message.subject != nil { draft.subject = given.subject }
        if message.text != nil || message.textFile != nil { draft.textBody = given.textBody }
        if message.html != nil || message.htmlFile != nil { draft.htmlBody = given.htmlBody }
        if !message.attach.isEmpty { draft.attachments = given.attachments }
        if !message.header.isEmpty { draft.extraHeaders = given.extraHeaders }
        state.apply(draft: draft, inspected: draft.attachments.map(TerminalApp.inspect))
    }
}
