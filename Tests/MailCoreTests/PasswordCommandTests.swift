import Foundation
import Testing
@testable import MailCore

/// A password command can neither hang mailtui nor fill its memory.
@Suite struct PasswordCommandTests {
    @Test func endlessOutputIsCutAtTheLimit() {
        let clock = ContinuousClock()
        let start = clock.now
        #expect(ShellCommand.capture("yes pw", limit: 64 * 1024, timeout: .seconds(20)) == .tooMuchOutput(limit: 64 * 1024))
        #expect(clock.now - start < .seconds(10))
        #expect(throws: PasswordError.self) { try PasswordSource.command("yes pw").resolve() }
        do { _ = try PasswordSource.command("yes pw").resolve() } catch {
            #expect(error.reason.contains("more than 64 KiB"))
        }
    }

    @Test func aCommandThatNeverAnswersIsStoppedWithItsChildren() throws {
        let marker = "999.\(getpid())"
        #expect(ShellCommand.capture("sleep \(marker); true", limit: 1024, timeout: .milliseconds(300)) == .timedOut(after: .milliseconds(300)))
        let left = Process()
        left.executableURL = URL(fileURLWithPath: "/usr/bin/pgrep")
        left.arguments = ["-f", "sleep \(marker)"]
        left.standardOutput = FileHandle.nullDevice
        try left.run()
        left.waitUntilExit()
        #expect(left.terminationStatus == 1, "the whole process group was killed")
    }

    @Test func anOrdinaryCommandGivesItsFirstLine() throws {
        #expect(ShellCommand.capture("printf 'pw\\n'", limit: 1024, timeout: .seconds(5)) == .exited(status: 0, output: "pw\n"))
        #expect(try PasswordSource.command("printf 'pw\\n'").resolve() == Secret("pw"))
        do { _ = try PasswordSource.command("no-such-command-anywhere").resolve() } catch {
            #expect(error.reason.contains("not found"))
        }
    }
}
