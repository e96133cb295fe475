import Foundation
import Testing
import TestSupport

/// `mailtui serve` as a person or a CI job runs it: the real binary, real clients (swaks, a Flask
/// app with Flask-Mail), JSON events, and SIGTERM.
@Suite(.serialized) struct ServeCommandTests {
    /// The server in the background, stopped by its PID.
    final class Serve: @unchecked Sendable {
        let process = Process()
        let output = Pipe()
        let listening: [String: Any]
        let data = TestPaths.temporaryDirectory("mailtui-data")
        private var lines: [String] = []
        private var pending = Data()

        init(_ arguments: [String], environment: [String: String] = [:]) throws {
            process.executableURL = URL(fileURLWithPath: TestPaths.mailtui)
            process.arguments = ["serve", "--json", "--port", "0", "--tls-port", "0", "--host", "127.0.0.1"] + arguments
            process.environment = TestPaths.hermeticEnvironment(["XDG_DATA_HOME": data].merging(environment) { $1 })
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
            var first: [String: Any] = [:]
            pending = Data()
            while let line = Self.readLine(output.fileHandleForReading, &pending) {
                first = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] ?? [:]
                break
            }
            listening = first
        }

        /// The next line, or nil when the output ends or nothing comes for a minute (a server that
        /// says nothing fails the test instead of hanging it).
        static func readLine(_ handle: FileHandle, _ pending: inout Data) -> String? {
            let deadline = Date().addingTimeInterval(60)
            while true {
                if let newline = pending.firstIndex(of: 10) {
                    let line = String(decoding: pending[..<newline], as: UTF8.self)
                    pending.removeSubrange(...newline)
                    return line
                }
                var ready = pollfd(fd: handle.fileDescriptor, events: Int16(POLLIN), revents: 0)
                guard poll(&ready, 1, Int32(max(0, deadline.timeIntervalSinceNow * 1000))) > 0 else { return nil }
                let chunk = handle.availableData
                if chunk.isEmpty { return nil }
                pending.append(chunk)
            }
        }

        /// The next JSON event.
        func next() -> [String: Any]? {
            guard let line = Self.readLine(output.fileHandleForReading, &pending) else { return nil }
            return (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
        }

        var port: String { (listening["smtp"] as? String ?? ":").split(separator: ":").last.map(String.init) ?? "" }
        var tlsPort: String { (listening["smtps"] as? String ?? ":").split(separator: ":").last.map(String.init) ?? "" }
        var ca: String { listening["ca"] as? String ?? "" }
        var store: String { listening["store"] as? String ?? "" }

        func stop() -> Int32 {
            guard process.isRunning else { return process.terminationStatus }
            kill(process.processIdentifier, SIGTERM)
            if !Wait.until(timeout: 60, { !process.isRunning }) { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            return process.terminationStatus
        }

        deinit { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
    }

    /// `--port 0` alone kept the implicit TLS port at 2465, so a second server on free ports failed
    /// ("cannot listen on port 0 or 2465"); now it picks a free TLS port too.
    @Test func twoServersOnFreePortsDoNotBothAskFor2465() throws {
        var processes: [Process] = []
        defer { for process in processes where process.isRunning { process.terminate(); process.waitUntilExit() } }
        var tlsPorts: [String] = []
        for _ in 0..<2 {
            let process = Process()
            let output = Pipe()
            process.executableURL = URL(fileURLWithPath: TestPaths.mailtui)
            process.arguments = ["serve", "--json", "--port", "0", "--host", "127.0.0.1", "--api", "off"]
            process.environment = TestPaths.hermeticEnvironment(["XDG_DATA_HOME": TestPaths.temporaryDirectory("mailtui-data")])
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
            processes.append(process)
            var pending = Data()
            let line = try #require(Serve.readLine(output.fileHandleForReading, &pending), "the server said nothing")
            let event = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
            #expect(event["event"] as? String == "listening", "\(line)")
            tlsPorts.append((event["smtps"] as? String ?? ":").split(separator: ":").last.map(String.init) ?? "")
        }
        #expect(tlsPorts.count == 2 && !tlsPorts.contains("2465") && !tlsPorts.contains("") && tlsPorts[0] != tlsPorts[1], "\(tlsPorts)")
    }

    @Test func theListeningLineSaysWhereAndSigtermStopsIt() throws {
        let serve = try Serve([])
        #expect(serve.listening["event"] as? String == "listening")
        #expect(Int(serve.port) ?? 0 > 0 && Int(serve.tlsPort) ?? 0 > 0, "the real ports, not 0")
        #expect(serve.ca.hasSuffix("/mailtui/tls/ca.pem") && FileManager.default.fileExists(atPath: serve.ca))
        #expect(serve.store.hasSuffix("/mailtui/inbox"))
        var info = stat()
        stat(serve.data + "/mailtui/tls", &info)
        #expect(info.st_mode & 0o777 == 0o700)
        #expect(serve.stop() == 0)
    }

    @Test func swaksOverStarttlsWithALogin() throws {
        let serve = try Serve(["--user", "dave:s3cret"])
        defer { _ = serve.stop() }
        let result = try Program.run("/usr/bin/swaks", ["--server", "127.0.0.1", "--port", serve.port, "--tls", "--tls-ca-path", serve.ca,
                                                        "--auth", "LOGIN", "--auth-user", "dave", "--auth-password", "s3cret",
                                                        "--from", "swaks@example.com", "--to", "r@example.com", "--body", "from swaks"])
        #expect(result.status == 0, "\(result.out)\(result.err)")
        let message = try #require(serve.next())
        #expect(message["event"] as? String == "message")
        #expect(message["from"] as? String == "swaks@example.com")
        #expect(message["authUser"] as? String == "dave")
        #expect(message["tls"] as? String == "TLSv1.3")
        let stored = try String(contentsOfFile: message["path"] as? String ?? "", encoding: .utf8)
        #expect(stored.contains("from swaks"))
    }

    /// A login as swaks makes it, over STARTTLS; true when the server took it.
    func swaksLogs(in serve: Serve, password: String) throws -> Bool {
        let result = try Program.run("/usr/bin/swaks", ["--server", "127.0.0.1", "--port", serve.port, "--tls", "--tls-ca-path", serve.ca,
                                                        "--auth", "LOGIN", "--auth-user", "dave", "--auth-password", password,
                                                        "--from", "swaks@example.com", "--to", "r@example.com", "--body", "x"])
        return result.status == 0
    }

    @Test func loginsComeFromAPrivateFileOrTheEnvironmentNotFromArgv() throws {
        let folder = TestPaths.temporaryDirectory("mailtui-logins")
        let file = folder + "/logins"
        try Data("# test logins\ndave:s3cret\n".utf8).write(to: URL(fileURLWithPath: file))
        chmod(file, 0o644)
        let refused = try Program.run(TestPaths.mailtui, ["serve", "--json", "--port", "0", "--tls-port", "0", "--host", "127.0.0.1", "--users-file", file],
                                      environment: TestPaths.hermeticEnvironment(["XDG_DATA_HOME": folder]))
        #expect(refused.status != 0 && refused.err.contains("group or others may read it (mode 644)") && refused.err.contains("chmod 600 \(file)"), "\(refused.err)")
        chmod(file, 0o600)
        for (arguments, environment) in [(["--users-file", file], [:]), (["--users-env", "LOGINS"], ["LOGINS": "dave:s3cret"])] {
            let serve = try Serve(arguments, environment: environment)
            defer { _ = serve.stop() }
            #expect(try swaksLogs(in: serve, password: "s3cret"), "\(arguments)")
            #expect(serve.next()?["authUser"] as? String == "dave")
            #expect(try !swaksLogs(in: serve, password: "wrong"), "\(arguments): a wrong password is refused")
        }
        let help = try Program.run(TestPaths.mailtui, ["serve", "--help"], environment: TestPaths.hermeticEnvironment(["COLUMNS": "300"]))
        #expect(help.out.contains("The password shows in ps"))
    }

    @Test func aFlaskAppSendsThroughIt() throws {
        let serve = try Serve([])
        defer { _ = serve.stop() }
        let app = """
        import sys
        from flask import Flask
        from flask_mail import Mail, Message
        app = Flask(__name__)
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=int(sys.argv[1]), MAIL_USE_TLS=False, MAIL_USE_SSL=False,
                          MAIL_DEFAULT_SENDER="App <noreply@example.com>")
        mail = Mail(app)
        with app.app_context():
            mail.send(Message("Reset your password", recipients=["ada@example.org"], body="Your link: https://example.com/r/1"))
        """
        let path = TestPaths.temporaryDirectory("mailtui-flask") + "/app.py"
        try Data(app.utf8).write(to: URL(fileURLWithPath: path))
        let result = try Program.run("/usr/bin/env", ["python3", path, serve.port])
        #expect(result.status == 0, "\(result.err)")
        let message = try #require(serve.next())
        #expect(message["rcpt"] as? [String] == ["ada@example.org"])
        let stored = try String(contentsOfFile: message["path"] as? String ?? "", encoding: .utf8)
        #expect(stored.contains("Subject: Reset your password") && stored.contains("https://example.com/r/1"))
    }

    @Test func aPresetRehearsesTheAppsErrorHandling() throws {
        let serve = try Serve(["--preset", "gmail-app-password"])
        defer { _ = serve.stop() }
        let result = try Program.run(TestPaths.mailtui, ["send", "--server", "127.0.0.1", "--port", serve.port, "--ca-file", serve.ca,
                                                         "--user", "me@gmail.com", "--password-env", "P", "--from", "me@gmail.com", "--to", "x@example.com"],
                                     environment: TestPaths.hermeticEnvironment(["P": "pw", "NO_COLOR": "1"]))
        #expect(result.status == 7, "AUTH failed: \(result.out)")
        #expect(result.out.contains("534 5.7.9 Application-specific password required"))
        let fault = try #require(serve.next())
        #expect(fault["event"] as? String == "fault" && fault["stage"] as? String == "auth")
        let list = try Program.run(TestPaths.mailtui, ["serve", "--list-presets"], environment: TestPaths.hermeticEnvironment())
        #expect(list.out.contains("m365-auth-disabled") && list.out.contains("5.7.139"))
        let bad = try Program.run(TestPaths.mailtui, ["serve", "--fault", "rcpt=maybe"], environment: TestPaths.hermeticEnvironment())
        #expect(bad.status == 2 && bad.err.contains("rcpt=maybe"))
    }
}
