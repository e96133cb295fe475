import Foundation
import Testing
@testable import MailCore
@testable import MailMessage
import TestSupport

@Suite struct ValidationTests {
    func issues(_ draft: MessageDraft) -> [ValidationIssue] {
        do { _ = try draft.validated(); return [] } catch { return error.issues }
    }

    @Test(arguments: [
        ("plain@example.com", nil as String?),
        ("first.last+tag@sub.example.co.uk", nil),
        ("\"quoted local\"@example.com", nil),
        ("user@[192.0.2.1]", nil),
        ("user@localhost", nil),
        ("", "empty"),
        ("no-at-sign.example.com", "no '@'"),
        ("@example.com", "nothing before"),
        ("user@", "nothing after"),
        ("a..b@example.com", "two dots"),
        (".a@example.com", "starts with a '.'"),
        ("user@exa mple.com", "space"),
        ("us(er@example.com", "'('"),
        ("user@-bad-.com", "starting or ending with '-'"),
        ("user@example..com", "empty label"),
        ("jörg@example.com", nil),
        ("用户@例子.广告", nil),
        ("jörg@exa mple.com", "space"),
        ("a\u{85}b@example.com", "control character"),
        ("user@exa_mple.com", "'_'"),
        ("user@[999.1.1.1]", "IPv4 address literal"),
    ])
    func addressSyntax(address: String, problem: String?) {
        let found = AddressSyntax.problem(in: address)
        if let problem {
            #expect(found?.contains(problem) == true, "\(address): \(found ?? "accepted")")
        } else {
            #expect(found == nil, "\(address): \(found ?? "")")
        }
    }

    @Test func localPartLongerThan64IsRefused() {
        #expect(AddressSyntax.problem(in: String(repeating: "a", count: 65) + "@example.com")?.contains("64") == true)
    }

    @Test func listsSplitOnlyAtSeparatingCommas() throws {
        let list = try Mailbox.parseList("\"Doe, Jane\" <jane@example.com>, bob@example.com; Carol <carol@example.com>")
        #expect(list.map(\.address) == ["jane@example.com", "bob@example.com", "carol@example.com"])
        #expect(list[0].displayName == "Doe, Jane")
    }

    @Test func theProblemNamesTheAddressAndTheField() {
        let found = issues(MessageDraft(from: "me@example.com", to: "ok@example.com, broken@@x"))
        #expect(found.count == 1)
        #expect(found[0].field == .to)
        #expect(found[0].description.contains("broken@@x"))
    }

    @Test func aRecipientAndASenderAreRequired() {
        let found = issues(MessageDraft())
        #expect(found.contains { $0.field == .from && $0.message.contains("sender") })
        #expect(found.contains { $0.field == .to && $0.message.contains("at least one recipient") })
    }

    @Test(arguments: ["Hello\r\nBcc: victim@example.com", "Hello\nX: y", "Hello\rX", "nul\0byte"])
    func headerInjectionInTheSubjectIsRefused(subject: String) {
        let found = issues(MessageDraft(from: "a@example.com", to: "b@example.com", subject: subject))
        #expect(found.contains { $0.field == .subject })
    }

    @Test(arguments: ["X-A: ok\r\nBcc: victim@example.com", "X-A: ok\nX-B: injected", "X-A\0: v", "No colon here", "Bad Name: v", "Subject: sneaky", "Content-Type: text/evil"])
    func badExtraHeadersAreRefused(line: String) {
        let found = issues(MessageDraft(from: "a@example.com", to: "b@example.com", extraHeaders: [line]))
        #expect(found.contains { $0.field == .extraHeaders }, "\(line.debugDescription) was accepted")
    }

    @Test func lineBreaksInDisplayNamesAreRefused() {
        let found = issues(MessageDraft(from: "Evil\r\nBcc: x@example.com <a@example.com>", to: "b@example.com"))
        #expect(!found.isEmpty)
        let found2 = issues(MessageDraft(from: "a@example.com", to: "\"Evil\nName\" <b@example.com>"))
        #expect(!found2.isEmpty)
    }

    @Test func attachmentsMustExistAndBeReadableFiles() throws {
        let dir = TestPaths.temporaryDirectory()
        TestFiles.write(dir + "/secret", Data("x".utf8), mode: 0o000)
        var draft = MessageDraft(from: "a@example.com", to: "b@example.com")
        draft.attachments = [AttachmentSpec(path: dir + "/missing.pdf"), AttachmentSpec(path: dir), AttachmentSpec(path: dir + "/secret")]
        let found = issues(draft).filter { $0.field == .attachments }
        #expect(found.count == (getuid() == 0 ? 2 : 3))
        #expect(found[0].message.contains("no such file"))
        #expect(found[1].message.contains("directory"))
    }

    @Test func mimeTypesComeFromTheExtensionAndCanBeOverridden() throws {
        #expect(MIMETypes.type(forFileName: "Report.PDF") == "application/pdf")
        #expect(MIMETypes.type(forFileName: "noext") == "application/octet-stream")
        #expect(MIMETypes.type(forFileName: "photo.jpeg") == "image/jpeg")
        let dir = TestPaths.temporaryDirectory()
        TestFiles.write(dir + "/a.txt", Data())
        let bad = issues(MessageDraft(from: "a@example.com", to: "b@example.com", attachments: [AttachmentSpec(path: dir + "/a.txt", mimeType: "not a type")]))
        #expect(bad.contains { $0.message.contains("not a MIME type") })
    }

    @Test func serverSettingsAreCheckedBeforeConnecting() {
        #expect(ServerSettings(host: "").problems().first?.setting == .server)
        #expect(ServerSettings(host: "smtp.example.com/x").problems().first?.setting == .server)
        #expect(ServerSettings(host: "smtp.example.com", port: 70000).problems().first?.setting == .port)
        #expect(ServerSettings(host: "smtp.example.com", heloName: "bad name").problems().first?.setting == .helo)
        #expect(ServerSettings(host: "smtp.example.com").problems().isEmpty)
        #expect(ServerSettings(host: "::1").problems().isEmpty)
    }

    @Test func portFollowsSecurityUntilSet() {
        #expect(ServerSettings(host: "h", security: .none).effectivePort == 25)
        #expect(ServerSettings(host: "h", security: .starttls).effectivePort == 587)
        #expect(ServerSettings(host: "h", security: .tls).effectivePort == 465)
        #expect(ServerSettings(host: "h", port: 2525, security: .tls).effectivePort == 2525)
    }
}
