import ArgumentParser
import MailCore
import MailServer

/// What `serve` and `relay` share about the local server an app connects to: where it listens,
/// where it keeps what it receives, how it fails on purpose, and how it reports.
struct CaptureOptions: ParsableArguments {
    @Option(name: .customLong("host"), help: ArgumentHelp("Address to listen on; repeatable (default 127.0.0.1 and ::1).", valueName: "addr"))
    var hosts: [String] = []

    @Option(help: ArgumentHelp("The inbox folder (default $XDG_DATA_HOME/mailtui/inbox).", valueName: "dir"))
    var store: String?

    @Option(help: ArgumentHelp("Keep the newest N messages of each mailbox (an SMTP login; mail without one is the default mailbox), and 100 × N in all.", valueName: "n"))
    var keep: Int = 1000

    @Option(name: .customLong("fault"), help: ArgumentHelp("STAGE[@N]=ACTION[ ~P%], e.g. 'rcpt@2=550 5.1.1 No such user', 'mail=throttle 10/min', 'rcpt=greylist 60', 'data=bandwidth 20kB/s', 'data=close-after 4096', 'rcpt=550 5.1.1 No such user ~30%'; repeatable.", valueName: "fault"))
    var faults: [String] = []

    @Option(help: ArgumentHelp("The seed of the faults' chances (~P%), so that a run strikes the same messages again.", valueName: "n"))
    var seed: UInt64?

    @Option(name: .customLong("preset"), help: ArgumentHelp("Replies worded as a provider words them (see serve --list-presets); repeatable.", valueName: "name"))
    var presets: [String] = []

    @Flag(help: "One JSON object per line instead of text.")
    var json = false

    func validate() throws {
        if keep < 1 { throw ValidationError("--keep takes at least 1.") }
        for name in presets where Preset.named(name) == nil {
            throw ValidationError("No preset \"\(name)\"; known: \(Preset.all.map(\.name).joined(separator: ", ")).")
        }
        for text in faults { do { _ = try Fault(parsing: text) } catch { throw ValidationError(error.description) } }
    }

    /// The addresses asked for that are not loopback.
    var outsideHosts: [String] {
        hosts.filter { !["127.0.0.1", "::1", "localhost"].contains($0) && !$0.hasPrefix("127.") }
    }

    /// The faults given and those of the presets, in order.
    func allFaults() throws -> [Fault] {
        try faults.map { try Fault(parsing: $0) } + presets.compactMap(Preset.named).flatMap(\.faults)
    }

    /// Sets where to listen and what to keep.
    func apply(to configuration: inout ServerConfiguration) {
        if !hosts.isEmpty { configuration.hosts = hosts }
        configuration.keep = keep
        configuration.faultSeed = seed
        if let store { configuration.store = store.absolutePath }
    }
}
