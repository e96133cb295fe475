import MailCore
#if canImport(Glibc)
import Glibc
#endif

/// The terminal the loop reads keys from and draws on: ncurses (`Terminal`), or a grid in memory
/// in tests, as ratatui's TestBackend, so that the loop itself is tested without a terminal.
protocol TerminalBackend: AnyObject {
    var colorsAvailable: Bool { get }
    var size: (width: Int, height: Int) { get }
    /// Readable when input waits; the loop polls it with the event inbox. A hang-up on it ends
    /// the screen (the terminal went away).
    var inputDescriptor: Int32 { get }
    func start(wantColors: Bool)
    func stop()
    /// True when the terminal's size changed behind the backend's back.
    func syncSize() -> Bool
    /// Leaves the terminal to a program that needs it (the editor), and takes it back.
    func suspend()
    func resume()
    /// Forces the next draw to repaint everything.
    func invalidate()
    func readInput() -> [TerminalInput]
    func draw(_ screen: ScreenBuffer)
}

extension Terminal: TerminalBackend {
    var inputDescriptor: Int32 { STDIN_FILENO }
}

/// What carries out a send or a probe: libcurl's `SMTPSession`, or a stand-in in tests. One
/// value per send; `cancel` may come from another thread.
protocol MailSender: Sendable {
    func send(_ request: SessionRequest, onEvent: @escaping @Sendable (SessionEvent) -> Void)
    func cancel()
}

extension SMTPSession: MailSender {
    func send(_ request: SessionRequest, onEvent: @escaping @Sendable (SessionEvent) -> Void) {
        _ = run(request, onEvent: onEvent)
    }
}

/// What the screen reads and records besides its draft: the profiles, the history and the files
/// of caught messages. On disk (`FileScreenStore`), or in memory in tests.
protocol ScreenStore: Sendable {
    func loadProfiles() -> (profiles: [Profile], problem: String?)
    func historyEntries() -> [HistoryEntry]
    func appendHistory(_ entry: HistoryEntry)
    /// A caught message's bytes, or nil when its file is gone.
    func messageBytes(at path: String) -> [UInt8]?
}

/// The user's files: config.toml and profiles.toml, the history, the inbox folder.
struct FileScreenStore: ScreenStore {
    func loadProfiles() -> (profiles: [Profile], problem: String?) {
        do throws(ConfigError) {
            let config = try Configuration.load()
            return (config.profiles, config.warnings.first)
        } catch {
            return ([], error.description)
        }
    }

    func historyEntries() -> [HistoryEntry] { History.store.entries() }

    func appendHistory(_ entry: HistoryEntry) { try? History.store.append(entry) }

    func messageBytes(at path: String) -> [UInt8]? { FileContents.read(path) }
}
