import Foundation
import Testing
@testable import MailTUI
@testable import MailCore
@testable import MailClient
import TestSupport

/// Whole screens, every cell's character and style and the cursor, compared with golden files in
/// Tests/MailTUITests/Golden (like ratatui's assert_buffer_lines): a layout change shows up as a
/// diff of what a person sees. `GoldenFile` has the format and how to rewrite them.
@Suite struct GoldenScreenTests {
    static let sizes = [(80, 24), (120, 40), (200, 50)]

    init() {
        setenv("TZ", "UTC", 1)
        tzset()
        TerminalLocale.adopt()
    }

    /// A filled-in form, as after a few minutes of use.
    static func form(_ width: Int, _ height: Int, colors: Bool = true) -> AppState {
        var s = AppState(width: width, height: height, colors: colors)
        s.apply(settings: ServerSettings(host: "smtp.example.com", security: .starttls, caFile: "/etc/ssl/private/company-root-ca.pem",
                                         username: "app@example.com"))
        s.apply(draft: MessageDraft(from: "App <noreply@example.com>", to: "Ada Lovelace <ada@example.org>", cc: "ops@example.org",
                                    subject: "Password reset for Zoë ✓", textBody: "Hello Ada,\n\nyour reset link: https://example.com/r/abc\n"),
                inspected: [AttachmentItem(spec: AttachmentSpec(path: "/tmp/report.pdf"), size: 48_213, mimeType: "application/pdf", problem: nil)])
        s.focus = .to
        return s
    }

    static func line(_ ms: Int64, _ speaker: Speaker, _ inTLS: Bool, _ text: String) -> TranscriptLine {
        TranscriptLine(elapsed: .milliseconds(ms), speaker: speaker, inTLS: inTLS, stage: .auth, text: text)
    }

    static let transcript: [TranscriptLine] = [
        line(0, .note, false, "Connected to smtp.example.com (203.0.113.7) port 587"), line(21, .server, false, "220 smtp.example.com ESMTP ready"),
        line(22, .client, false, "EHLO client.example"), line(40, .server, false, "250-smtp.example.com"), line(40, .server, false, "250-STARTTLS"),
        line(40, .server, false, "250 SIZE 35882577"), line(41, .client, false, "STARTTLS"), line(60, .server, false, "220 2.0.0 Ready to start TLS"),
        line(95, .client, true, "EHLO client.example"), line(112, .server, true, "250-AUTH PLAIN LOGIN"), line(112, .server, true, "250 SIZE 35882577"),
        line(113, .client, true, "AUTH PLAIN [credentials hidden]"),
    ]

    static func report(_ failure: SessionFailure?) -> SessionReport {
        SessionReport(failure: failure, finalReply: ServerReply(code: 250, lines: ["2.0.0 Ok: queued as 4F2A1"]), acceptedRecipients: ["ada@example.org"],
                      rejectedRecipients: [], greeting: ServerReply(code: 220, lines: ["smtp.example.com ESMTP ready"]),
                      extensions: ["AUTH PLAIN LOGIN", "SIZE 35882577", "8BITMIME"], extensionsBeforeTLS: ["STARTTLS", "SIZE 35882577"], tls: nil,
                      authenticated: failure == nil, stageTimes: [], elapsed: .milliseconds(187), messageBytes: 1_234, transcript: transcript)
    }

    static var screens: [(String, (Int, Int) -> AppState)] {
        [
            ("compose", { w, h in form(w, h) }),
            ("sent", { w, h in
                var s = form(w, h)
                s.transcript = transcript
                s.phase = .sent(reply: "Sent: 250 2.0.0 Ok: queued as 4F2A1", elapsed: .milliseconds(187), refused: [])
                return s
            }),
            ("failed", { w, h in
                var s = form(w, h)
                s.transcript = transcript + [TranscriptLine(elapsed: .milliseconds(140), speaker: .server, inTLS: true, stage: .auth,
                                                            text: "535 5.7.8 Username and Password not accepted. For more information, go to https://support.google.com/mail/?p=BadCredentials")]
                let failure = SessionFailure(stage: .auth, kind: .authFailed, reply: ServerReply(code: 535, lines: ["5.7.8 Username and Password not accepted."]),
                                             explanation: "The server rejected the username or password.",
                                             suggestions: ["Check the username (--user, MAIL_USERNAME) and the password (MAIL_PASSWORD).",
                                                           "With Gmail, use an app password (--auth plain with --security tls on port 465 also works)."])
                s.phase = .failed(failure, elapsed: .milliseconds(141))
                return s
            }),
            ("probe", { w, h in
                var s = form(w, h)
                s.transcript = transcript
                s.phase = .probed(lines: ProbeSummary.lines(report(nil), settings: s.settings, now: 1_795_000_000), failure: nil)
                return s
            }),
            ("help", { w, h in
                var s = form(w, h)
                _ = s.update(.key(.function(1)))
                return s
            }),
            ("profiles", { w, h in
                var s = form(w, h)
                _ = s.update(.key(.function(8)))
                _ = s.update(.profilesLoaded([Profile(name: "work", settings: ServerSettings(host: "smtp.example.com", username: "app@example.com")),
                                              Profile(name: "local", settings: ServerSettings(host: "127.0.0.1", port: 2525, security: .none))], problem: nil))
                return s
            }),
            ("history", { w, h in
                var s = form(w, h)
                _ = s.update(.key(.function(9)))
                let failure = SessionFailure(stage: .rcpt, kind: .recipientRejected, reply: ServerReply(code: 550, lines: ["5.1.1 no such user"]),
                                             explanation: "The server refused a recipient.", suggestions: [])
                let entries = [
                    HistoryEntry(kind: .send, profile: "work", settings: s.settings, draft: s.draft, recipients: ["ada@example.org"], report: report(nil), time: 1_795_000_000),
                    HistoryEntry(kind: .send, profile: nil, settings: ServerSettings(host: "mx.example.net", port: 25, security: .none),
                                 draft: MessageDraft(subject: "Weekly report"), recipients: ["x@example.net"], report: report(failure), time: 1_794_990_000),
                    HistoryEntry(kind: .probe, profile: nil, settings: s.settings, draft: nil, recipients: [], report: report(nil), time: 1_794_980_000),
                ]
                _ = s.update(.historyLoaded(entries))
                return s
            }),
            ("signin", { w, h in
                var s = form(w, h)
                s.authMechanism = .xoauth2
                s.oauth.account = TextField("work")
                _ = s.update(.oauth(.accountLoaded(name: "work", status: .notSignedIn)))
                s.focus = .password
                _ = s.update(.key(.enter))
                _ = s.update(.oauth(.codeReady(id: s.oauth.signIn, url: "https://microsoft.com/devicelogin", code: "ABCD-1234", expiresIn: 900)))
                return s
            }),
            ("relay-confirm", { w, h in
                var s = form(w, h)
                s.localServerAllowed = true
                s.localServer = "127.0.0.1:2525"
                _ = s.update(.key(.control("y")))
                return s
            }),
            ("preview", { w, h in
                var s = form(w, h)
                let message = try! s.draft.validated(checkingFiles: false)
                let bytes = (try? MessageRenderer(options: .deterministic).render(MessageDraft(from: s.draft.from, to: s.draft.to, subject: s.draft.subject,
                                                                                               textBody: s.draft.textBody).validated()).readAll()) ?? []
                let lines = ["Preview: \(ByteCount.human(bytes.count)) to \(message.envelopeRecipients.joined(separator: ", "))", "MIME: text/plain; charset=utf-8", ""]
                    + String(decoding: bytes, as: UTF8.self).components(separatedBy: "\r\n")
                _ = s.update(.previewReady(lines: lines, problems: [:]))
                return s
            }),
        ]
    }

    @Test(arguments: screens.map(\.0))
    func screenMatchesItsGoldenFile(_ name: String) throws {
        let make = try #require(Self.screens.first { $0.0 == name }).1
        for (width, height) in Self.sizes { GoldenFile.check(Renderer.render(make(width, height)), name: name) }
    }

    /// Without colours (NO_COLOR, a monochrome terminal) the focus and the bars are attributes.
    @Test func composeWithoutColours() {
        GoldenFile.check(Renderer.render(Self.form(80, 24, colors: false)), name: "compose-mono")
    }
}
