import Foundation

/// A Python test server started for one test: it prints `{"port": N, "pid": P}` on its first line
/// when it is ready, and is stopped by that PID.
struct PythonServer {
    let process: Process
    let port: Int
    let pid: Int32

    /// Starts `python3 script arguments...`; what it writes on stderr goes to `errors`, and is
    /// quoted when it stops before saying it is ready.
    static func start(_ script: String, _ arguments: [String]) throws -> PythonServer {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", TestPaths.support(script)] + arguments
        let output = Pipe()
        let errors = TestPaths.temporaryDirectory("mailtui-server") + "/stderr.txt"
        _ = FileManager.default.createFile(atPath: errors, contents: nil)
        process.standardOutput = output
        process.standardError = FileHandle(forWritingAtPath: errors)
        try process.run()
        var line = Data()
        // A generous deadline for the ready line (a busy machine starts Python slowly), never none.
        let deadline = Date().addingTimeInterval(60)
        while !line.contains(UInt8(ascii: "\n")) {
            var ready = pollfd(fd: output.fileHandleForReading.fileDescriptor, events: Int16(POLLIN), revents: 0)
            let left = Int32(max(0, deadline.timeIntervalSinceNow * 1000))
            if poll(&ready, 1, left) == 0 {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                throw TestServerError.didNotStart(([script] + arguments).joined(separator: " ") + ": no ready line within 60 s")
            }
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty {
                process.waitUntilExit()
                let said = (try? String(contentsOfFile: errors, encoding: .utf8)) ?? ""
                throw TestServerError.didNotStart(([script] + arguments).joined(separator: " ") + (said.isEmpty ? "" : ": " + said))
            }
            line.append(chunk)
        }
        struct Ready: Decodable { var port: Int; var pid: Int32 }
        let ready = try JSONDecoder().decode(Ready.self, from: line.prefix(while: { $0 != UInt8(ascii: "\n") }))
        return PythonServer(process: process, port: ready.port, pid: ready.pid)
    }

    func stop() {
        guard process.isRunning else { return }
        kill(pid, SIGKILL)
        process.waitUntilExit()
    }
}
