import ArgumentParser
import MailCore
import MailServer
#if canImport(Glibc)
import Glibc
#endif

/// `mailtui wait`: a test suite's or a script's way to wait for caught mail without a polling loop
/// of its own: it returns as soon as the messages are in `mailtui serve`'s inbox, or says at the
/// deadline what came instead. Reads the store folder, or asks a running serve's HTTP API
/// (`--api URL`), which may be in another container or of another user.
struct WaitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wait",
        abstract: "Wait for mail to arrive in mailtui serve's inbox (for test suites and scripts).",
        discussion: """
        Waits until --count messages that match have been caught, then prints them (one line \
        each; --json: one JSON object each; --link: the first web link of each, for a \
        password-reset test). Messages already in the inbox count, unless --new.

        --query takes Mailpit's search syntax: from:, to:, cc:, bcc:, reply-to:, addressed:, \
        subject:, message-id:, is:read, is:unread, has:attachment, has:inline, before:DATE, \
        after:DATE (2024-05-01, 2024-05-01T09:30, ...Z, or seconds since 1970), larger:2kb, \
        smaller:1M; other words are found anywhere in the message; "quoted phrases" are one \
        word; -word or !word negates. A word that means nothing to the search (a date that is \
        no date) stops the wait (exit 2) rather than widening it. Read marks and tags (each \
        login's mailbox is a tag) live in serve's index: --api answers is:read and tag:, while \
        --store sees every message unread and untagged.

        With --api URL (e.g. http://127.0.0.1:8025, the URL serve's listening line gives) it \
        waits through serve's HTTP API instead of reading the inbox folder: serve's long poll \
        answers as the mail arrives. The token serve's --api-token set is read from \
        $MAILTUI_API_TOKEN (or --api-token, which shows in ps).

        Exit status:
           0  the messages arrived
           1  the time ran out (what came is named), or a message had no link
           2  bad input: options, an inbox folder that cannot be read, a query the API refused
           3  --api: the API could not be reached, or answered an error (a wrong or missing \
        token, not mailtui serve's API)
        """
    )

    @Option(help: ArgumentHelp("The inbox folder: default the one of the mailtui serve on 127.0.0.1:2525 ($MAILTUI_LOCAL_PORT), else $XDG_DATA_HOME/mailtui/inbox.", valueName: "dir"))
    var store: String?

    @Option(help: ArgumentHelp("Wait through this mailtui serve's HTTP API instead of its inbox folder.", valueName: "url"))
    var api: String?

    @Option(name: .customLong("api-token"), help: ArgumentHelp("The token of serve's --api-token. It shows in ps: prefer $MAILTUI_API_TOKEN.", valueName: "token"))
    var apiToken: String?

    @Option(help: ArgumentHelp("Only messages whose To holds this (an address or part of one; as to: in --query).", valueName: "addr"))
    var to: String?

    @Option(help: ArgumentHelp("Only messages whose From holds this (as from:).", valueName: "addr"))
    var from: String?

    @Option(help: ArgumentHelp("Only messages whose Subject holds this (as subject:).", valueName: "text"))
    var subject: String?

    @Option(help: ArgumentHelp("A search in Mailpit's syntax; see above.", valueName: "query"))
    var query: String?

    @Option(help: ArgumentHelp("How many matching messages to wait for.", valueName: "n"))
    var count: Int = 1

    @Option(help: ArgumentHelp("Seconds to wait at most (0: only look at what is there).", valueName: "seconds"))
    var timeout: Double = 30

    @Flag(name: .customLong("new"), help: "Count only messages that arrive after the wait begins.")
    var onlyNew = false

    @Flag(help: "One JSON object per message (and one for a timeout) instead of text.")
    var json = false

    @Flag(help: "Print the first web link of each message's text or HTML body.")
    var link = false

    func validate() throws {
        if !(1...10_000).contains(count) { throw ValidationError("--count takes 1 to 10000.") }
        if !(timeout.isFinite && timeout >= 0 && timeout <= 86_400) { throw ValidationError("--timeout takes 0 to 86400 seconds.") }
        guard let api else {
            if apiToken != nil { throw ValidationError("--api-token goes with --api URL.") }
            return
        }
        if store != nil { throw ValidationError("give --api URL or --store DIR, not both.") }
        if let problem = APIGet.problem(with: api) { throw ValidationError(problem) }
        for (name, value) in [("--to", to), ("--from", from), ("--subject", subject)] where value?.contains("\"") == true {
            throw ValidationError("\(name) with a double quote cannot be sent in the API's search: put the words around it in --query.")
        }
        if let apiToken, apiToken.isEmpty { throw ValidationError("--api-token is empty: give the token serve's --api-token set, or leave it out.") }
        if let token = Self.token(apiToken), token.contains(where: { $0.isWhitespace || $0.isNewline }) {
            throw ValidationError("the API token takes no spaces.")
        }
    }

    /// --api-token, else $MAILTUI_API_TOKEN; an empty variable (`MAILTUI_API_TOKEN=` in a CI file)
    /// is no token, as on loopback none is needed.
    static func token(_ option: String?) -> String? {
        if let option { return option }
        guard let variable = ProcessInfo.processInfo.environment[APIWaitError.tokenVariable], !variable.isEmpty else { return nil }
        return variable
    }

    /// The query as the API's search reads it: --query, and --to, --from and --subject quoted.
    var apiQuery: String {
        var words = query.map { [$0] } ?? []
        for (prefix, value) in [("to", to), ("from", from), ("subject", subject)] {
            if let value, !value.isEmpty { words.append("\(prefix):\"\(value)\"") }
        }
        return words.joined(separator: " ")
    }

    /// The query: --query, and --to, --from and --subject as its to:, from: and subject:.
    var search: SearchQuery {
        var search = SearchQuery(query ?? "")
        if let to, !to.isEmpty { search.terms.append(.init(.to(to))) }
        if let from, !from.isEmpty { search.terms.append(.init(.from(from))) }
        if let subject, !subject.isEmpty { search.terms.append(.init(.subject(subject))) }
        return search
    }

    /// What the query asks, in words, for the messages to standard error.
    var asked: String {
        let words = [query, to.map { "to:\($0)" }, from.map { "from:\($0)" }, subject.map { "subject:\"\($0)\"" }].compactMap { $0 }
        return words.isEmpty ? "any" : words.joined(separator: " ")
    }

    func run() throws {
        let search = self.search
        if let problem = search.problem {
            Console.err("error: --query: \(problem)")
            throw ExitCode(ExitStatus.badInput.rawValue)
        }
        for word in search.ignored { Console.err("note: --query: left out \(word)") }
        let plural = count == 1 ? "message" : "messages"
        let waiting = { (place: String) in
            Console.err("waiting up to \(Self.seconds(timeout)) for \(count) \(onlyNew ? "new " : "")\(plural) matching \(asked) \(place)")
        }
        if let api {
            let client = APIGet(base: api, token: Self.token(apiToken))
            do {
                let outcome = try APIWait(api: client, query: apiQuery, count: count, timeout: timeout, onlyNew: onlyNew).run { waiting("at \(client.base)") }
                return try report(outcome)
            } catch let failure as APIWaitError {
                Console.err("error: " + failure.description)
                throw ExitCode(failure.kind == .badQuery ? ExitStatus.badInput.rawValue : ExitStatus.connect.rawValue)
            }
        }
        let directory = store.map(\.expandingTilde) ?? Self.defaultStore
        var status = stat()
        guard stat(directory, &status) == 0, status.st_mode & S_IFMT == S_IFDIR, access(directory, R_OK | X_OK) == 0 else {
            Console.err("error: no inbox folder to read at \(directory): start mailtui serve first, or give --store.")
            throw ExitCode(ExitStatus.badInput.rawValue)
        }
        let outcome = StoreWait(query: search, count: count, timeout: timeout, onlyNew: onlyNew).run(StoreWatch(directory: directory)) {
            waiting("in \(directory)")
        }
        try report(outcome)
    }

    /// Prints what the wait found; exit 1 at the timeout or when a message has no link.
    func report(_ outcome: StoreWait.Outcome) throws {
        let plural = count == 1 ? "message" : "messages"
        var missingLink = false
        for message in outcome.matched {
            if link && message.link == nil {
                missingLink = true
                Console.err("error: message \(message.record.id) (\"\(message.subject)\") has no http or https link in its text or HTML body")
            }
            if json {
                Console.json(WaitJSON.Message(message, link: link))
            } else if link {
                if let found = message.link { Console.out(found) }
            } else {
                Console.out(Self.line(message))
            }
        }
        if outcome.timedOut {
            var lines = ["timed out after \(Self.seconds(timeout)): \(outcome.matched.count) of \(count) \(plural) matching \(asked) arrived"]
            if outcome.othersCount > 0 {
                lines.append("\(outcome.othersCount) other message\(outcome.othersCount == 1 ? "" : "s") arrived that \(outcome.othersCount == 1 ? "does" : "do") not match:")
                lines += outcome.others.map { "  " + Self.line($0) }
                if outcome.othersCount > outcome.others.count { lines.append("  and \(outcome.othersCount - outcome.others.count) more") }
            } else {
                lines.append("no other message arrived" + (onlyNew ? "" : " (the messages already there do not match)"))
            }
            lines.forEach(Console.err)
            if json { Console.json(WaitJSON.Timeout(matched: outcome.matched.count, wanted: count, others: outcome.othersCount)) }
            throw ExitCode(1)
        }
        if missingLink { throw ExitCode(1) }
    }

    /// `ID  TIME  FROM -> TO  "SUBJECT"`, for a person.
    static func line(_ message: ArrivedMessage) -> String {
        "\(message.record.id)  \(LocalTime.text(message.record.time))  \(message.from.isEmpty ? "<\(message.record.from)>" : message.from) -> "
            + "\(message.to.isEmpty ? message.record.recipients.map(\.address).joined(separator: ", ") : message.to)  \"\(message.subject)\""
    }

    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }

    /// The inbox of the `mailtui serve` running on the local port, else the default one.
    static var defaultStore: String {
        ServeRuntimeFile.find(port: LocalServer.preferredPort)?.store ?? XDGPaths.dataDirectory + "/inbox"
    }
}

/// `mailtui wait --json`: one object per message, then one for a timeout, keyed as `serve --json`'s.
enum WaitJSON {
    struct Message: Encodable {
        var event = "message"
        var id: String
        /// Absent with --api: the file is the server's.
        var path: String?
        var from: String
        var to: String
        var subject: String
        /// MAIL FROM's address (`from` is the From header).
        var mailFrom: String
        var rcpt: [String]
        var time: Int
        var bytes: Int
        var link: String?

        init(_ message: ArrivedMessage, link: Bool) {
            id = message.record.id
            path = message.record.path.isEmpty ? nil : message.record.path
            from = message.from
            to = message.to
            subject = message.subject
            mailFrom = message.record.from
            rcpt = message.record.recipients.map(\.address)
            time = message.record.time
            bytes = message.record.bytes
            self.link = link ? message.link : nil
        }
    }

    struct Timeout: Encodable {
        var event = "timeout"
        var matched: Int
        var wanted: Int
        var others: Int
    }
}
