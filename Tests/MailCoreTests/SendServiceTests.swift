import Foundation
import Testing
@testable import MailCore
@testable import MailClient
import _CryptoExtras
import TestSupport

/// The send service: what the CLI and the compose screen both refuse, as typed problems tied to
/// what they concern, and the session they run when nothing is wrong.
@Suite struct SendServiceTests {
    let server = ServerSettings(host: "smtp.example.com", port: 587, security: .starttls)
    let draft = MessageDraft(from: "a@example.com", to: "b@example.com", subject: "s", textBody: "t")

    func refusal(_ result: Result<SessionRequest, SendRefusal>) -> SendRefusal? {
        if case .failure(let refusal) = result { return refusal }
        return nil
    }

    @Test func noRecipientIsAProblemOfTheToField() {
        var noOne = draft
        noOne.to = ""
        let found = refusal(SendService.prepare(.send, settings: server, draft: noOne, options: SendOptions(), password: .success(nil)))
        #expect(found?.problems == [SendProblem(.message(.to), "at least one recipient (To, Cc or Bcc) is required")])
        #expect(SendService.check(settings: server, draft: noOne).map(\.subject) == [.message(.to)])
        #expect(found?.problems.first?.description == "To: at least one recipient (To, Cc or Bcc) is required")
    }

    @Test func aUserWithoutAPasswordIsRefusedButAProbeRuns() {
        var withUser = server
        withUser.username = "me"
        let found = refusal(SendService.prepare(.send, settings: withUser, draft: draft, options: SendOptions(), password: .success(nil)))
        #expect(found?.reason(for: .password) == "a user is set but no password: type it here (it is never saved) or set MAIL_PASSWORD")
        #expect(found?.problems.count == 1)
        // An empty password is no password.
        #expect(refusal(SendService.prepare(.send, settings: withUser, draft: draft, options: SendOptions(), password: .success(""))) == found)
        guard case .success(let probe) = SendService.prepare(.probe, settings: withUser, draft: draft, options: SendOptions(), password: .success(nil)) else {
            Issue.record("a probe without a password must run"); return
        }
        #expect(probe.secret == nil)
    }

    @Test func theLoginRuleFollowsTheStageToStopAt() throws {
        var withUser = server
        withUser.username = "me"
        #expect(SendService.logsIn(withUser, quitAfter: nil) && SendService.logsIn(withUser, quitAfter: .auth) && SendService.logsIn(withUser, quitAfter: .rcpt))
        #expect(!SendService.logsIn(withUser, quitAfter: .tls) && !SendService.logsIn(server, quitAfter: nil))
        let stopEarly = SendOptions(quitAfter: .ehlo)
        let request = try SendService.prepare(.send, settings: withUser, draft: draft, options: stopEarly, password: .success("pw")).get()
        #expect(request.secret == nil, "a session that stops before AUTH carries no password")
        let full = try SendService.prepare(.send, settings: withUser, draft: draft, options: SendOptions(), password: .success("pw")).get()
        #expect(full.secret != nil)
    }

    @Test func aPasswordCommandThatFailedIsAPasswordProblem() {
        var withUser = server
        withUser.username = "me"
        let failed = PasswordError(source: "command pass show mail", reason: "exited with status 1")
        let found = refusal(SendService.prepare(.send, settings: withUser, draft: draft, options: SendOptions(), password: .failure(failed)))
        #expect(found?.problems == [SendProblem(.password, "password from command pass show mail: exited with status 1")])
        #expect(refusal(SendService.prepare(.probe, settings: withUser, draft: draft, options: SendOptions(), password: .failure(failed)))?.problems.map(\.subject) == [.password])
    }

    @Test func aDKIMKeyFileThatCannotBeReadIsADKIMProblem() {
        let path = TestPaths.temporaryDirectory("mailtui-send") + "/missing.pem"
        let options = SendOptions(dkim: DKIMSettings(selector: "s1", keyPath: path))
        let found = refusal(SendService.prepare(.send, settings: server, draft: draft, options: options, password: .success(nil)))
        #expect(found?.problems == [SendProblem(.dkim, "cannot read the key file \(path)")])
        #expect(found?.problems.first?.description == "DKIM: cannot read the key file \(path)")
    }

    @Test func aReadableDKIMKeySignsTheMessage() throws {
        let path = TestPaths.temporaryDirectory("mailtui-send") + "/dkim.pem"
        try _RSA.Signing.PrivateKey(keySize: .bits2048).pemRepresentation.write(toFile: path, atomically: true, encoding: .utf8)
        let options = SendOptions(dkim: DKIMSettings(selector: "s1", keyPath: path))
        let request = try SendService.prepare(.send, settings: server, draft: draft, options: options, password: .success(nil)).get()
        #expect(request.signer != nil && request.load == nil)
        let loaded = try SendService.prepare(.send, settings: server, draft: draft, options: SendOptions(dkim: options.dkim, count: 3),
                                             password: .success(nil)).get()
        #expect(loaded.load?.count == 3 && loaded.signer == nil, "a load run signs each message itself")
    }

    @Test func theFormsDSNAndDKIMWordsAreCheckedWithAnExample() throws {
        guard case .failure(let dsn) = SendService.notifications(fromField: "never,success") else { Issue.record("accepted"); return }
        #expect(dsn == SendProblem(.dsn, "notify: never cannot be combined with others (e.g. success,failure hdrs envid=order-42)"))
        guard case .failure(let envid) = SendService.notifications(fromField: "envid=") else { Issue.record("accepted"); return }
        #expect(envid.subject == .dsn && envid.reason.hasPrefix("envid= takes 1 to 100 characters"))
        #expect(try SendService.notifications(fromField: " ").get() == nil)
        guard case .failure(let dkim) = SendService.dkim(fromField: "s1") else { Issue.record("accepted"); return }
        #expect(dkim == SendProblem(.dkim, "write SELECTOR KEYFILE [d=DOMAIN] (e.g. s1 ~/keys/dkim.pem)"))
        #expect(try SendService.dkim(fromField: "s1 k.pem d=example.com").get() == DKIMSettings(selector: "s1", keyPath: "k.pem", domain: "example.com"))
    }

    @Test func theDSNAskedForReachesTheRequest() throws {
        let notifications = DeliveryNotifications(notify: ["success", "failure"], ret: .hdrs, envelopeID: "order-42")
        let request = try SendService.prepare(.send, settings: server, draft: draft, options: SendOptions(notifications: notifications),
                                              password: .success(nil)).get()
        #expect(request.notifications == notifications)
    }

    @Test func filesAreCheckedOnlyWhenPreparing() {
        var attached = draft
        attached.attachments = [AttachmentSpec(path: TestPaths.temporaryDirectory("mailtui-send") + "/gone.pdf")]
        #expect(SendService.check(settings: server, draft: attached).isEmpty, "the pure check reads no file")
        let found = refusal(SendService.prepare(.send, settings: server, draft: attached, options: SendOptions(), password: .success(nil)))
        #expect(found?.problems.map(\.subject) == [.message(.attachments)])
    }

    @Test func everyProblemIsSaidAtOnce() {
        var withUser = ServerSettings(host: "bad host", port: 70000, username: "me")
        withUser.security = .starttls
        var broken = draft
        broken.from = ""
        let found = refusal(SendService.prepare(.send, settings: withUser, draft: broken, options: SendOptions(), password: .success(nil)))
        #expect(found?.problems.map(\.subject) == [.setting(.server), .setting(.port), .password, .message(.from)])
    }

    @Test func theHistoryEntryOfAProbeKeepsNoDraft() {
        let report = SessionReport(failure: nil, finalReply: nil, acceptedRecipients: [], rejectedRecipients: [], greeting: nil, extensions: [],
                                   extensionsBeforeTLS: nil, tls: nil, authenticated: false, stageTimes: [], elapsed: .seconds(1),
                                   messageBytes: 0, transcript: [])
        let probe = SendService.historyEntry(.probe, profile: "work", settings: server, draft: draft, recipients: [], report: report, faults: ["rcpt 550"])
        #expect(probe.draft == nil && probe.kind == .probe && probe.profile == "work" && probe.faults == ["rcpt 550"] && probe.result == "probe ok")
        let send = SendService.historyEntry(.send, profile: nil, settings: server, draft: draft, recipients: ["b@example.com"], report: report)
        #expect(send.draft?.to == "b@example.com" && send.recipients == ["b@example.com"] && send.faults == nil)
    }
}
