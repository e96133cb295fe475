import Foundation
import Testing
@testable import MailCore
@testable import MailChecks
@testable import MailClient
@testable import MailAppData
import _CryptoExtras
import TestSupport

/// Every parser of outside input, fed thousands of seeded random variations of valid input: none
/// may trap, and what they accept must be usable (settings pass their own checks or say why not).
@Suite struct ParserPropertyTests {
    static let rounds = 3000

    static let config = """
    default_profile = "work"
    history_limit = 500

    [profiles.work]
    server = "smtp.example.com"
    port = 587
    security = "starttls"
    user = "app@example.com"
    timeout = 12.5
    password_env = "WORK_SMTP_PASSWORD"
    from = "App <noreply@example.com>"

    [profiles."a.b"]
    server = "h"
    """

    @Test func configFiles() {
        var fuzz = Fuzz(seed: 1)
        for _ in 0..<Self.rounds {
            let text = fuzz.mutate(Self.config)
            try? Data(text.utf8).write(to: URL(fileURLWithPath: "/tmp/last-config.toml"))
            guard let config = try? ConfigFile.parse(text, path: "c.toml") else { continue }
            for profile in config.profiles {
                if let problem = profile.settings.timeouts.problem { Issue.record("accepted an unusable timeout: \(problem)") }
                _ = profile.settings.problems()
            }
            _ = ConfigFile.render(config)
        }
    }

    @Test func drafts() throws {
        var fuzz = Fuzz(seed: 2)
        let encoder = JSONEncoder()
        var settings = ServerSettings(host: "smtp.example.com", port: 587, username: "u")
        settings.timeouts = Timeouts(perStep: 20)
        let draft = Draft(settings: settings, message: MessageDraft(from: "a@example.com", to: "b@example.com", subject: "s", textBody: "t"), savedAt: 1)
        let valid = String(decoding: try encoder.encode(draft), as: UTF8.self)
        let path = TestPaths.temporaryDirectory("mailtui-fuzz") + "/draft.json"
        let store = DraftStore(path: path)
        for round in 0..<Self.rounds {
            let text = round % 10 == 0 ? String(decoding: fuzz.bytes(count: 200), as: UTF8.self) : fuzz.mutate(valid)
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            guard let loaded = store.load() else { continue }
            _ = loaded.settings.problems()
            _ = loaded.settings.timeouts.perStepText
            _ = try? loaded.message.validated()
        }
    }

    @Test func historyFiles() throws {
        var fuzz = Fuzz(seed: 3)
        let path = TestPaths.temporaryDirectory("mailtui-fuzz") + "/history.jsonl"
        let store = HistoryStore(path: path, limit: 5)
        let report = SessionReport(failure: nil, finalReply: ServerReply(code: 250, lines: ["ok"]), acceptedRecipients: ["b@example.com"],
                                   rejectedRecipients: [], greeting: nil, extensions: [], extensionsBeforeTLS: nil, tls: nil,
                                   authenticated: false, stageTimes: [], elapsed: .seconds(1), messageBytes: 10, transcript: [])
        try store.append(HistoryEntry(kind: .send, profile: nil, settings: ServerSettings(host: "h"),
                                      draft: MessageDraft(from: "a@example.com", to: "b@example.com"), recipients: ["b@example.com"], report: report))
        let valid = try String(contentsOfFile: path, encoding: .utf8)
        for _ in 0..<Self.rounds {
            try Data(fuzz.mutate(valid).utf8).write(to: URL(fileURLWithPath: path))
            for entry in store.entries() {
                _ = entry.settings.problems()
                _ = entry.transcript.map(\.text)
            }
        }
    }

    @Test func serverReplies() {
        var fuzz = Fuzz(seed: 4)
        let conversation = ["220 mx ESMTP\r\n", "250-mx\r\n250-AUTH PLAIN LOGIN\r\n250 SIZE 10\r\n", "334 VXNlcm5hbWU6\r\n",
                            "235 2.7.0 ok\r\n", "250 ok\r\n", "550 5.1.1 <x@y>: no\r\n", "354 go\r\n", "221 bye\r\n"]
        let kinds: [DebugKind] = [.headerIn, .headerOut, .text, .dataOut, .other]
        for round in 0..<(Self.rounds / 3) {
            let recorder = SessionRecord(security: .starttls, credentialsSet: true, emit: { _ in })
            for step in 0..<30 {
                let kind = kinds[(round + step) % kinds.count]
                let bytes: [UInt8] = step % 4 == 0 ? fuzz.bytes(count: Int.random(in: 0...300, using: &fuzz))
                                                   : Array(fuzz.mutate(conversation.randomElement(using: &fuzz)!).utf8)
                bytes.withUnsafeBytes { recorder.curlDebug(kind, $0) }
            }
            #expect(recorder.transcript.lines.allSatisfy { !$0.text.unicodeScalars.contains { $0.value < 32 || $0.value == 0x7F } })
            let evidence = FailureEvidence(curlCode: 28, curlMessage: "x", stage: recorder.facts.failingStage, settings: ServerSettings(host: "h"))
            _ = FailureClassifier.classify(evidence)
        }
    }

    @Test func addresses() {
        var fuzz = Fuzz(seed: 5)
        let seeds = ["Zoë Example <zoe@example.com>", "\"Doe, J.\" <j@example.com>, b@example.org", "=?utf-8?B?w6k=?= <x@y.z>", "a@[127.0.0.1]"]
        for _ in 0..<Self.rounds {
            let text = fuzz.mutate(seeds.randomElement(using: &fuzz)!)
            if let list = try? Mailbox.parseList(text) {
                for mailbox in list {
                    #expect(!mailbox.address.contains { $0 == "\r" || $0 == "\n" }, "an accepted address holds a line break: \(text.debugDescription)")
                }
            }
            _ = try? MessageDraft(from: text, to: text, subject: text).validated()
        }
    }

    @Test func flaskSources() {
        var fuzz = Fuzz(seed: 6)
        let dotenv = "MAIL_SERVER=smtp.example.com\nMAIL_PORT=587\nMAIL_USE_TLS=True\nMAIL_USERNAME='a'\nMAIL_DEFAULT_SENDER=\"A <a@b.c>\"\n"
        let python = "MAIL_SERVER = 'h'\nMAIL_PORT = int(os.environ.get('MAIL_PORT') or 25)\nMAIL_DEFAULT_SENDER = ('A', 'a@b.c')\n"
            + "MAIL_USE_TLS = os.environ.get('MAIL_USE_TLS', 'true').strip().lower() in ['true', 'on', '1']\nMAIL_USE_SSL = os.getenv('S') == '1'\nEMAIL_HOST = 'x'\n"
        for _ in 0..<Self.rounds {
            // Every finding of a mangled file names a line the file has.
            let mangled = fuzz.mutate(dotenv)
            // Lines as python-dotenv counts them: CR LF, LF and a lone CR each end one.
            let scalars = Array(mangled.unicodeScalars)
            let lines = 1 + scalars.indices.filter { scalars[$0] == "\n" || (scalars[$0] == "\r" && ($0 + 1 == scalars.count || scalars[$0 + 1] != "\n")) }.count
            let imported = FlaskImport(FlaskSources.dotenv(mangled, path: ".env"))
            _ = imported.settings.problems()
            for finding in imported.findings { #expect((finding.line ?? 1) <= lines, "\(finding) in \(mangled.debugDescription)") }
            _ = FlaskImport(FlaskSources.pythonConfig(fuzz.mutate(python), environment: ["MAIL_USE_TLS": "On "])).findings
        }
    }

    /// DNS answers from a server are outside input: mangled ones give nil or records, never a trap.
    @Test func dnsAnswers() {
        var fuzz = Fuzz(seed: 7)
        // A real answer: example.test TXT "v=spf1 -all", with a compression pointer.
        let answer: [UInt8] = [0x12, 0x34, 0x81, 0x80, 0, 1, 0, 2, 0, 0, 0, 0,
                               7] + Array("example".utf8) + [4] + Array("test".utf8) + [0, 0, 16, 0, 1,
                               0xC0, 12, 0, 16, 0, 1, 0, 0, 0, 60, 0, 12, 11] + Array("v=spf1 -all".utf8)
            + [0xC0, 12, 0, 15, 0, 1, 0, 0, 0, 60, 0, 4, 0, 10, 0xC0, 12]
        let records = DNSMessage.answers(answer)
        #expect(records?.first?.data == .text(["v=spf1 -all"]) && records?.last?.data == .mx(preference: 10, exchange: "example.test"))
        for _ in 0..<Self.rounds {
            var mangled = answer
            for _ in 0..<Int.random(in: 1...6, using: &fuzz) {
                let index = Int.random(in: 0..<mangled.count, using: &fuzz)
                mangled[index] = UInt8.random(in: 0...255, using: &fuzz)
            }
            if Bool.random(using: &fuzz) { mangled = Array(mangled.prefix(Int.random(in: 0...mangled.count, using: &fuzz))) }
            _ = DNSMessage.answers(mangled)
            _ = DNSMessage.answers(fuzz.bytes(count: Int.random(in: 0...64, using: &fuzz)))
        }
        // A pointer loop ends.
        #expect(DNSMessage.answers([0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 12, 0, 1, 0, 1]) == nil)
    }

    /// SPF, DKIM and DMARC records come from DNS: any text parses or is refused, and evaluation of
    /// whatever parses ends.
    @Test func domainRecords() {
        var fuzz = Fuzz(seed: 8)
        let seeds = ["v=spf1 ip4:192.0.2.0/24 a/24//64 mx:%{d} include:_spf.%{o} exists:%{ir}.%{v}._spf.%{d2} redirect=x.test -all",
                     "v=DKIM1; k=rsa; t=y:s; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA",
                     "v=DMARC1; p=reject; sp=none; pct=50; rua=mailto:a@b.test,mailto:c@d.test; adkim=s; aspf=r"]
        struct Nothing: DNSResolving {
            /// Every name includes itself.
            func query(_ name: String, _ type: DNSType) -> DNSAnswer { .records([DNSRecord(name: name, type: 16, data: .text(["v=spf1 include:\(name) -all"]))]) }
        }
        for _ in 0..<Self.rounds {
            for seed in seeds {
                let text = fuzz.mutate(seed)
                if case .success(let record) = SPFRecord.parse(text) {
                    for term in record.terms { _ = term.value.map { MacroString.expand($0, ip: "2001:db8::1", domain: "x.test", sender: "a@x.test") } }
                }
                if case .success(let key) = DKIMKeyRecord.parse(text) { _ = key.keyBits }
                _ = DMARCRecord.parse(text)
            }
        }
        var evaluator = SPFEvaluator(dns: Nothing())
        #expect(evaluator.check(ip: "192.0.2.1", domain: "loop.test") == .permerror, "an include loop ends")
        #expect(evaluator.problem == "more than 10 DNS lookups")
        for _ in 0..<Self.rounds { _ = RSAModulus.bits(fuzz.bytes(count: Int.random(in: 0...80, using: &fuzz))) }
    }

    /// A received message is outside input: the DKIM verifier takes any mangling of a signed one
    /// (and of its key record) and gives a verdict.
    @Test func dkimVerification() throws {
        var fuzz = Fuzz(seed: 9)
        let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let pem = key.pemRepresentation
        let signer = try DKIMSigner(pem: pem, selector: "s", domain: "fuzz.test")
        let draft = MessageDraft(from: "a@fuzz.test", to: "b@example.org", subject: "Fuzz", textBody: "Hello  \n\nworld")
        let signed = try signer.sign(MessageRenderer().render(try draft.validated()), time: 1_800_000_000).readAll()
        let record = "v=DKIM1; k=rsa; p=" + Base64.encode(Array(key.publicKey.derRepresentation))
        struct Keys: DNSResolving {
            let record: String
            func query(_ name: String, _ type: DNSType) -> DNSAnswer { .records([DNSRecord(name: name, type: 16, data: .text([record]))]) }
        }
        #expect(DKIMVerifier(dns: Keys(record: record)).verify(signed) == .pass(domain: "fuzz.test", selector: "s", algorithm: "rsa-sha256"))
        let text = String(decoding: signed, as: UTF8.self)
        for _ in 0..<300 {
            _ = DKIMVerifier(dns: Keys(record: record)).verify(Array(fuzz.mutate(text).utf8))
            _ = DKIMVerifier(dns: Keys(record: fuzz.mutate(record))).verify(signed)
        }
    }
}
