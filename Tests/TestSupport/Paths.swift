import Foundation

/// Where things are, found from this file's location so that tests run from any directory.
public enum TestPaths {
    /// The package's root folder.
    public static let root: String = {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    }()

    /// A script in Tests/Support.
    public static func support(_ name: String) -> String { root + "/Tests/Support/" + name }

    /// The built `mailtui` binary: $MAILTUI_BIN, else the debug build.
    public static var mailtui: String {
        if let bin = ProcessInfo.processInfo.environment["MAILTUI_BIN"], !bin.isEmpty { return bin }
        return root + "/.build/debug/mailtui"
    }

    /// The environment for running mailtui in a test: this process's, with private XDG config and
    /// state folders (no user profile, no history in the real home) and no MAIL_PASSWORD.
    public static func hermeticEnvironment(_ extra: [String: String] = [:]) -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["XDG_CONFIG_HOME"] = temporaryDirectory("mailtui-config")
        env["XDG_STATE_HOME"] = temporaryDirectory("mailtui-state")
        env["MAIL_PASSWORD"] = nil
        for (key, value) in extra { env[key] = value }
        return env
    }

    /// A new empty temporary folder.
    public static func temporaryDirectory(_ prefix: String = "mailtui-test") -> String {
        let path = NSTemporaryDirectory() + "\(prefix)-\(UUID().uuidString.prefix(8))"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

/// Runs a program to completion and captures its output.
public struct ProgramResult: Sendable {
    public var status: Int32
    public var stdout: Data
    public var stderr: Data
    public var out: String { String(decoding: stdout, as: UTF8.self) }
    public var err: String { String(decoding: stderr, as: UTF8.self) }
}

public enum Program {
    /// Runs `executable` with `arguments`, feeding `input` on standard input.
    public static func run(_ executable: String, _ arguments: [String], input: Data? = nil,
                           environment: [String: String]? = nil) throws -> ProgramResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        let outPipe = Pipe(), errPipe = Pipe(), inPipe = Pipe()
        process.standardOutput = outPipe
        process.standardError = errPipe
        process.standardInput = inPipe
        try process.run()
        // Read both pipes concurrently so neither fills up and blocks the child.
        nonisolated(unsafe) var errData = Data()
        let errReader = Thread { errData = errPipe.fileHandleForReading.readDataToEndOfFile() }
        errReader.start()
        if let input { inPipe.fileHandleForWriting.write(input) }
        try? inPipe.fileHandleForWriting.close()
        let outData = outPipe.fileHandleForReading.readDataToEndOfFile()
        while !errReader.isFinished { usleep(1000) }
        process.waitUntilExit()
        return ProgramResult(status: process.terminationStatus, stdout: outData, stderr: errData)
    }

    /// Runs a Python script from Tests/Support.
    public static func python(_ script: String, _ arguments: [String], input: Data? = nil) throws -> ProgramResult {
        try run("/usr/bin/env", ["python3", TestPaths.support(script)] + arguments, input: input)
    }
}

/// Test files.
public enum TestFiles {
    /// Writes `data` to `path` with `mode`.
    public static func write(_ path: String, _ data: Data, mode: Int = 0o644) {
        _ = FileManager.default.createFile(atPath: path, contents: data, attributes: [.posixPermissions: mode])
    }
}
