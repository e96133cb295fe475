/// The table of known replies, most specific first: the first entry a reply matches at its stage
/// gives the diagnosis its kind and its words.
public enum ReplyCatalogue {
    /// The first entry a reply matches at this stage (nil: at any stage).
    public static func match(_ reply: ServerReply, at stage: SMTPStage? = nil) -> ReplyPattern? {
        entries.first { $0.matches(reply, at: stage) }
    }

    /// The reply's text as one lowercased sentence: the enhanced status code that servers repeat
    /// at the start of each line is left out, so that words broken across lines still match
    /// ("not authorized to" / "5.7.1 send email directly").
    public static func words(of reply: ServerReply) -> String {
        reply.lines.enumerated().map { index, line in
            guard index > 0, let status = line.split(separator: " ", maxSplits: 1).first, isStatus(status) else { return line }
            return String(line.dropFirst(status.count).drop(while: { $0 == " " }))
        }.joined(separator: " ").lowercased()
    }

    /// `5.7.1`: three numbers, the first 2, 4 or 5.
    static func isStatus(_ word: Substring) -> Bool {
        let parts = word.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 3 && ["2", "4", "5"].contains(parts[0]) && parts.allSatisfy { !$0.isEmpty && $0.count <= 3 && $0.allSatisfy(\.isNumber) }
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
    package static func statusAnywhere(in reply: ServerReply) -> String? {
        for word in reply.lines.joined(separator: " ").split(separator: " ") {
            let trimmed = String(word).trimmingEnds(of: ":;,[]()")
            let parts = trimmed.split(separator: ".", omittingEmptySubsequences: false)
            if parts.count == 3, ["2", "4", "5"].contains(parts[0]), parts.allSatisfy({ part in !part.isEmpty && part.count <= 3 && part.allSatisfy { $0.isNumber } }) {
                return trimmed
            }
        }
        return nil
    }

    /// The ways of sending that fix a problem with this machine's address: a provider's
    /// submission server with a login, as a Flask app's settings say it.
    package static let viaSubmission = "Send through your provider's submission server with a login (MAIL_SERVER, MAIL_PORT=587, MAIL_USE_TLS=True, MAIL_USERNAME, MAIL_PASSWORD; in mailtui --server, --port 587 --security starttls, --user) rather than from this machine straight to the recipient's server."

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
                          "Better: use an app password (https://myaccount.google.com/apppasswords) as MAIL_PASSWORD."]),
        ReplyPattern(
            id: "gmail-bad-credentials", code: 535, statuses: ["5.7.8"], words: ["badcredentials", "username and password not accepted"],
            kind: .authFailed, provider: "gmail",
            explanation: "Gmail refused the user name or password (BadCredentials). Google no longer accepts the account password from apps: it must be an app password.",
            suggestions: ["Use the full address as the user (--user, MAIL_USERNAME).",
                          "Use an app password (https://myaccount.google.com/apppasswords; it needs 2-Step Verification) as MAIL_PASSWORD, not the account password.",
                          "A Workspace account whose admin disabled app passwords needs OAuth (--auth xoauth2) or the SMTP relay service."]),
        ReplyPattern(
            id: "microsoft-basic-auth-off", codes: [535, 550], statuses: ["5.7.30"], words: [],
            kind: .authFailed, provider: "microsoft365",
            explanation: "Microsoft 365 no longer takes a password for SMTP AUTH from this account: Basic authentication is off for client submission (5.7.30), and only an OAuth2 token logs in.",
            suggestions: ["If the app cannot do OAuth2 (a printer, an old library), an administrator can use High Volume Email or an SMTP relay connector instead."]),
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
            suggestions: ["Outlook.com with two-step verification: create an app password in the Microsoft account's security settings and use it as MAIL_PASSWORD.",
                          "Microsoft 365: check that Authenticated SMTP is on for the mailbox (admin centre, Mail, Manage email apps).",
                          "Check the user is the full address (--user, MAIL_USERNAME)."]),
        ReplyPattern(
            id: "too-many-logins", codes: [421, 454, 535], stages: [.auth], words: ["too many bad auth", "too many login", "too many failed", "too many authentication"],
            explanation: "The server has locked logins out for a while after too many failed attempts from this account or address.",
            suggestions: ["Stop retrying: each failed attempt can extend the lock. Fix the password first (Yahoo, AOL, Gmail and iCloud want an app password, not the account password) and set it as MAIL_PASSWORD.",
                          "Then wait (often an hour) and try once."]),
        ReplyPattern(
            id: "auth-not-enabled", codes: [500, 502, 503, 504], stages: [.auth], words: ["not enabled", "not advertised", "not available", "not supported"],
            kind: .authNotOffered,
            explanation: "The server refused the AUTH command itself: it takes no logins on this port or in this state, though a user is set.",
            suggestions: ["Use the server's submission port, where logins are enabled: 587 with --security starttls (MAIL_PORT=587, MAIL_USE_TLS=True) or 465 with --security tls (MAIL_PORT=465, MAIL_USE_SSL=True).",
                          "If this server needs no login (a local relay), remove the user (--user, MAIL_USERNAME)."]),
        ReplyPattern(
            id: "m365-not-authenticated", statuses: ["5.7.57"], words: [],
            kind: .authRequired, provider: "microsoft365",
            explanation: "Microsoft 365 refused the sender because the session is not logged in (5.7.57 Client not authenticated to send mail).",
            suggestions: ["Set the user (--user, MAIL_USERNAME) and the password (MAIL_PASSWORD), on port 587 with STARTTLS (MAIL_USE_TLS=True).",
                          "If a login was set, it did not happen: check that AUTH was offered after STARTTLS in the transcript."]),
        ReplyPattern(
            id: "starttls-first", codes: [451, 454, 503, 530, 538, 550, 554], stages: [.ehlo, .auth, .mail, .rcpt, .data],
            words: ["starttls", "encryption required", "tls required", "requires tls", "must use tls"],
            kind: .tlsRequired,
            explanation: "The server wants the connection encrypted with STARTTLS before it takes mail or a login, and this session is plain.",
            suggestions: ["Use --security starttls (MAIL_USE_TLS=True, MAIL_USE_SSL=False) on this port, usually 587; or --security tls on 465 (MAIL_PORT=465, MAIL_USE_SSL=True, MAIL_USE_TLS=False)."]),
        ReplyPattern(
            id: "tls-unavailable", stages: [.tls],
            kind: .tlsUnavailable,
            explanation: "The server offers STARTTLS but refused to start TLS when asked: its own TLS is broken for now, usually a certificate or key it cannot read. The connection stayed plain, and mailtui stopped before sending anything (it never falls back to plain text).",
            suggestions: ["This is the server's side: tell its administrator (its TLS certificate and key).",
                          "If the server also speaks implicit TLS, use it: --port 465 --security tls (MAIL_PORT=465, MAIL_USE_SSL=True, MAIL_USE_TLS=False).",
                          "Only for a local test server: --security none (MAIL_USE_TLS=False)."]),
        // Senders.
        ReplyPattern(
            id: "m365-send-as-denied", codes: [550, 554], words: ["send as this sender", "sendasdenied"],
            kind: .senderRejected, provider: "microsoft365",
            explanation: "Microsoft 365 does not let this login send as the From address (SendAsDenied).",
            suggestions: ["Send from the login's own mailbox (--from, MAIL_DEFAULT_SENDER = MAIL_USERNAME).",
                          "Or give the login Send As rights on that address (Exchange admin centre, the mailbox, Delegation)."]),
        ReplyPattern(
            id: "ses-not-verified", code: 554, words: ["email address is not verified", "identities failed the check", "not verified"],
            kind: .senderRejected, provider: "ses",
            explanation: "Amazon SES refused the message: an address is not a verified identity in this region. In the SES sandbox the recipients must be verified as well as the sender.",
            suggestions: ["Verify the sender's address or domain in the SES console, in the region of the host (email-smtp.REGION.amazonaws.com).",
                          "While the account is in the sandbox, verify each recipient too, or ask AWS for production access."]),
        ReplyPattern(
            id: "sendgrid-credits", words: ["maximum credits exceeded"],
            kind: .temporaryFailure, provider: "sendgrid",
            explanation: "SendGrid refused the message because the account's sending credits are used up (Maximum credits exceeded). The reply says \"Authentication failed\", but the login itself is fine.",
            suggestions: ["Check the plan's limits in SendGrid, or ask SendGrid support to lift the credit limit; retrying will not help until then."]),
        ReplyPattern(
            id: "sendgrid-sender-identity", words: ["verified sender identity", "not authorized to send from that email address"],
            kind: .senderRejected, provider: "sendgrid",
            explanation: "SendGrid refused the From address: it does not match a verified Sender Identity.",
            suggestions: ["Verify the address (Settings, Sender Authentication, Single Sender) or authenticate its domain in SendGrid.",
                          "Or send from an address already verified (--from, MAIL_DEFAULT_SENDER)."]),
        ReplyPattern(
            id: "sender-not-owned", codes: [550, 553, 554], stages: [.mail, .rcpt, .data],
            words: ["not owned", "not one of your addresses", "relaying disallowed as", "not allowed to send as"],
            kind: .senderRejected,
            explanation: "The server does not let this login send as that sender address: it belongs to another user, or is not one of the account's addresses.",
            suggestions: ["Use the login's own address as the sender (--from, MAIL_DEFAULT_SENDER = MAIL_USERNAME), or log in as the owner of that address."]),
        ReplyPattern(
            id: "sender-domain", words: ["sender address rejected: domain not found", "domain of sender address", "sender verify failed", "sender domain"],
            kind: .senderRejected,
            explanation: "The server refused the sender address because its domain cannot receive mail: it does not exist in DNS, or has no MX or address record, so replies and bounces could not reach it. A placeholder such as noreply@localhost is the usual cause.",
            suggestions: ["Send from an address of a real domain you control (--from, MAIL_DEFAULT_SENDER), usually the login's own address."]),
        ReplyPattern(
            id: "helo-rejected", words: ["helo command rejected", "ehlo command rejected", "invalid helo", "helo name", "bad helo"],
            kind: .ehloRejected,
            explanation: "The server refused the name this machine gave in EHLO: it wants a fully qualified domain name (mail.example.com), not localhost or a bare name. Postfix checks it at RCPT TO, so the refusal arrives there.",
            suggestions: ["Give a proper name with --helo mail.example.com. Flask-Mail sends this machine's name: give the machine a fully qualified name, or send through your provider's submission port (587, MAIL_USE_TLS=True) with a login, where the name is not checked."]),
        // Limits and the server's own state.
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
            id: "greylisting", codes: [421, 450, 451], words: ["greylist", "graylist", "grey list", "gray list", "grey-list"],
            kind: .temporaryFailure,
            explanation: "The server is greylisting: it turns away the first attempt from an unknown sender and accepts a retry a few minutes later.",
            suggestions: ["Retry after 5 to 15 minutes; a real mail server would. Sending through your provider's submission port (587, MAIL_USE_TLS=True, with a login) avoids it."]),
        ReplyPattern(
            id: "too-many-connections", codes: [421, 450, 451, 452, 454, 554],
            words: ["too many connections", "too many concurrent", "too many smtp sessions", "too many open connections", "connection rate limit",
                    "too frequent connects", "all server ports are busy", "connection limit"],
            kind: .temporaryFailure,
            explanation: "The server turned this connection away because this address has too many connections open to it, or opened them too fast. It is not about this message.",
            suggestions: ["Wait a minute and retry. Close other sessions to this server first: a crashed app or a worker pool may keep connections open.",
                          "Send several messages per connection rather than one connection each, and fewer at once (load mode: --connections, --rate)."]),
        ReplyPattern(
            id: "server-storage", words: ["insufficient system storage", "insufficient disk space", "insufficient storage"],
            kind: .temporaryFailure,
            explanation: "The server is short of disk space and takes no mail for now: nothing on your side is wrong.",
            suggestions: ["Retry later. If the server is yours, free space on the file system of its mail queue."]),
        ReplyPattern(
            id: "rate-limited", codes: [421, 450, 451, 452, 454],
            words: ["rate limit", "rate-limit", "at a rate", "unusual rate", "too many messages", "try again later", "temporarily deferred", "server busy", "throttl", "unexpected volume"],
            kind: .temporaryFailure,
            explanation: "The server is limiting this sender: too many messages or connections in too short a time, or an unusual volume from this address. It is temporary.",
            suggestions: ["Wait and retry with a back-off; send fewer messages per connection or per minute (load mode: --rate, --connections)."]),
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
        ReplyPattern(
            id: "no-valid-recipients", stages: [.data], words: ["no valid recipients"],
            kind: .recipientRejected,
            explanation: "The server accepted none of the recipients (each RCPT TO was refused before, see the transcript), so it refused DATA: there was nobody to deliver to.",
            suggestions: ["Read the replies to RCPT TO in the transcript: they say why each recipient was refused.",
                          "Check the recipient addresses (--to, the app's recipients)."]),
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
                          "Send through the provider that the domain's SPF names, from an address of that domain (--from, MAIL_DEFAULT_SENDER)."]),
        ReplyPattern(
            id: "spf-rejection", code: 550, statuses: ["5.7.1", "5.7.23", "5.7.26"], words: ["spf", "sender policy", "not designated", "not permitted sender"],
            kind: .messageRejected,
            explanation: "The receiving server refused the message because the sending server is not allowed to send for the sender's domain (SPF).",
            suggestions: ["Add the sending service to the domain's SPF record (for example include:_spf.google.com), or send through a server it already names.",
                          "Check the envelope sender (--from, MAIL_DEFAULT_SENDER): SPF is checked for its domain."]),
        // This machine's address.
        ReplyPattern(
            id: "reverse-dns", words: ["reverse hostname", "cannot find your hostname", "ptr record", "reverse dns"],
            kind: .clientBlocked,
            explanation: "The server refused this machine's address because it has no matching reverse DNS name (PTR record); mail servers expect one from a sender, and home, office and most cloud addresses have none.",
            suggestions: [viaSubmission,
                          "If this machine is meant to be a mail server, ask whoever owns its address for a PTR record naming it, matching its forward DNS."]),
        ReplyPattern(
            id: "use-submission-server", words: ["not authorized to send email directly", "dynamic ip", "residential", "dial-up", "dialup"],
            kind: .clientBlocked,
            explanation: "The receiving server does not take mail straight from this kind of address (a home, office or cloud connection): it expects mail to come through a provider's mail server.",
            suggestions: [viaSubmission + " For Gmail: MAIL_SERVER=smtp.gmail.com with an app password."]),
        ReplyPattern(
            id: "blocked-ip",
            words: ["blocked using", "black list", "blacklist", "block list", "blocklist", "listed at", "listed in", "spamhaus's list", "dnsbl",
                    "traffic not accepted from this ip", "client host rejected", "client host blocked"],
            kind: .clientBlocked,
            explanation: "The server refused this machine's address (IP) itself: it is on a block list (the reply names it), or the server's own rules exclude it. Nothing in the message or the login changes that.",
            suggestions: [viaSubmission,
                          "If the address is yours and must send directly, look it up on the list the reply names and ask for its removal."]),
        ReplyPattern(
            id: "relay-denied", words: ["relay"],
            kind: .relayDenied,
            explanation: "The server refused to relay: it delivers to other domains only for clients that log in (or that it knows by address).",
            suggestions: ["Log in (--user, MAIL_USERNAME with MAIL_PASSWORD) on the submission port 587 (MAIL_USE_TLS=True) or 465 (MAIL_USE_SSL=True).",
                          "If this is your own relay, allow this machine's address in its configuration."]),
        ReplyPattern(
            id: "policy-rejection", codes: [550, 554], statuses: ["5.7.1"], words: ["policy", "spam", "blocked", "reputation", "denied"],
            kind: .messageRejected,
            explanation: "The server refused the message for policy reasons: a spam filter, a block list, or a rule about the sender or content (5.7.1).",
            suggestions: ["Read the server's words: they usually name the list or rule, often with a link.",
                          "If the sending IP is on a block list, send through your provider's submission port instead of directly."]),
    ]
}
