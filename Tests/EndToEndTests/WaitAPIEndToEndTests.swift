import Foundation
import Testing
import TestSupport

/// `mailtui wait --api URL` as a test suite in another container would run it: the real binary
/// waits on a real `mailtui serve --api 0` through HTTP only (no store folder given), while
/// Python's smtplib delivers during the wait. The tests wait for states, never a fixed time.
@Suite struct WaitAPIEndToEndTests {
    typealias Waiting = WaitCommandTests.Waiting

    /// Sends each subject to its address with smtplib, one session each.
    func send(_ serve: ServeCommandTests.Serve, _ messages: [(to: String, subject: String)]) throws {
        let code = """
        import smtplib, sys
        port, pairs = int(sys.argv[1]), sys.argv[2:]
        for to, subject in zip(pairs[::2], pairs[1::2]):
            body = "From: Acme <no-reply@acme.example>\\r\\nTo: %s\\r\\nSubject: %s\\r\\n\\r\\nFollow https://acme.example/reset?t=%s now.\\r\\n" % (to, subject, len(subject))
            with smtplib.SMTP("127.0.0.1", port, timeout=60) as smtp:
                smtp.sendmail("no-reply@acme.example", [to], body.encode())
        """
        let result = try Program.run("/usr/bin/env", ["python3", "-c", code, serve.port] + messages.flatMap { [$0.to, $0.subject] })
        #expect(result.status == 0, "\(result.err)")
    }

    func objects(_ out: String) -> [[String: Any]] {
        out.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    @Test func mailThatArrivesDuringTheWaitIsPrintedWithItsLink() throws {
        let serve = try ServeCommandTests.Serve(["--api", "0"])
        defer { _ = serve.stop() }
        let api = try #require(serve.listening["api"] as? String)
        try send(serve, [("bob@example.com", "Welcome")])
        let wait = try Waiting(["--api", api, "--new", "--to", "ada@example.com", "--subject", "reset", "--count", "2", "--json", "--link", "--timeout", "120"])
        #expect(wait.waitForError("waiting up to 120 s for 2 new messages matching"), "\(wait.errorText)")
        try send(serve, [("ada@example.com", "Password reset"), ("bob@example.com", "Password reset"), ("ada@example.com", "Reset again")])
        let result = wait.finish()
        #expect(result.status == 0, "\(result.err)")
        let found = objects(result.out)
        #expect(found.map { $0["subject"] as? String } == ["Password reset", "Reset again"], "\(result.out)")
        #expect(found.map { $0["link"] as? String } == ["https://acme.example/reset?t=14", "https://acme.example/reset?t=11"])
        #expect(found.allSatisfy { $0["mailFrom"] as? String == "no-reply@acme.example" && $0["rcpt"] as? [String] == ["ada@example.com"] && $0["path"] == nil })
        // Reading them through the API did not mark them read.
        let unread = try Program.run(TestPaths.mailtui, ["wait", "--api", api, "--query", "is:unread subject:reset", "--count", "3", "--timeout", "30"])
        #expect(unread.status == 0, "\(unread.err)")
        #expect(unread.out.split(separator: "\n").count == 3)
    }

    @Test func theTimeoutNamesWhatCameInstead() throws {
        let serve = try ServeCommandTests.Serve(["--api", "0"])
        defer { _ = serve.stop() }
        let api = try #require(serve.listening["api"] as? String)
        try send(serve, [("ada@example.com", "Old news")])
        let wait = try Waiting(["--api", api, "--new", "--subject", "reset", "--json", "--timeout", "3"])
        #expect(wait.waitForError("waiting up to 3 s for 1 new message"), "\(wait.errorText)")
        try send(serve, [("ada@example.com", "Welcome")])
        let result = wait.finish()
        #expect(result.status == 1, "\(result.err)")
        #expect(result.err.contains("timed out after 3 s: 0 of 1 message matching subject:\"reset\" arrived"), "\(result.err)")
        #expect(result.err.contains("1 other message arrived that does not match") && result.err.contains("\"Welcome\"") && !result.err.contains("Old news"),
                "\(result.err)")
        #expect(objects(result.out).first?["event"] as? String == "timeout" && objects(result.out).first?["others"] as? Int == 1, "\(result.out)")
    }

    @Test func anAPIThatCannotBeReachedOrARefusedQueryHasItsOwnExit() throws {
        let serve = try ServeCommandTests.Serve(["--api", "0"])
        let api = try #require(serve.listening["api"] as? String)
        let refused = try Program.run(TestPaths.mailtui, ["wait", "--api", api, "--query", "subject:\"Reset", "--timeout", "5"])
        #expect(refused.status == 2 && refused.err.contains("is not closed"), "\(refused.err)")
        _ = serve.stop()
        let gone = try Program.run(TestPaths.mailtui, ["wait", "--api", api, "--timeout", "5"])
        #expect(gone.status == 3 && gone.err.contains("cannot reach the API at \(api)"), "\(gone.err)")
        let notURL = try Program.run(TestPaths.mailtui, ["wait", "--api", "127.0.0.1:8025"])
        #expect(notURL.status == 64 || notURL.status == 2, "\(notURL.status) \(notURL.err)")
        #expect(notURL.err.contains("http://HOST:PORT"), "\(notURL.err)")
    }
}

/// The token of serve's `--api-token` reaches the API as a bearer header, from the environment,
/// and never shows in what `wait` prints. A stand-in API answers 401 without it, as serve does to
/// a client beyond loopback (a test may use loopback only).
@Suite struct WaitAPITokenTests {
    @Test func theTokenIsSentFromTheEnvironmentAndNeverShown() throws {
        let fake = Process()
        let output = Pipe()
        fake.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        fake.arguments = ["python3", TestPaths.support("fake_token_api.py"), "s3cret-token"]
        fake.standardOutput = output
        try fake.run()
        // SIGKILL: it keeps nothing, and a signal mask the test runner passes on may hold SIGTERM.
        defer { kill(fake.processIdentifier, SIGKILL); fake.waitUntilExit() }
        var pending = Data()
        let port = try #require(ServeCommandTests.Serve.readLine(output.fileHandleForReading, &pending))
        let api = "http://127.0.0.1:\(port)"
        func wait(_ extra: [String], token: String?) throws -> ProgramResult {
            try Program.run(TestPaths.mailtui, ["wait", "--api", api, "--timeout", "1"] + extra,
                            environment: TestPaths.hermeticEnvironment(token.map { ["MAILTUI_API_TOKEN": $0] } ?? [:]))
        }
        let given = try wait([], token: "s3cret-token")
        #expect(given.status == 1 && given.err.contains("timed out after 1 s"), "\(given.err)")
        let missing = try wait([], token: nil)
        #expect(missing.status == 3 && missing.err.contains("answered GET /api/v1/messages with 401") && missing.err.contains("MAILTUI_API_TOKEN=TOKEN"),
                "\(missing.err)")
        let wrong = try wait(["--api-token", "not-the-token"], token: nil)
        #expect(wrong.status == 3)
        for result in [given, missing, wrong] {
            #expect(!(result.out + result.err).contains("s3cret") && !(result.out + result.err).contains("not-the-token"))
        }
    }
}
