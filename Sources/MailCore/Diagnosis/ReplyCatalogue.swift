/// Replies that mean something precise, as the providers word them: matched on the reply code,
/// the enhanced status code and the words of the reply, in that order of trust. An entry's
/// explanation and advice replace the generic ones for its kind; every entry has a test.
public struct ReplyPattern: Sendable, Equatable {
    /// A short name, for tests and `--explain`: `gmail-app-password`.
    public var id: String
    /// The reply code, or nil for any.
    public var code: Int?
    /// The enhanced status codes it matches (any of), or empty for any.
    public var statuses: [String]
    /// Words of the reply (lowercased); any one of them must appear. Empty: no words needed.
    public var words: [String]
    /// What the failure is, when that differs from what code and stage alone would say.
    public var kind: FailureKind?
    /// The provider whose wording this is, when it is one's.
    public var provider: String?
    public var explanation: String
    public var suggestions: [String]

    public init(id: String, code: Int? = nil, statuses: [String] = [], words: [String] = [], kind: FailureKind? = nil,
                provider: String? = nil, explanation: String, suggestions: [String]) {
        self.id = id
        self.code = code
        self.statuses = statuses
        self.words = words
        self.kind = kind
        self.provider = provider
        self.explanation = explanation
        self.suggestions = suggestions
    }

    /// Whether a reply is this one.
    public func matches(_ reply: ServerReply) -> Bool {
        if let code, reply.code != code { return false }
        if !statuses.isEmpty {
            guard let status = reply.enhancedStatus ?? ReplyCatalogue.statusAnywhere(in: reply), statuses.contains(status) else { return false }
        }
        if !words.isEmpty {
            let text = reply.lines.joined(separator: " ").lowercased()
            guard words.contains(where: { text.contains($0) }) else { return false }
        }
        return true
    }
}

/// The table of known replies, most specific first.
public enum ReplyCatalogue {
    /// The first entry a reply matches.
    public static func match(_ reply: ServerReply) -> ReplyPattern? {
        entries.first { $0.matches(reply) }
    }

    /// Web addresses in a reply (Gmail and Microsoft point to their help pages), without the
    /// punctuation that ends a sentence.
    public static func links(in reply: ServerReply) -> [String] {
        var links: [String] = []
        for word in reply.lines.joined(separator: " ").split(separator: " ") {
            let start = word.drop(while: { "<([\"'".contains($0) })
            guard start.hasPrefix("https://") || start.hasPrefix("http://") else { continue }
            var link = String(start)
            while let last = link.last, ".,;)>]\"'".contains(last) { link.removeLast() }
            if link.count > 10, !links.contains(link) { links.append(link) }
        }
        return links
    }

    /// An enhanced status code that is not at the start of the first line (Microsoft writes
    /// `535 5.7.139 Authentication unsuccessful` but also `554 Transaction failed: 5.7.1 ...`).
    static func statusAnywhere(in reply: ServerReply) -> String? {
        for word in reply.lines.joined(separator: " ").split(separator: " ") {
            let trimmed = String(word).trimmingEnds(of: ":;,[]()")
            let parts = trimmed.split(separator: ".", omittingEmptySubsequences: false)
            if parts.count == 3, ["2", "4", "5"].contains(parts[0]), parts.allSatisfy({ part in !part.isEmpty && part.count <= 3 && part.allSatisfy { $0.isNumber } }) {
                return trimmed
            }
        }
        return nil
    }

    public static let entries: [ReplyPattern] = [
        // Logins.
        ReplyPattern(
            id: "gmail-app-password", code: 534, statuses: ["5.7.9"], words: ["application-specific password", "invalidsecondfactor", "app password"],
            kind: .authAppPasswordRequired, provider: "gmail",
            explanation: "Gmail wants an app password: the account has 2-Step Verification, and Google does not take the account password from apps (InvalidSecondFactor).",
            suggestions: ["Create an app password at https://myaccount.google.com/apppasswords and use it as the password (MAIL_PASSWORD), without its spaces.",
                          "Keep the user as the full address (--user, MAIL_USERNAME)."]),
        ReplyPattern(
            id: "gmail-web-login", code: 534, statuses: ["5.7.14"], words: [],
            kind: .authFailed, provider: "gmail",
            explanation: "Google blocked this sign-in as suspicious and wants it confirmed in a web browser first.",
            suggestions: ["Sign in to the account in a browser from this network, confirm the blocked sign-in under Security, then try again.",
                          "Better: use an app password (https://myaccount.google.com/apppasswords)."]),
        ReplyPattern(
            id: "gmail-bad-credentials", code: 535, statuses: ["5.7.8"], words: ["badcredentials", "username and password not accepted"],
            kind: .authFailed, provider: "gmail",
            explanation: "Gmail refused the user name or password (BadCredentials). Google no longer accepts the account password from apps: it must be an app password.",
            suggestions: ["Use the full address as the user (--user, MAIL_USERNAME).",
                          "Use an app password (https://myaccount.google.com/apppasswords; it needs 2-Step Verification) as MAIL_PASSWORD, not the account password.",
                          "A Workspace account whose admin disabled app passwords needs OAuth (--auth xoauth2) or the SMTP relay service."]),
        ReplyPattern(
            id: "m365-smtp-auth-disabled", code: 535, statuses: ["5.7.139"], words: [],
            kind: .authFailed, provider: "microsoft365",
            explanation: "Microsoft 365 refused the login because SMTP AUTH is turned off: for this mailbox, for the whole tenant, or by the tenant's security defaults (5.7.139).",
            suggestions: ["Turn on Authenticated SMTP for the mailbox: Microsoft 365 admin centre, Users, Active users, the user, Mail, Manage email apps.",
                          "Or for the tenant, in Exchange Online PowerShell: Set-TransportConfig -SmtpClientAuthenticationDisabled $false. Security defaults must be off for a password login.",
                          "Microsoft is retiring password logins for SMTP AUTH: OAuth (--auth xoauth2 with a token) is the lasting fix."]),
        ReplyPattern(
            id: "microsoft-auth-unsuccessful", code: 535, statuses: ["5.7.3"], words: [],
            kind: .authFailed, provider: "outlook",
            explanation: "Microsoft (Outlook.com or Microsoft 365) refused the login (5.7.3 Authentication unsuccessful): a wrong password, an account with two-step verification that needs an app password, or SMTP AUTH switched off.",
            suggestions: ["Outlook.com with two-step verification: create an app password in the Microsoft account's security settings.",
                          "Microsoft 365: check that Authenticated SMTP is on for the mailbox (admin centre, Mail, Manage email apps).",
                          "Check the user is the full address (--user, MAIL_USERNAME)."]),
        ReplyPattern(
            id: "m365-not-authenticated", statuses: ["5.7.57"], words: [],
            kind: .authRequired, provider: "microsoft365",
            explanation: "Microsoft 365 refused the sender because the session is not logged in (5.7.57 Client not authenticated to send mail).",
            suggestions: ["Set the user (--user, MAIL_USERNAME) and the password (MAIL_PASSWORD), on port 587 with STARTTLS (MAIL_USE_TLS=True).",
                          "If a login was set, it did not happen: check that AUTH was offered after STARTTLS in the transcript."]),
        ReplyPattern(
            id: "m365-send-as-denied", code: 550, statuses: ["5.7.60"], words: [],
            kind: .senderRejected, provider: "microsoft365",
            explanation: "Microsoft 365 does not let this login send as the From address (5.7.60 SendAsDenied).",
            suggestions: ["Send from the login's own mailbox (--from, MAIL_DEFAULT_SENDER = MAIL_USERNAME).",
                          "Or give the login Send As rights on that address (Exchange admin centre, the mailbox, Delegation)."]),
        ReplyPattern(
            id: "starttls-first", code: 530, statuses: ["5.7.0"], words: ["starttls"],
            kind: .tlsRequired,
            explanation: "The server wants the connection encrypted with STARTTLS before anything else, and it was plain.",
            suggestions: ["Use --security starttls (MAIL_USE_TLS=True, MAIL_USE_SSL=False) on this port, or --security tls on 465 (MAIL_USE_SSL=True)."]),
        // Senders.
        ReplyPattern(
            id: "ses-not-verified", code: 554, words: ["email address is not verified", "identities failed the check", "not verified"],
            kind: .senderRejected, provider: "ses",
            explanation: "Amazon SES refused the message: an address is not a verified identity in this region. In the SES sandbox the recipients must be verified as well as the sender.",
            suggestions: ["Verify the sender's address or domain in the SES console, in the region of the host (email-smtp.REGION.amazonaws.com).",
                          "While the account is in the sandbox, verify each recipient too, or ask AWS for production access."]),
        ReplyPattern(
            id: "sendgrid-sender-identity", code: 550, words: ["verified sender identity"],
            kind: .senderRejected, provider: "sendgrid",
            explanation: "SendGrid refused the From address: it does not match a verified Sender Identity.",
            suggestions: ["Verify the address (Settings, Sender Authentication, Single Sender) or authenticate its domain in SendGrid.",
                          "Or send from an address already verified (--from, MAIL_DEFAULT_SENDER)."]),
        ReplyPattern(
            id: "sender-not-owned", code: 553, statuses: ["5.7.1"], words: ["not owned", "sender address rejected", "not allowed to send"],
            kind: .senderRejected,
            explanation: "The server does not let this login send as that sender address: it belongs to another user.",
            suggestions: ["Use the login's own address as the sender (--from, MAIL_DEFAULT_SENDER), or log in as the owner of that address."]),
        // Limits.
        ReplyPattern(
            id: "ses-throttling", code: 454, words: ["throttling", "maximum sending rate", "daily message quota"],
            kind: .temporaryFailure, provider: "ses",
            explanation: "Amazon SES is throttling: the account's sending rate or daily quota is used up.",
            suggestions: ["Send more slowly (in load mode: --rate), and retry with a back-off.",
                          "Ask AWS for a higher sending quota (Service Quotas, SES)."]),
        ReplyPattern(
            id: "gmail-daily-limit", code: 550, statuses: ["5.4.5"], words: [],
            kind: .temporaryFailure, provider: "gmail",
            explanation: "Google's daily sending limit for this account is used up (5.4.5).",
            suggestions: ["Wait up to 24 hours, or send through a service made for volume (SES, SendGrid, Mailgun, Postmark)."]),
        ReplyPattern(
            id: "rate-limited", code: 421, statuses: ["4.7.0"], words: ["rate", "too many", "limit", "try again later", "temporarily"],
            kind: .temporaryFailure,
            explanation: "The server is limiting this client: too many connections or messages in too short a time (421 4.7.0). It closed the session.",
            suggestions: ["Wait and retry with a back-off; send fewer messages per connection or per minute (load mode: --rate, --connections)."]),
        ReplyPattern(
            id: "greylisting", code: 451, statuses: ["4.7.1"], words: ["greylist", "graylist", "try again", "retry", "please"],
            kind: .temporaryFailure,
            explanation: "The server is greylisting: it turns away the first attempt from an unknown sender and accepts a retry a few minutes later.",
            suggestions: ["Retry after 5 to 15 minutes; a real mail server would. Sending through your provider's submission port avoids it."]),
        ReplyPattern(
            id: "too-many-recipients", code: 452, statuses: ["4.5.3"], words: [],
            kind: .recipientRejected,
            explanation: "The server accepts no more recipients in this message (452 4.5.3 too many recipients).",
            suggestions: ["mailtui sends the rest in a further transaction by itself; with many recipients, split them into several messages."]),
        ReplyPattern(
            id: "mailbox-full", code: 552, statuses: ["5.2.2"], words: [],
            kind: .recipientRejected,
            explanation: "The recipient's mailbox is full (5.2.2): nothing on your side is wrong.",
            suggestions: ["Tell the recipient another way, or retry later; the message was not delivered to them."]),
        // Authentication of the sender's domain.
        ReplyPattern(
            id: "dmarc-rejection", code: 550, statuses: ["5.7.1", "5.7.26", "5.7.509"], words: ["dmarc"],
            kind: .messageRejected,
            explanation: "The receiving server refused the message under the From domain's DMARC policy: neither SPF nor DKIM passed in line with the From address.",
            suggestions: ["Send from a domain you can authenticate, through a service that signs with DKIM for it (and whose SPF the domain includes).",
                          "Check the domain's _dmarc record and that the DKIM signature's d= matches the From domain."]),
        ReplyPattern(
            id: "unauthenticated-sender", code: 550, statuses: ["5.7.26"], words: [],
            kind: .messageRejected,
            explanation: "The receiving server refused the message because the sender's domain is not authenticated: it failed SPF and DKIM, or DMARC (5.7.26).",
            suggestions: ["Publish SPF for the sending service and sign with DKIM for the From address's domain, with a DMARC record that they align with.",
                          "Send through the provider that the domain's SPF names, from an address of that domain."]),
        ReplyPattern(
            id: "spf-rejection", code: 550, statuses: ["5.7.1", "5.7.23", "5.7.26"], words: ["spf", "sender policy", "not designated", "not permitted"],
            kind: .messageRejected,
            explanation: "The receiving server refused the message because the sending server is not allowed to send for the sender's domain (SPF).",
            suggestions: ["Add the sending service to the domain's SPF record (for example include:_spf.google.com), or send through a server it already names.",
                          "Check the envelope sender (--from, MAIL_DEFAULT_SENDER): SPF is checked for its domain."]),
        ReplyPattern(
            id: "relay-denied", words: ["relay"],
            kind: .relayDenied,
            explanation: "The server refused to relay: it delivers to other domains only for clients that log in (or that it knows by address).",
            suggestions: ["Log in (--user, MAIL_USERNAME with MAIL_PASSWORD) on the submission port 587 or 465.",
                          "If this is your own relay, allow this machine's address in its configuration."]),
        ReplyPattern(
            id: "policy-rejection", code: 550, statuses: ["5.7.1"], words: ["policy", "spam", "blocked", "blacklist", "blocklist", "reputation", "denied"],
            kind: .messageRejected,
            explanation: "The server refused the message for policy reasons: a spam filter, a block list, or a rule about the sender or content (5.7.1).",
            suggestions: ["Read the server's words: they usually name the list or rule, often with a link.",
                          "If the sending IP is on a block list, send through your provider's submission port instead of directly."]),
    ]
}
