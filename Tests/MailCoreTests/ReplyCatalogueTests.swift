import Testing
@testable import MailCore
@testable import MailClient
@testable import MailDiagnosis

/// Every entry of the reply catalogue, matched by a reply worded as the provider words it; the
/// entries before it must not take it.
@Suite struct ReplyCatalogueTests {
    /// One real-world wording per entry, by id.
    static let samples: [String: ServerReply] = [
        "gmail-app-password": ServerReply(code: 534, lines: ["5.7.9 Application-specific password required. For more information, go to",
                                                             "5.7.9  https://support.google.com/mail/?p=InvalidSecondFactor d2-20020a05 - gsmtp"]),
        "gmail-web-login": ServerReply(code: 534, lines: ["5.7.14 <https://accounts.google.com/signin/continue?sarp=1&scc=1> Please log in via your web browser and",
                                                          "5.7.14 then try again. - gsmtp"]),
        "gmail-bad-credentials": ServerReply(code: 535, lines: ["5.7.8 Username and Password not accepted. For more information, go to",
                                                                "5.7.8  https://support.google.com/mail/?p=BadCredentials a1-20020a17 - gsmtp"]),
        "microsoft-basic-auth-off": ServerReply(code: 550, lines: ["5.7.30 Basic authentication is not supported for Client Submission."]),
        "m365-smtp-auth-disabled": ServerReply(code: 535, lines: ["5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information. [AM0PR10CA0001.EURPRD10.PROD.OUTLOOK.COM]"]),
        "microsoft-auth-unsuccessful": ServerReply(code: 535, lines: ["5.7.3 Authentication unsuccessful [BN9PR03CA0123.namprd03.prod.outlook.com]"]),
        "m365-not-authenticated": ServerReply(code: 530, lines: ["5.7.57 Client not authenticated to send mail. Error: 535 5.7.139 Authentication unsuccessful [DB9PR02CA0001.eurprd02.prod.outlook.com]"]),
        "m365-send-as-denied": ServerReply(code: 550, lines: ["5.7.60 SMTP; Client does not have permissions to send as this sender [AM6PR04MB1234.eurprd04.prod.outlook.com]"]),
        "starttls-first": ServerReply(code: 530, lines: ["5.7.0 Must issue a STARTTLS command first. a1sm123 - gsmtp"]),
        "ses-not-verified": ServerReply(code: 554, lines: ["Message rejected: Email address is not verified. The following identities failed the check in region EU-WEST-1: app@example.com"]),
        "sendgrid-sender-identity": ServerReply(code: 550, lines: ["The from address does not match a verified Sender Identity. Mail cannot be sent until this error is resolved. Visit https://sendgrid.com/docs/for-developers/sending-email/sender-identity/ to see the Sender Identity requirements"]),
        "sender-not-owned": ServerReply(code: 553, lines: ["5.7.1 <boss@example.com>: Sender address rejected: not owned by user app@example.com"]),
        "ses-throttling": ServerReply(code: 454, lines: ["Throttling failure: Maximum sending rate exceeded."]),
        "gmail-daily-limit": ServerReply(code: 550, lines: ["5.4.5 Daily user sending limit exceeded. For more information on Gmail",
                                                            "5.4.5 sending limits go to",
                                                            "5.4.5  https://support.google.com/a/answer/166852 - gsmtp"]),
        "rate-limited": ServerReply(code: 421, lines: ["4.7.0 Try again later, closing connection. (EHLO) a1-20020a05 - gsmtp"]),
        "greylisting": ServerReply(code: 451, lines: ["4.7.1 <ada@example.org>: Recipient address rejected: Greylisted, see https://postgrey.schweikert.ch/help/example.org.html"]),
        "too-many-recipients": ServerReply(code: 452, lines: ["4.5.3 Too many recipients"]),
        "mailbox-full": ServerReply(code: 552, lines: ["5.2.2 The email account that you tried to reach is over quota. Please direct the recipient to",
                                                       "5.2.2  https://support.google.com/mail/?p=OverQuotaPerm - gsmtp"]),
        "dmarc-rejection": ServerReply(code: 550, lines: ["5.7.26 Unauthenticated email from example.com is not accepted due to domain's",
                                                          "5.7.26 DMARC policy. Please contact the administrator of example.com domain - gsmtp"]),
        "unauthenticated-sender": ServerReply(code: 550, lines: ["5.7.26 This mail has been blocked because the sender is unauthenticated. Gmail requires all senders to authenticate with either SPF or DKIM. - gsmtp"]),
        "spf-rejection": ServerReply(code: 550, lines: ["5.7.1 Sender Policy Framework (SPF) check failed: 192.0.2.10 is not designated as a permitted sender"]),
        "relay-denied": ServerReply(code: 554, lines: ["5.7.1 <ada@example.org>: Relay access denied"]),
        "policy-rejection": ServerReply(code: 550, lines: ["5.7.1 Message rejected as spam by Content Filtering."]),
        "too-many-logins": ServerReply(code: 535, lines: ["5.7.0 (#AUTH005) Too many bad auth attempts."]),
        "auth-not-enabled": ServerReply(code: 503, lines: ["5.5.1 Error: authentication not enabled"]),
        "tls-unavailable": ServerReply(code: 454, lines: ["4.7.0 TLS not available due to local problem"]),
        "sendgrid-credits": ServerReply(code: 451, lines: ["Authentication failed: Maximum credits exceeded"]),
        "sender-domain": ServerReply(code: 553, lines: ["5.1.8 <app@example.com>... Domain of sender address app@example.com does not exist"]),
        "helo-rejected": ServerReply(code: 504, lines: ["5.5.2 <localhost>: Helo command rejected: need fully-qualified hostname"]),
        "too-many-connections": ServerReply(code: 421, lines: ["4.7.0 mx.example.org Error: too many connections from 192.0.2.10"]),
        "server-storage": ServerReply(code: 452, lines: ["4.3.1 Insufficient system storage"]),
        "no-valid-recipients": ServerReply(code: 554, lines: ["5.5.1 Error: no valid recipients"]),
        "reverse-dns": ServerReply(code: 450, lines: ["4.7.1 Client host rejected: cannot find your reverse hostname, [192.0.2.10]"]),
        "use-submission-server": ServerReply(code: 550, lines: ["5.7.1 [192.0.2.10] The IP you're using to send mail is not authorized to",
                                                                "5.7.1 send email directly to our servers. Please use the SMTP relay at your",
                                                                "5.7.1 service provider instead. - gsmtp"]),
        "blocked-ip": ServerReply(code: 554, lines: ["5.7.1 Service unavailable; Client host [192.0.2.10] blocked using zen.spamhaus.org"]),
    ]

    /// The stage each sample answers, where it is not MAIL FROM: entries may be limited to stages.
    static let stages: [String: SMTPStage] = [
        "gmail-app-password": .auth, "gmail-web-login": .auth, "gmail-bad-credentials": .auth, "m365-smtp-auth-disabled": .auth,
        "microsoft-basic-auth-off": .auth,
        "microsoft-auth-unsuccessful": .auth, "too-many-logins": .auth, "auth-not-enabled": .auth, "tls-unavailable": .tls,
        "no-valid-recipients": .data,
    ]

    static func stage(of id: String) -> SMTPStage { stages[id] ?? .mail }

    @Test func everyEntryHasASampleAndTheSampleFindsIt() {
        for entry in ReplyCatalogue.entries {
            guard let sample = Self.samples[entry.id] else {
                Issue.record("no sample reply for \(entry.id)")
                continue
            }
            let found = ReplyCatalogue.match(sample, at: Self.stage(of: entry.id))
            #expect(found?.id == entry.id, "\(sample) matched \(found?.id ?? "nothing"), not \(entry.id)")
        }
        #expect(Set(Self.samples.keys) == Set(ReplyCatalogue.entries.map(\.id)), "a sample for an entry that does not exist")
        #expect(Set(ReplyCatalogue.entries.map(\.id)).count == ReplyCatalogue.entries.count, "ids are unique")
    }

    @Test func everyEntrySaysWhatToDoAndNamesAKnownProvider() {
        for entry in ReplyCatalogue.entries {
            #expect(!entry.explanation.isEmpty && !entry.suggestions.isEmpty, "\(entry.id)")
            if let provider = entry.provider { #expect(Provider.named(provider) != nil, "\(entry.id) names \(provider)") }
        }
    }

    @Test func ordinaryRepliesMatchNothing() {
        for (reply, stage) in [(ServerReply(code: 550, lines: ["5.1.1 <nobody@example.org>: Recipient address rejected: User unknown"]), SMTPStage.rcpt),
                               (ServerReply(code: 535, lines: ["Authentication failed"]), .auth),
                               (ServerReply(code: 451, lines: ["4.3.0 Local error in processing"]), .data),
                               (ServerReply(code: 503, lines: ["5.5.1 Error: need RCPT command"]), .data),
                               (ServerReply(code: 250, lines: ["2.0.0 OK"]), .tls)] {
            #expect(ReplyCatalogue.match(reply, at: stage) == nil, "\(reply)")
        }
    }

    @Test func linksAreQuotedWithoutTheirPunctuation() {
        #expect(ReplyCatalogue.links(in: Self.samples["gmail-bad-credentials"]!) == ["https://support.google.com/mail/?p=BadCredentials"])
        #expect(ReplyCatalogue.links(in: Self.samples["gmail-web-login"]!) == ["https://accounts.google.com/signin/continue?sarp=1&scc=1"])
        #expect(ReplyCatalogue.links(in: ServerReply(code: 550, lines: ["no link here"])).isEmpty)
    }

    @Test func aStatusCodeLaterInTheReplyCounts() {
        #expect(ReplyCatalogue.statusAnywhere(in: ServerReply(code: 554, lines: ["Transaction failed: 5.7.1 (policy)"])) == "5.7.1")
        #expect(ReplyCatalogue.statusAnywhere(in: ServerReply(code: 554, lines: ["version 1.2.3456 here"])) == nil)
    }

    @Test func aKnownReplyMakesTheKindPreciseAndTheProviderAddsAdvice() throws {
        let e = FailureEvidence(curlCode: 67, curlMessage: "", stage: .auth, settings: ServerSettings(host: "smtp.gmail.com", port: 587))
        let sample = try #require(Self.samples["gmail-app-password"])
        let meaning = FailureClassifier.meaning(of: sample, at: .auth, evidence: e)
        #expect(meaning.kind == .authAppPasswordRequired)
        let words = Diagnosis.explainKnowing(kind: meaning.kind, stage: .auth, reply: sample, evidence: e,
                                             provider: Provider.recognise(host: "smtp.gmail.com"))
        #expect(words.advice == "gmail-app-password")
        #expect(words.explanation.contains("app password"))
        #expect(words.suggestions.contains { $0.contains("https://support.google.com/mail/?p=InvalidSecondFactor") }, "the reply's link is quoted")
        #expect(words.suggestions.contains { $0.hasPrefix("Gmail / Google Workspace: ") })

        let relaySample = try #require(Self.samples["relay-denied"])
        let relay = FailureClassifier.meaning(of: relaySample, at: .rcpt, evidence: e)
        let plain = Diagnosis.explainKnowing(kind: relay.kind, stage: .rcpt, reply: relaySample, evidence: e, provider: nil)
        #expect(relay.kind == .relayDenied && plain.advice == "relay-denied" && plain.suggestions.first!.contains("MAIL_USERNAME"))
    }

    /// The catalogue's words never go with another kind than theirs: a reply the classifier saw
    /// otherwise (a 454 to STARTTLS that libcurl reported as STARTTLS missing) gets the kind's words.
    @Test func theWordsAndTheKindNeverDisagree() throws {
        let e = FailureEvidence(curlCode: 64, curlMessage: "", stage: .tls, settings: ServerSettings(host: "mail.example.com", port: 587))
        let sample = try #require(Self.samples["tls-unavailable"])
        let words = Diagnosis.explainKnowing(kind: .starttlsNotOffered, stage: .tls, reply: sample, evidence: e, provider: nil)
        #expect(words.advice == nil && words.explanation.contains("does not offer STARTTLS"))
    }
}

@Suite struct ProviderTests {
    @Test func presetsByNameAndAlias() throws {
        #expect(Provider.named("Gmail")?.host == "smtp.gmail.com")
        #expect(Provider.named("office365")?.id == "microsoft365")
        #expect(Provider.named("ses")?.host == "email-smtp.us-east-1.amazonaws.com")
        #expect(Provider.named("ses:eu-west-1")?.host == "email-smtp.eu-west-1.amazonaws.com")
        #expect(Provider.named("ses:../etc") == nil && Provider.named("gmail:eu-west-1") == nil && Provider.named("nope") == nil)
        #expect(Provider.named("mailgun-eu")?.host == "smtp.eu.mailgun.org")
        let sendgrid = try #require(Provider.named("sendgrid"))
        #expect(sendgrid.fixedUser == "apikey")
        let applied = sendgrid.apply(to: ServerSettings(host: "old", port: 25, security: .none))
        #expect(applied.host == "smtp.sendgrid.net" && applied.port == 587 && applied.security == .starttls && applied.username == "apikey")
        #expect(Provider.named("gmail")?.fixedUser == nil)
        let ids = Provider.catalogue.map(\.id)
        #expect(Set(ids).count == ids.count)
        for wanted in ["gmail", "microsoft365", "outlook", "ses", "sendgrid", "mailgun", "mailgun-eu", "postmark", "brevo", "mailjet", "fastmail", "icloud", "yahoo", "zoho", "mailtrap", "proton"] {
            #expect(ids.contains(wanted), "\(wanted)")
        }
    }

    @Test func recognisedFromTheHostOrTheGreeting() {
        #expect(Provider.recognise(host: "smtp.gmail.com")?.id == "gmail")
        #expect(Provider.recognise(host: "SMTP.Office365.com")?.id == "microsoft365")
        #expect(Provider.recognise(host: "smtp-mail.outlook.com")?.id == "outlook")
        #expect(Provider.recognise(host: "smtp.eu.mailgun.org")?.id == "mailgun-eu", "the longest suffix wins")
        #expect(Provider.recognise(host: "smtp.mailgun.org")?.id == "mailgun")
        #expect(Provider.recognise(host: "email-smtp.ap-south-1.amazonaws.com")?.host == "email-smtp.ap-south-1.amazonaws.com")
        #expect(Provider.recognise(host: "notgmail.com") == nil, "a suffix only counts at a dot")
        #expect(Provider.recognise(host: "10.0.0.5", greeting: "220 smtp.gmail.com ESMTP a1sm - gsmtp")?.id == "gmail")
        #expect(Provider.recognise(host: "relay.internal", greeting: "220 AM0PR10CA0001.outlook.office365.com Microsoft ESMTP MAIL Service ready")?.id == "microsoft365")
        #expect(Provider.recognise(host: "127.0.0.1", greeting: "220 localhost ESMTP") == nil)
    }

    @Test func adviceIsChosenByStage() throws {
        let m365 = try #require(Provider.named("microsoft365"))
        #expect(m365.advice(for: .auth).contains { $0.contains("SMTP AUTH must be enabled") })
        #expect(!m365.advice(for: .rcpt).contains { $0.contains("SMTP AUTH must be enabled") })
        #expect(m365.advice(for: nil).count == m365.advice.count)
        #expect(m365.summaryLines.first!.contains("smtp.office365.com port 587"))
    }
}

/// Auto-detect's one verdict over its results.
@Suite struct AutoProbeVerdictTests {
    func result(_ port: Int, _ security: SecurityMode, _ kind: FailureKind?, stage: SMTPStage = .connect, auth: Bool = false) -> AutoProbe.Result {
        let failure = kind.map { SessionFailure(stage: stage, kind: $0, explanation: "x", suggestions: ["try this"]) }
        let report = SessionReport(failure: failure, finalReply: nil, acceptedRecipients: [], rejectedRecipients: [], greeting: nil,
                                   extensions: auth ? ["AUTH PLAIN"] : [], extensionsBeforeTLS: nil, tls: nil, authenticated: false,
                                   stageTimes: [], elapsed: .zero, messageBytes: 0, transcript: [])
        return AutoProbe.Result(candidate: AutoProbe.Candidate(port: port, security: security), report: report)
    }

    @Test func blockedRefusedWorkingAndFailing() {
        let timeouts = AutoProbe.usual.map { result($0.port, $0.security, .connectTimeout) }
        #expect(AutoProbe.verdict(timeouts) == .blocked)
        #expect(AutoProbe.Verdict.blocked.words(host: "h").contains("block outbound SMTP"))
        let refused = AutoProbe.usual.map { result($0.port, $0.security, .connectionRefused) }
        #expect(AutoProbe.verdict(refused) == .nothingListens)
        let mixed = [result(25, .none, .connectTimeout), result(587, .starttls, .connectionRefused)]
        #expect(AutoProbe.verdict(mixed) == .nothingListens, "refused somewhere: not a blocked network")
        let works = [result(25, .none, nil), result(587, .starttls, nil, auth: true), result(465, .tls, .connectionRefused)]
        #expect(AutoProbe.verdict(works) == .works(AutoProbe.Candidate(port: 587, security: .starttls), good: true))
        let failing = [result(465, .tls, .certificateExpired, stage: .tls), result(587, .starttls, .connectTimeout)]
        guard case .answersButFails(let candidate, let failure) = AutoProbe.verdict(failing) else {
            Issue.record("expected answersButFails")
            return
        }
        #expect(candidate.port == 465 && failure.kind == .certificateExpired)
        #expect(AutoProbe.verdict(failing).words(host: "h").contains("Port 465 (TLS) answers but fails at TLS: certificate expired. try this"))
    }

    /// Whatever mix of failures the ports give (a name that failed for some ports only, too), there
    /// is one verdict and no trap.
    @Test func everyMixOfFailuresHasAVerdict() {
        let kinds: [FailureKind?] = [nil, .nameLookup, .connectTimeout, .connectionRefused, .authFailed, .cancelled]
        let ports = Array(AutoProbe.usual.prefix(3))
        for a in kinds { for b in kinds { for c in kinds {
            let results = zip(ports, [a, b, c]).map { result($0.0.port, $0.0.security, $0.1, stage: $0.1 == .authFailed ? .auth : .connect) }
            _ = AutoProbe.verdict(results).words(host: "h")
        } } }
        #expect(AutoProbe.verdict([result(25, .none, .nameLookup), result(587, .starttls, .connectTimeout)]) == .blocked)
        #expect(AutoProbe.verdict([result(25, .none, .nameLookup), result(587, .starttls, .connectionRefused)]) == .nothingListens)
        #expect(AutoProbe.verdict([result(25, .none, .nameLookup), result(587, .starttls, .nameLookup)]) == .nameLookup(host: ""))
    }

    @Test func theTypedPortJoinsTheUsualOnes() {
        #expect(AutoProbe.candidates(typedPort: 20025, security: .none).last == AutoProbe.Candidate(port: 20025, security: .none))
        #expect(AutoProbe.candidates(typedPort: 587, security: .starttls) == AutoProbe.usual)
        #expect(AutoProbe.candidates(typedPort: 587, security: .tls).count == AutoProbe.usual.count + 1)
        #expect(AutoProbe.candidates(typedPort: nil, security: .none) == AutoProbe.usual)
        #expect(AutoProbe.candidates(typedPort: 0, security: .none) == AutoProbe.usual)
    }
}

/// The report to paste into an issue: what it holds, and what it never does.
@Suite struct ShareReportTests {
    @Test func noCredentialsEvenFromATranscriptThatHadThem() {
        var settings = ServerSettings(host: "smtp.gmail.com", port: 587, security: .starttls, username: "me@gmail.com", authMechanism: .plain)
        settings.caFile = "/etc/ca.pem"
        let failure = SessionFailure(stage: .auth, kind: .authFailed, reply: ServerReply(code: 535, lines: ["5.7.8 BadCredentials"]),
                                     explanation: "Gmail refused it.", suggestions: ["Use an app password."])
        let secret = "AG1lQGdtYWlsLmNvbQBodW50ZXIy" // base64 of "\0me@gmail.com\0hunter2"
        let transcript = [TranscriptLine(elapsed: .milliseconds(1), speaker: .client, inTLS: true, stage: .auth, text: "AUTH PLAIN " + secret),
                          TranscriptLine(elapsed: .milliseconds(2), speaker: .client, inTLS: true, stage: .auth, text: "aHVudGVyMg=="),
                          TranscriptLine(elapsed: .milliseconds(3), speaker: .server, inTLS: true, stage: .auth, text: "535 5.7.8 BadCredentials")]
        let report = SessionReport(failure: failure, finalReply: nil, acceptedRecipients: [], rejectedRecipients: [], greeting: nil, extensions: [],
                                   extensionsBeforeTLS: nil, tls: nil, authenticated: false, stageTimes: [], elapsed: .zero, messageBytes: 0, transcript: transcript)
        let draft = MessageDraft(from: "Me <me@gmail.com>", to: "a@example.org, b@example.org", subject: "Hi")
        let entry = HistoryEntry(kind: .send, profile: nil, settings: settings, draft: draft, recipients: ["a@example.org", "b@example.org"], report: report, time: 0)
        let text = ShareReport.render(entry, mailtui: "mailtui 9.9", client: "libcurl and OpenSSL: libcurl 8", time: "then")
        #expect(!text.contains(secret) && !text.contains("aHVudGVyMg==") && !text.contains("hunter2"))
        #expect(text.contains("AUTH PLAIN [credentials hidden]"))
        #expect(text.contains("## mailtui report: send failed at AUTH"))
        #expect(text.contains("- login: `me@gmail.com` with plain") && text.contains("verified against /etc/ca.pem") && text.contains("- provider: Gmail"))
        #expect(text.contains("- try: Use an app password."))
        #expect(text.contains("--to a@example.org,b@example.org") && text.contains("--mail-rcpt a@example.org --mail-rcpt b@example.org"))
        #expect(text.contains("- mailtui 9.9") && text.contains("- libcurl and OpenSSL: libcurl 8"))
    }

    /// With the mechanism left to libcurl, swaks is told the one the send used (read from the
    /// transcript), and a failure mailtui's own server was told to give says so.
    @Test func theSameLoginAndAnInjectedFaultSaidSo() {
        let settings = ServerSettings(host: "127.0.0.1", port: 2525, security: .none, username: "dave", authMechanism: .auto)
        let failure = SessionFailure(stage: .rcpt, kind: .recipientRejected, reply: ServerReply(code: 550, lines: ["5.1.1 No such user"]),
                                     explanation: "Refused.", suggestions: [])
        let transcript = [TranscriptLine(elapsed: .milliseconds(1), speaker: .client, inTLS: false, stage: .auth, text: "AUTH CRAM-MD5"),
                          TranscriptLine(elapsed: .milliseconds(2), speaker: .server, inTLS: false, stage: .auth, text: "334 PDEyMzQ1Pg==")]
        let report = SessionReport(failure: failure, finalReply: nil, acceptedRecipients: [], rejectedRecipients: [], greeting: nil, extensions: [],
                                   extensionsBeforeTLS: nil, tls: nil, authenticated: true, stageTimes: [], elapsed: .zero, messageBytes: 0, transcript: transcript)
        var entry = HistoryEntry(kind: .send, profile: nil, settings: settings, draft: nil, recipients: ["a@example.org"], report: report, time: 0)
        var text = ShareReport.render(entry, mailtui: "mailtui 9.9", client: "libcurl 8", time: "then")
        #expect(text.contains("--auth CRAM-MD5 --auth-user dave") && !text.contains("--auth PLAIN"), "\(text)")
        #expect(text.contains("with auto (libcurl chose cram-md5)"))
        #expect(!text.contains("injected"))
        entry.faults = ["rcpt:550 5.1.1 No such user"]
        text = ShareReport.render(entry, mailtui: "mailtui 9.9", client: "libcurl 8", time: "then")
        #expect(text.contains("This failure was injected: faults were in force on mailtui's own test server"), "\(text)")
        #expect(text.contains("`rcpt:550 5.1.1 No such user`"))
    }
}
