import Foundation
import Testing
import TestSupport

/// `mailtui wait` as a test suite runs it: the real binary waits on a real `mailtui serve`'s inbox
/// while a real `mailtui send` delivers; the tests wait for states (the "waiting" line, the exit),
/// never for a fixed time.
@Suite struct WaitCommandTests {
    /// `mailtui wait` in the background, its standard error read line by line.
    final class Waiting: @unchecked Sendable {
        let process = Process()
        let output = Pipe()
        let errors = Pipe()
        private var pending = Data()
        private(set) var errorText = ""

        init(_ arguments: [String]) throws {
            process.executableURL = URL(fileURLWithPath: TestPaths.mailtui)
            process.arguments = ["wait"] + arguments
            process.environment = TestPaths.hermeticEnvironment(["NO_COLOR": "1"])
            process.standardOutput = output
            process.standardError = errors
            try process.run()
        }

        /// Reads standard error until a line holds `text` (nil when it ends or a minute passes first).
        func waitForError(_ text: String) -> Bool {
            while true {
                guard let line = ServeCommandTests.Serve.readLine(errors.fileHandleForReading, &pending) else { return false }
                errorText += line + "\n"
                if line.contains(text) { return true }
            }
        }

        /// Waits for the end (killing it after two minutes), then everything it wrote.
        func finish() -> (status: Int32, out: String, err: String) {
            let out = output.fileHandleForReading.readDataToEndOfFile()
            errorText += String(decoding: pending + errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            if !Wait.until(timeout: 120, { !process.isRunning }) { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: out, as: UTF8.self), errorText)
        }

        deinit { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
    }

    func send(to serve: ServeCommandTests.Serve, _ arguments: [String]) throws -> ProgramResult {
        try Program.run(TestPaths.mailtui, ["send", "--server", "127.0.0.1", "--port", serve.port, "--security", "starttls", "--ca-file", serve.ca,
                                            "--from", "Acme <no-reply@acme.example>"] + arguments,
                        environment: TestPaths.hermeticEnvironment(["NO_COLOR": "1"]))
    }

    @Test func aPasswordResetThatArrivesDuringTheWaitIsFoundAndItsLinkPrinted() throws {
        let serve = try ServeCommandTests.Serve([])
        defer { _ = serve.stop() }
        // Mail to someone else first: it is there already, and does not match.
        #expect(try send(to: serve, ["--to", "bob@example.com", "--subject", "Welcome", "--text", "https://acme.example/welcome"]).status == 0)
        let wait = try Waiting(["--store", serve.store, "--new", "--to", "ada@example.com", "--subject", "reset", "--link", "--timeout", "120"])
        #expect(wait.waitForError("waiting up to 120 s for 1 new message matching"), "\(wait.errorText)")
        let sent = try send(to: serve, ["--to", "Ada <ada@example.com>", "--subject", "Password reset",
                                        "--text", "Hello Ada,\n\nFollow https://acme.example/reset?token=abc123. It expires in an hour.\n",
                                        "--html", "<p>Follow <a href=\"https://acme.example/reset?token=abc123\">this link</a>.</p>"])
        #expect(sent.status == 0, "\(sent.err)")
        let result = wait.finish()
        #expect(result.status == 0, "\(result.err)")
        #expect(result.out == "https://acme.example/reset?token=abc123\n")
    }

    @Test func jsonPrintsTheMessagesThatArrived() throws {
        let serve = try ServeCommandTests.Serve([])
        defer { _ = serve.stop() }
        for n in 1...2 { #expect(try send(to: serve, ["--to", "ci@example.com", "--subject", "build \(n)", "--text", "ok"]).status == 0) }
        let result = try Program.run(TestPaths.mailtui, ["wait", "--store", serve.store, "--query", "subject:build to:ci", "--count", "2", "--json", "--timeout", "60"],
                                     environment: TestPaths.hermeticEnvironment())
        #expect(result.status == 0, "\(result.err)")
        let objects = result.out.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(objects.map { $0["subject"] as? String } == ["build 1", "build 2"])
        #expect(objects.allSatisfy { $0["event"] as? String == "message" && $0["rcpt"] as? [String] == ["ci@example.com"] && $0["mailFrom"] as? String == "no-reply@acme.example" })
    }

    @Test func theTimeoutExits1AndNamesWhatDidArrive() throws {
        let serve = try ServeCommandTests.Serve([])
        defer { _ = serve.stop() }
        #expect(try send(to: serve, ["--to", "ada@example.com", "--subject", "first of two", "--text", "x"]).status == 0)
        // One of the two that are wanted is there: at the deadline it is printed, and the shortfall said.
        let short = try Program.run(TestPaths.mailtui, ["wait", "--store", serve.store, "--to", "ada", "--count", "2", "--timeout", "0.5"],
                                    environment: TestPaths.hermeticEnvironment())
        #expect(short.status == 1, "\(short.err)")
        #expect(short.out.contains("\"first of two\""), "\(short.out)")
        #expect(short.err.contains("timed out after 0.5 s: 1 of 2 messages matching to:ada arrived"), "\(short.err)")
        let shortJSON = try Program.run(TestPaths.mailtui, ["wait", "--store", serve.store, "--to", "ada", "--count", "2", "--timeout", "0.5", "--json"],
                                        environment: TestPaths.hermeticEnvironment())
        let objects = shortJSON.out.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(shortJSON.status == 1 && objects.map { $0["event"] as? String } == ["message", "timeout"], "\(shortJSON.out)")
        #expect(objects.last?["matched"] as? Int == 1 && objects.last?["wanted"] as? Int == 2)

        // A message that arrives during the wait and does not match is named at the deadline.
        let wait = try Waiting(["--store", serve.store, "--new", "--subject", "never sent", "--timeout", "10"])
        #expect(wait.waitForError("waiting up to 10 s"), "\(wait.errorText)")
        #expect(try send(to: serve, ["--to", "ada@example.com", "--subject", "Not what you wait for", "--text", "x"]).status == 0)
        let result = wait.finish()
        #expect(result.status == 1, "\(result.err)")
        #expect(result.out.isEmpty)
        #expect(result.err.contains("0 of 1 message matching subject:\"never sent\" arrived"), "\(result.err)")
        #expect(result.err.contains("1 other message arrived that does not match") && result.err.contains("\"Not what you wait for\""), "\(result.err)")
    }

    @Test func aMissingInboxIsBadInput() throws {
        let result = try Program.run(TestPaths.mailtui, ["wait", "--store", "/nonexistent/mailtui-inbox", "--timeout", "1"],
                                     environment: TestPaths.hermeticEnvironment())
        #expect(result.status == 2 && result.err.contains("start mailtui serve first"), "\(result.err)")
    }
}
