import Dispatch
import MailCore
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// `mailtui send --count N --connections C [--rate R]`: N messages over C connections, each
/// reused for many transactions; a progress line on a terminal, a summary at the end (or at
/// Ctrl-C, of what was done).
struct LoadRun {
    /// The message, checked once by `send` before the run.
    var message: Message
    var settings: ServerSettings
    var secret: Secret?
    var count: Int
    var connections: Int
    var rate: Double?
    var transcript: LoadPlan.Transcript
    var json: Bool
    /// Signs every message with DKIM.
    var signer: DKIMSigner? = nil

    /// The outcomes so far (a tally, not a list: its memory stays flat whatever the count), and
    /// the sessions to cancel.
    private final class Progress: Sendable {
        let tally = Mutex(LoadTally())
        /// Delivered and failed so far, for the progress line (which must not copy the outcomes).
        let counts = Mutex((delivered: 0, failed: 0))
        let sessions = Mutex<[SMTPSession]>([])
        let reports = Mutex<[SessionReport]>([])
    }

    /// Runs it; returns the summary and the first failed session's report, if any connection failed.
    func run() throws -> (LoadSummary, SessionReport?) {
        let progress = Progress()
        let render = LoadPlan.numbered(message, signer: signer)
        let printer = TranscriptPrinter(colour: TranscriptPrinter.colourWanted(for: 1))
        let printLock = Mutex(())
        signal(SIGINT, SIG_IGN)
        let interrupt = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        interrupt.setEventHandler { for session in progress.sessions.withLock({ $0 }) { session.cancel() } }
        interrupt.resume()
        defer { interrupt.cancel() }

        let clock = ContinuousClock()
        let start = clock.now
        let showProgress = isatty(STDERR_FILENO) == 1 && !json
        let done = Mutex(false)
        let total = count
        let tickerStopped = DispatchSemaphore(value: 0)
        let ticker: @Sendable () -> Void = {
            defer { tickerStopped.signal() }
            while !done.withLock({ $0 }) {
                usleep(250_000)
                let (delivered, failed) = progress.counts.withLock { $0 }
                let seconds = Double((clock.now - start).milliseconds) / 1000
                let rate = seconds > 0 ? Double(delivered) / seconds : 0
                let eta = rate > 0 ? (Double(total - delivered - failed) / rate).rounded(.up).saturatingInt : 0
                printLock.withLock { _ in
                    Console.errRaw("\r\u{1B}[K\(delivered) sent, \(failed) failed, \(rate.saturatingInt) msg/s, ETA \(eta) s")
                }
            }
        }
        if showProgress { DispatchQueue.global(qos: .utility).async(execute: ticker) }

        let perConnection = (0..<connections).map { index in count / connections + (index < count % connections ? 1 : 0) }
        let group = DispatchGroup()
        var number = 1
        for (index, share) in perConnection.enumerated() where share > 0 {
            let session = SMTPSession()
            progress.sessions.withLock { $0.append(session) }
            var request = SessionRequest.send(message, settings: settings, secret: secret)
            request.load = LoadPlan(count: share, firstNumber: number, transcript: index == 0 ? transcript : (transcript == .first ? .failures : transcript),
                                    interval: rate.map { .nanoseconds(Int64((1e9 * Double(connections) / $0).saturatingInt)) }, message: render)
            number += share
            // The first connection prints as the plan says; the others only their refusals.
            let quiet = json || transcript == .none
            let onlyTransactions = index > 0 && transcript != .all
            let prepared = request
            group.enter()
            // A queue of its own (overcommitting): each connection blocks on its socket, and the
            // global queue's few threads would start some connections only when others end.
            DispatchQueue(label: "mailtui.load.\(index)", qos: .userInitiated).async {
                let report = session.run(prepared) { event in
                    switch event {
                    case .line(let line) where !quiet && (!onlyTransactions || (.mail ... .data).contains(line.stage)):
                        printLock.withLock { _ in
                            if showProgress { Console.errRaw("\r\u{1B}[K") }
                            Console.outFormatted(printer.format(line))
                        }
                    case .loadOutcome(let outcome):
                        progress.tally.withLock { $0.add(outcome) }
                        progress.counts.withLock { outcome.delivered ? ($0.delivered += 1) : ($0.failed += 1) }
                    default:
                        break
                    }
                }
                progress.reports.withLock { $0.append(report) }
                group.leave()
            }
        }
        group.wait()
        done.withLock { $0 = true }
        if showProgress {
            // The progress line goes once its last redraw is done.
            tickerStopped.wait()
            Console.errRaw("\r\u{1B}[K")
        }
        let failedSession = progress.reports.withLock { $0 }.first { $0.failure != nil }
        // Messages a failed or stalled connection never reached are counted, as not sent.
        let because = failedSession?.failure.map { "\($0.kind.words) at \($0.stage.displayName)" }
        let summary = LoadSummary(tally: progress.tally.withLock { $0 }, elapsed: clock.now - start, count: count, notSentBecause: because)
        return (summary, failedSession)
    }
}
