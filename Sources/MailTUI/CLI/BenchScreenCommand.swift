import ArgumentParser
import MailCore

/// `mailtui bench-screen` (hidden; for bench/run.sh): how long the compose screen takes to
/// update and render a frame with a long conversation and a large body. Prints figures; the aims
/// (under 5 ms a frame) live in the benchmark, not in tests.
struct BenchScreenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench-screen", abstract: "Print frame times of the compose screen.", shouldDisplay: false)

    @Option(help: "Frames to time per case.")
    var frames: Int = 50

    func run() throws {
        let clock = ContinuousClock()
        func time(_ name: String, _ state: AppState, key: Key?) {
            var s = state
            var worst = Duration.zero
            var total = Duration.zero
            for _ in 0..<max(1, frames) {
                let start = clock.now
                if let key { _ = s.update(.key(key)) }
                _ = Renderer.render(s)
                let took = clock.now - start
                worst = max(worst, took)
                total += took
            }
            let average = Double(total.milliseconds) / Double(max(1, frames))
            Console.out("  \(name.padding(52)) \(String(format1: average)) ms average, \(worst.milliseconds) ms worst (aim: under 5 ms)")
        }
        var conversation = AppState(width: 120, height: 40, colors: true)
        let clockStart = TranscriptLine(elapsed: .zero, speaker: .server, inTLS: true, stage: .data, text: "250 2.1.5 Ok")
        conversation.transcript = (0..<100_000).map { n in
            var line = clockStart
            line.text = n % 2 == 0 ? "RCPT TO:<recipient\(n)@example.org>" : "250 2.1.5 Ok"
            line.speaker = n % 2 == 0 ? .client : .server
            return line
        }
        Console.out("Frame times, 120x40, \(frames) frames each (update and render, no terminal output):")
        time("100,000-line conversation, following the end", conversation, key: nil)
        conversation.focus = .transcript
        time("100,000-line conversation, scrolling up a page", conversation, key: .pageUp)
        var body = AppState(width: 120, height: 40, colors: true)
        let line = String(repeating: "Lorem ipsum dolor sit amet, consectetur adipiscing elit. ", count: 2) + "\n"
        body.bodies[.text] = TextArea(String(repeating: line, count: 10_000_000 / line.utf8.count))
        body.focus = .body
        time("10 MB body in the Text tab, a key press each frame", body, key: .character("x"))
        time("10 MB body, moving down a line each frame", body, key: .down)
    }
}

private extension String {
    func padding(_ width: Int) -> String { self + String(repeating: " ", count: max(0, width - count)) }
}
