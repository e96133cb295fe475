import Foundation
import Testing
import TestSupport
@testable import MailTUI
@testable import MailCore

/// The form and the local test server (any password works there, also after a restart), what a
/// running `mailtui serve` says about itself, and drafts of earlier screens.
@Suite struct LocalServerAndKeptDraftsTests {
    /// A form pointing at the local server, as a restored draft leaves it (no password anywhere).
    static func restoredLocal() -> AppState {
        var s = AppState(width: 100, height: 30, colors: false)
        s.apply(settings: ServerSettings(host: "127.0.0.1", port: 2525, security: .starttls, caFile: "/data/mailtui/tls/ca.pem", username: "test"))
        s.apply(draft: MessageDraft(from: "test@example.com", to: "you@example.org", subject: "again", textBody: "hi"))
        s.localServer = "127.0.0.1:2525"
        return s
    }

    @Test func theLocalServerTakesAnyPasswordWithoutOne() {
        var s = Self.restoredLocal()
        s.focus = .to
        #expect(Renderer.render(s).text.contains("Password (any password works here)"), "\(Renderer.render(s).text)")
        let effects = s.update(.key(.function(5)))
        guard case .send(let plan)? = effects.first else { Issue.record("not sent: \(effects) \(s.notice ?? "")"); return }
        #expect(plan.password == "test", "a password is sent for it, never a real one")
        // Another server: no such hint, and no password is made up.
        var other = Self.restoredLocal()
        other.fields[.port] = TextField("2600")
        other.portEdited = true
        #expect(!Renderer.render(other).text.contains("any password works here"))
        guard case .send(let otherPlan)? = other.update(.key(.function(5))).first else { Issue.record("not sent"); return }
        #expect(otherPlan.password == nil)
        // A `mailtui serve` given its own logins: the password matters there.
        var strict = Self.restoredLocal()
        strict.localServerTakesAnyLogin = false
        #expect(!Renderer.render(strict).text.contains("any password works here"))
        guard case .send(let strictPlan)? = strict.update(.key(.function(5))).first else { Issue.record("not sent"); return }
        #expect(strictPlan.password == nil)
    }

    @Test func theDraftRemembersTheLocalServerAndARestartPointsAtItAgain() {
        var s = Self.restoredLocal()
        #expect(s.savedDraft(at: 1).localServer == true)
        // The next start's server listens elsewhere, with another CA.
        var next = AppState(width: 100, height: 30, colors: false)
        next.apply(settings: s.savedDraft(at: 1).settings)
        next.pointAtLocalServer(address: "127.0.0.1:40001", port: 40001, caPath: "/other/ca.pem")
        #expect(next.targetsLocalServer && next.text(.port) == "40001" && next.text(.caFile) == "/other/ca.pem")
        s.fields[.host] = TextField("smtp.example.com")
        #expect(s.savedDraft(at: 1).localServer == nil)
    }

    @Test func aServesFileIsFoundOnlyWhileItRunsAndOnlyWhenItIsOurs() throws {
        let folder = TestPaths.temporaryDirectory("mailtui-runtime")
        let ca = folder + "/ca.pem"
        try Data("x".utf8).write(to: URL(fileURLWithPath: ca))
        let paths = ServeRuntimeFile.announce(["127.0.0.1:40123", "[::1]:40123"], ca: ca, store: "/data/inbox", anyLogin: true, in: folder)
        #expect(paths == [folder + "/serve-40123.json"])
        let mode = try FileManager.default.attributesOfItem(atPath: paths[0])[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(ServeRuntimeFile.find(port: 40123, in: folder) == ServeRuntimeFile(port: 40123, pid: getpid(), ca: ca, store: "/data/inbox", anyLogin: true))
        #expect(ServeRuntimeFile.find(port: 40124, in: folder) == nil)
        chmod(paths[0], 0o666)
        #expect(ServeRuntimeFile.find(port: 40123, in: folder) == nil, "a file others may write is not believed")
        chmod(paths[0], 0o600)
        unlink(ca)
        #expect(ServeRuntimeFile.find(port: 40123, in: folder) == nil, "a CA that cannot be read is no use")
        ServeRuntimeFile.withdraw(paths)
        #expect(!FileManager.default.fileExists(atPath: paths[0]))
        // A serve that was killed: its PID is gone, and so is its file.
        let stale = #"{"port":40125,"pid":2147483646,"ca":"\#(folder)/ca.pem","store":"/data/inbox"}"#
        try Data("x".utf8).write(to: URL(fileURLWithPath: ca))
        try Data(stale.utf8).write(to: URL(fileURLWithPath: folder + "/serve-40125.json"))
        chmod(folder + "/serve-40125.json", 0o600)
        #expect(ServeRuntimeFile.find(port: 40125, in: folder) == nil)
        #expect(!FileManager.default.fileExists(atPath: folder + "/serve-40125.json"))
    }

    static func kept(_ subject: String, path: String = "/state/draft.4242.json") -> KeptDraft {
        KeptDraft(path: path, draft: Draft(settings: ServerSettings(host: "smtp.kept.example"),
                                           message: MessageDraft(from: "me@example.com", to: "you@example.com", subject: subject), savedAt: 1_795_000_000))
    }

    @Test func aKeptDraftIsOfferedOpenedInPlaceOfTheFormAndSwappedBack() {
        var s = AppState(width: 100, height: 30, colors: false)
        s.apply(settings: ServerSettings(host: "smtp.example.com"))
        s.apply(draft: MessageDraft(from: "a@example.com", to: "b@example.com", subject: "the form"))
        s.keptDrafts = [Self.kept("killed draft")]
        #expect(s.keptDraftsNotice == "A draft from an earlier screen (closed or killed) is kept (draft.4242.json): Ctrl-R opens it")
        #expect(s.update(.key(.control("r"))).isEmpty)
        #expect(Renderer.render(s).text.contains("▸ ") && Renderer.render(s).text.contains("\"killed draft\" to you@example.com via smtp.kept.example  (draft.4242.json)"))
        let before = s.savedDraft(at: 0)
        let effects = s.update(.key(.enter))
        #expect(effects.first == .replaceKeptDraft(path: "/state/draft.4242.json", with: before), "the form goes to the file: nothing typed is lost")
        #expect(effects.contains(.saveDraft))
        #expect(s.text(.subject) == "killed draft" && s.text(.host) == "smtp.kept.example" && s.overlay == nil)
        #expect(s.keptDrafts.map(\.draft.message.subject) == ["the form"])
        _ = s.update(.key(.control("r")))
        _ = s.update(.key(.enter))
        #expect(s.text(.subject) == "the form")
        _ = s.update(.key(.control("r")))
        #expect(s.update(.key(.character("d"))) == [.replaceKeptDraft(path: "/state/draft.4242.json", with: nil)])
        #expect(s.keptDrafts.isEmpty && s.overlay == nil)
        _ = s.update(.key(.control("r")))
        #expect(s.notice == "No drafts of earlier screens are kept")
    }

    @Test func anEmptyFormTakesAKeptDraftAndItsFileGoes() {
        var s = AppState(width: 100, height: 30, colors: false)
        s.keptDrafts = [Self.kept("only")]
        _ = s.update(.key(.control("r")))
        #expect(s.update(.key(.enter)).first == .replaceKeptDraft(path: "/state/draft.4242.json", with: nil))
        #expect(s.keptDrafts.isEmpty && s.text(.subject) == "only")
    }

    @Test func draftsOfScreensThatAreGoneAreFoundNewestFirst() throws {
        let folder = TestPaths.temporaryDirectory("mailtui-state")
        func write(_ name: String, _ subject: String, at time: Int) throws {
            try DraftStore(path: folder + "/" + name).save(Draft(settings: ServerSettings(host: "h"), message: MessageDraft(subject: subject), savedAt: time))
        }
        try write("draft.json", "main", at: 5)
        try write("draft.2147483646.json", "older", at: 1)
        try write("draft.2147483645.json", "newer", at: 2)
        try write("draft.\(getpid()).json", "still open", at: 3)
        try write("draft.2147483644.json", "mine", at: 4)
        try Data("{".utf8).write(to: URL(fileURLWithPath: folder + "/draft.2147483643.json"))
        let found = KeptDrafts.find(in: folder, except: folder + "/draft.2147483644.json")
        #expect(found.map(\.draft.message.subject) == ["newer", "older"])
    }
}
