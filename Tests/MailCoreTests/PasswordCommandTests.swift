import Foundation
import Testing
@testable import MailCore
import TestSupport

/// A password command can neither hang mailtui nor fill its memory.
@Suite struct PasswordCommandTests {
    @Test func endlessOutputIsCutAtTheLimit() {
        // Stopped by the limit, not by the (generous) time limit: the outcome says which.
        #expect(ShellCommand.capture("yes pw", limit: 64 * 1024, timeout: .seconds(120)) == .tooMuchOutput(limit: 64 * 1024))
        let endless = #expect(throws: PasswordError.self) { try PasswordSource.command("yes pw").resolve() }
        #expect(endless?.reason.contains("more than 64 KiB") == true)
    }

    @Test func aCommandThatNeverAnswersIsStoppedWithItsChildren() throws {
        let marker = "999.\(getpid())"
        #expect(ShellCommand.capture("sleep \(marker); true", limit: 1024, timeout: .milliseconds(300)) == .timedOut(after: .milliseconds(300)))
        // SIGKILL is delivered, not awaited: on a busy machine the child may take a moment to go.
        let gone = try Wait.until { try Program.run("/usr/bin/pgrep", ["-f", "sleep \(marker)"]).status == 1 }
        #expect(gone, "the whole process group was killed")
    }

    @Test func anOrdinaryCommandGivesItsFirstLine() throws {
        #expect(ShellCommand.capture("printf 'pw\\n'", limit: 1024, timeout: .seconds(60)) == .exited(status: 0, output: "pw\n"))
        #expect(try PasswordSource.command("printf 'pw\\n'").resolve() == Secret("pw"))
        let missing = #expect(throws: PasswordError.self) { try PasswordSource.command("no-such-command-anywhere").resolve() }
        #expect(missing?.reason.contains("not found") == true)
    }
}

@Suite struct LocalStateTests {
    @Test func holdingASecretForbidsCoreDumps() {
        _ = Secret("s3cret")
        #expect(!CoreDumps.allowed)
    }

    @Test func staleTemporaryFilesOfDeadProcessesAreRemoved() throws {
        let directory = TestPaths.temporaryDirectory("mailtui-state")
        // A process that certainly ended: one this test started and waited for.
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/true")
        try child.run()
        child.waitUntilExit()
        let dead = "\(directory)/draft.json.tmp-\(child.processIdentifier)-0a1b2c3d"
        let alive = "\(directory)/draft.json.tmp-\(getpid())-0a1b2c3d"
        for path in [dead, alive] { _ = FileManager.default.createFile(atPath: path, contents: Data("{".utf8)) }
        _ = DraftStore.claim(directory: directory)
        #expect(!FileManager.default.fileExists(atPath: dead))
        #expect(FileManager.default.fileExists(atPath: alive), "a running process's save is left alone")
    }

    @Test func aSecondClaimGetsADraftOfItsOwn() {
        let directory = TestPaths.temporaryDirectory("mailtui-state")
        let first = DraftStore.claim(directory: directory)
        #expect(first.store.path == directory + "/draft.json" && first.shared == nil)
        // flock locks belong to the open file description: a second open in this process conflicts too.
        let second = DraftStore.claim(directory: directory)
        #expect(second.store.path == directory + "/draft.\(getpid()).json")
        #expect(second.shared?.path == directory + "/draft.json")
    }
}
