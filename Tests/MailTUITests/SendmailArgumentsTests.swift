@testable import MailCore
import Testing
@testable import MailTUI

/// sendmail's command line as PHP, cron, git and mail(1) write it, and the exit statuses each way
/// of failing gets. Pure; the real binary is in EndToEndTests/SendmailCommandTests.
@Suite struct SendmailArgumentsTests {
    func words(_ arguments: [String]) -> [String]? { try? SendmailArguments.parse(arguments).get().words }

    @Test func theFlagsCallersPassBecomeLongOptions() throws {
        #expect(words(["-t", "-i"]) == ["--read-recipients", "--ignore-dots"])
        #expect(words(["-oi", "-t"]) == ["--ignore-dots", "--read-recipients"])
        #expect(words(["-ti"]) == ["--read-recipients", "--ignore-dots"])
        #expect(words(["-f", "me@example.com", "a@example.com"]) == ["--envelope-from=me@example.com", "a@example.com"])
        #expect(words(["-fme@example.com", "-FCron Daemon"]) == ["--envelope-from=me@example.com", "--full-name=Cron Daemon"])
        #expect(words(["-r", "<>"]) == ["--envelope-from=<>"])
        #expect(words(["-tf", "me@example.com"]) == ["--read-recipients", "--envelope-from=me@example.com"])
        #expect(words(["--profile", "work", "-v", "a@example.com"]) == ["--profile", "work", "--verbose", "a@example.com"])
        #expect(words(["-t", "--", "-odd@example.com"]) == ["--read-recipients", "--", "-odd@example.com"])
        #expect(words(["-h"]) == ["--help"])
    }

    @Test func flagsThatMeanNothingHereAreIgnoredNotRefused() throws {
        // PHP's default (-t -i), cron's (-oi -oem -odi), git's (-i), mail(1)'s (-bm), mutt's (-B8BITMIME -oem).
        let parsed = try SendmailArguments.parse(["-oem", "-odi", "-bm", "-B8BITMIME", "-B", "7BIT", "-oee", "-h", "17", "-N", "never", "-R", "hdrs",
                                                  "-V", "envid", "-X", "/tmp/log", "-C", "cf", "-U", "-G", "-Am", "-L", "tag", "-d0.1", "a@example.com"]).get()
        #expect(parsed.words == ["a@example.com"])
        #expect(parsed.ignored == ["-oem", "-odi", "-bm", "-B8BITMIME", "-B7BIT", "-oee", "-h17", "-Nnever", "-Rhdrs", "-Venvid", "-X/tmp/log", "-Ccf",
                                   "-U", "-G", "-Am", "-Ltag", "-d0.1"])
        #expect(parsed.answer == nil)
    }

    @Test func modesWithoutAMessageAnswerOrAreRefused() {
        #expect((try? SendmailArguments.parse(["-bp"]).get().answer)?.contains("no mail queue") == true)
        #expect((try? SendmailArguments.parse(["-q"]).get().answer)?.contains("no mail queue") == true)
        for refused in [["-bs"], ["-bd"], ["-bt"], ["-f"], ["-Z"], ["-tZ"]] {
            guard case .failure(let usage) = SendmailArguments.parse(refused) else {
                Issue.record("\(refused) was accepted")
                continue
            }
            #expect(!usage.description.isEmpty)
        }
    }

    @Test func theConvertedWordsParseAsTheCommand() throws {
        let command = try SendmailCommand.parse(try SendmailArguments.parse(["-t", "-oi", "-fme@example.com", "-F", "Cron", "--profile", "w", "a@example.com"]).get().words)
        #expect(command.readRecipients && command.ignoreDots && command.envelopeFrom == "me@example.com" && command.fullName == "Cron")
        #expect(command.server.profile == "w" && command.recipients == ["a@example.com"])
        #expect(throws: (any Error).self) { try SendmailCommand.parse(["--password-stdin", "a@example.com"]) }
    }

    @Test func theSymlinkAndTheSubcommandAreBothSendmail() {
        #expect(SendmailEntry.sendmailWords(["/usr/local/bin/sendmail", "-t"]) == ["-t"])
        #expect(SendmailEntry.sendmailWords(["sendmail"]) == [])
        #expect(SendmailEntry.sendmailWords(["/x/mailtui", "sendmail", "-oi"]) == ["-oi"])
        #expect(SendmailEntry.sendmailWords(["/x/mailtui", "send", "sendmail"]) == nil)
        #expect(SendmailEntry.sendmailWords(["/x/not-sendmail"]) == nil)
    }

    func status(_ stage: SMTPStage, _ kind: FailureKind, _ code: Int? = nil, refused: [Int] = []) -> Int32 {
        var failure = SessionFailure(stage: stage, kind: kind, reply: code.map { ServerReply(code: $0, lines: ["x"]) }, explanation: "x", suggestions: [])
        failure.rejectedRecipients = refused.enumerated().map { RejectedRecipient(address: "r\($0.offset)@example.com", reply: ServerReply(code: $0.element, lines: ["x"])) }
        return SendmailExit(failure: failure).rawValue
    }

    @Test func eachFailureGetsSendmailsStatus() {
        #expect(status(.rcpt, .recipientRejected, 550, refused: [550]) == 67)
        #expect(status(.rcpt, .recipientRejected, 450, refused: [450]) == 75)
        #expect(status(.rcpt, .recipientRejected, 450, refused: [450, 550]) == 67)
        #expect(status(.mail, .temporaryFailure, 451) == 75)
        #expect(status(.greeting, .greetingRefused, 421) == 75)
        #expect(status(.greeting, .greetingRefused, 554) == 69)
        #expect(status(.mail, .senderRejected, 553) == 69)
        #expect(status(.data, .messageRejected, 554) == 69)
        #expect(status(.data, .messageTooLarge, 552) == 65)
        #expect(status(.auth, .authFailed, 535) == 77)
        #expect(status(.auth, .authFailed, 454) == 75)
        #expect(status(.mail, .authRequired, 530) == 78)
        #expect(status(.tls, .starttlsNotOffered) == 78)
        #expect(status(.tls, .certificateUntrusted) == 69)
        #expect(status(.connect, .connectionRefused) == 75)
        #expect(status(.connect, .nameLookup) == 68)
        #expect(status(.data, .serverTimeout) == 75)
        #expect(status(.ehlo, .malformedReply) == 76)
    }

    @Test func theHelpListsEveryStatus() {
        let help = SendmailCommand.helpMessage(columns: 200)
        for status in SendmailExit.allCases { #expect(help.contains("\(status.rawValue)  \(status.meaning)"), "\(status)") }
        #expect(help.contains("-oi") && help.contains("-t") && help.contains("--profile"))
    }
}
