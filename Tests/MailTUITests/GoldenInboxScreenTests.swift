import Foundation
import Testing
@testable import MailTUI
@testable import MailCore
import MailServer
import TestSupport

/// Golden screens of the local server's side: the inbox (F2), a caught message's view with its
/// checks, the fault panel (F12) and `mailtui serve`'s own screen, with fixed data (fixed times,
/// fixed addresses) so that the files change only when the drawing does.
@Suite struct GoldenInboxScreenTests {
    init() {
        setenv("TZ", "UTC", 1)
        tzset()
        TerminalLocale.adopt()
    }

    static let server = "127.0.0.1:2525"

    /// Three caught messages, oldest first: over TLS with a login, in plain text with a fault, and
    /// a bounce with an encoded Subject.
    static let messages: [MailServer.StoredMessage] = [
        MailServer.StoredMessage(id: "1795000000-1-000001", path: "/data/mailtui/inbox/1795000000-1-000001.eml", from: "noreply@app.example", fromParameters: ["SIZE=3412"],
                      recipients: [.init(address: "ada@example.org", parameters: [])], helo: "app.example", client: "127.0.0.1:50001",
                      tls: "TLSv1.3", cipher: "TLS_AES_128_GCM_SHA256", authUser: "app", authMechanism: "PLAIN", time: 1_795_000_000, bytes: 3_412,
                      subject: "Reset your password",
                      transcript: ["S: 220 127.0.0.1 mailtui ESMTP", "C: EHLO app.example", "S: 250-127.0.0.1", "S: 250-STARTTLS", "S: 250 AUTH PLAIN LOGIN",
                                   "C: STARTTLS", "S: 220 2.0.0 Ready to start TLS", "C: EHLO app.example", "S: 250 AUTH PLAIN LOGIN",
                                   "C: AUTH PLAIN [credentials hidden]", "S: 235 2.7.0 Authentication successful", "C: MAIL FROM:<noreply@app.example> SIZE=3412",
                                   "S: 250 2.1.0 Ok", "C: RCPT TO:<ada@example.org>", "S: 250 2.1.5 Ok", "C: DATA", "S: 354 End data with <CR><LF>.<CR><LF>",
                                   "S: 250 2.0.0 Ok: queued as 1795000000-1-000001"].map { TranscriptLine(tagged: $0) },
                      faults: []),
        MailServer.StoredMessage(id: "1795000060-2-000002", path: "/data/mailtui/inbox/1795000060-2-000002.eml", from: "billing@shop.example", fromParameters: [],
                      recipients: [.init(address: "ops@example.org", parameters: []), .init(address: "finance@example.org", parameters: [])],
                      helo: "shop.example", client: "127.0.0.1:50002", tls: nil, authUser: nil, authMechanism: nil, time: 1_795_000_060, bytes: 48_213,
                      subject: "=?utf-8?Q?Ihre_Rechnung_Nr=2E_42_=E2=80=93_Gr=C3=BC=C3=9Fe?=", transcript: [], faults: ["rcpt=450 4.2.0 Try later (once)"]),
        MailServer.StoredMessage(id: "1795000125-3-000003", path: "/data/mailtui/inbox/1795000125-3-000003.eml", from: "", fromParameters: [],
                      recipients: [.init(address: "noreply@app.example", parameters: [])], helo: "mx.example.org", client: "127.0.0.1:50003",
                      tls: "TLSv1.2", authUser: nil, authMechanism: nil, time: 1_795_000_125, bytes: 912,
                      subject: "Undelivered Mail Returned to Sender: your message to nobody@example.org could not be delivered", transcript: [], faults: []),
    ]

    /// The compose screen with the local server running and its messages caught.
    static func composeWithInbox(_ width: Int, _ height: Int, colors: Bool = true) -> AppState {
        var s = GoldenScreenTests.form(width, height, colors: colors)
        s.localServer = server
        for message in messages { _ = s.update(.server(.message(message))) }
        return s
    }

    static func inbox(_ width: Int, _ height: Int, colors: Bool = true) -> AppState {
        var s = composeWithInbox(width, height, colors: colors)
        _ = s.update(.key(.function(2)))
        _ = s.update(.key(.down))
        return s
    }

    /// The oldest message's file: a text and an HTML part and a PDF, but no Date or Message-ID,
    /// so the checks have something to say. Its second paragraph is one long line, as mail made
    /// from HTML often is: the view wraps it at the screen's edge.
    static let raw = Array(("""
    From: App <noreply@app.example>\r
    To: Ada Lovelace <ada@example.org>\r
    Subject: Reset your password\r
    MIME-Version: 1.0\r
    Content-Type: multipart/mixed; boundary="m"\r
    \r
    --m\r
    Content-Type: multipart/alternative; boundary="a"\r
    \r
    --a\r
    Content-Type: text/plain; charset=utf-8\r
    \r
    Hello Ada,\r
    \r
    someone asked to reset the password of your account. If it was you, open the link below within the next hour; if not, ignore this message and nothing changes.\r
    \r
    http://app.example/reset?t=1\r
    \r
    Grüße, the App team\r
    --a\r
    Content-Type: text/html; charset=utf-8\r
    \r
    <p>Hello Ada,</p><p>Reset it <a href="http://app.example/reset?t=1">here</a>.</p>\r
    --a--\r
    --m\r
    Content-Type: application/pdf; name="terms.pdf"\r
    Content-Disposition: attachment; filename="terms.pdf"\r
    Content-Transfer-Encoding: base64\r
    \r
    JVBERi0xLjcK\r
    --m--\r

    """).utf8)

    static func message(_ tab: MessageTab) -> (Int, Int) -> AppState {
        { width, height in
            var s = inbox(width, height)
            _ = s.update(.key(.down))
            _ = s.update(.key(.enter))
            let record = s.captured[2]
            _ = s.update(.capturedRead(id: record.id, content: CapturedMessage(bytes: raw, envelopeFrom: record.from), problem: nil))
            _ = s.update(.dkimChecked(id: record.id, verdict: .unsigned))
            // check-message's checks, offline so that the screen is the same on every machine.
            _ = s.update(.messageChecked(id: record.id, checks: CaughtMessageChecks.run(raw, envelopeFrom: record.from, dns: nil)))
            _ = s.update(.key(.character(Character(String(tab.rawValue + 1)))))
            return s
        }
    }

    static func faults(_ width: Int, _ height: Int) -> AppState {
        var s = composeWithInbox(width, height)
        _ = s.update(.key(.function(12)))
        _ = s.update(.faultsChanged(active: ["rcpt=450 4.2.0 Try later (once)"], problem: nil, changed: false))
        _ = s.update(.key(.down))
        return s
    }

    /// `mailtui serve`: what ServeCommand puts in the header, with a fixed port and paths.
    static func serve(_ width: Int, _ height: Int, colors: Bool = true) -> AppState {
        var s = AppState(width: width, height: height, colors: colors)
        s.serving = ["SMTP (STARTTLS offered): 127.0.0.1:2525", "SMTPS (implicit TLS):    127.0.0.1:2465",
                     "CA to trust: /data/mailtui/tls/ca.pem  (curl --cacert, mailtui --ca-file)", "Inbox: /data/mailtui/inbox",
                     "Flask: MAIL_SERVER=127.0.0.1 MAIL_PORT=2525"]
        s.localServer = server
        s.captured = messages.reversed()
        s.activeFaults = ["rcpt=450 4.2.0 Try later (once)"]
        s.overlay = .inbox(selected: 0)
        return s
    }

    static var screens: [(String, [(Int, Int)], (Int, Int) -> AppState)] {
        let all = GoldenScreenTests.sizes, one = [(120, 40)]
        return [
            ("inbox", all, { w, h in inbox(w, h) }),
            ("inbox-mono", [(80, 24)], { w, h in inbox(w, h, colors: false) }),
            // Issue 26: the mailbox of the login "app" chosen with m (all → default → app).
            ("inbox-mailbox", all, { w, h in
                var s = inbox(w, h)
                _ = s.update(.key(.character("m")))
                _ = s.update(.key(.character("m")))
                return s
            }),
            ("message-text", all, message(.text)),
            ("message-html", one, message(.html)),
            ("message-headers", one, message(.headers)),
            ("message-structure", one, message(.structure)),
            ("message-raw", one, message(.raw)),
            ("message-conversation", one, message(.conversation)),
            ("message-checks", all, message(.checks)),
            ("faults", all, faults),
            ("serve", all, { w, h in serve(w, h) }),
            // serve with app's mailbox chosen, its one message deleted: why nothing is shown.
            ("serve-mailbox-empty", [(80, 24)], { w, h in
                var s = serve(w, h)
                for key in ["m", "m", "d"] { _ = s.update(.key(.character(Character(key)))) }
                return s
            }),
            ("serve-empty", [(80, 24)], { w, h in
                var s = serve(w, h)
                s.captured = []
                s.activeFaults = []
                return s
            }),
        ]
    }

    @Test(arguments: screens.map(\.0))
    func screenMatchesItsGoldenFile(_ name: String) throws {
        let (_, sizes, make) = try #require(Self.screens.first { $0.0 == name })
        for (width, height) in sizes { GoldenFile.check(Renderer.render(make(width, height)), name: name) }
    }
}

/// What the golden files showed: at 80 columns, the usual terminal, serve's status line and its
/// empty inbox's hint were cut short ("F10 or Ctrl-C stops the se…").
@Suite struct ServeScreenAt80ColumnsTests {
    @Test func theStatusAndTheEmptyInboxHintAreWhole() throws {
        var s = GoldenInboxScreenTests.serve(80, 24)
        s.captured = []
        let screen = Renderer.render(s)
        let hint = try #require((0..<screen.height).first { screen.row($0).contains("Nothing caught yet") }, "\(screen.text)")
        #expect(!screen.row(hint).contains("…"), "\(screen.row(hint))")
        #expect(!screen.row(22).contains("…") && screen.row(22).contains("Ctrl-C"), "\(screen.row(22))")
    }
}

/// What the golden files showed: a bounce (MAIL FROM:<>) was listed as "11:08   → noreply@…",
/// a blank where the message view says "<>".
@Suite struct BounceInTheInboxTests {
    @Test func theNullSenderIsShownAsAngleBrackets() {
        let bounce = GoldenInboxScreenTests.messages[2]
        #expect(bounce.from.isEmpty)
        #expect(InboxRow.text(bounce, subject: "x").contains("  <> → noreply@app.example  \"x\""), "\(InboxRow.text(bounce, subject: "x"))")
    }
}
