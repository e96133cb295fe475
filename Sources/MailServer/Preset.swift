/// Faults worded as real providers word their replies, so that an app's error handling can be
/// rehearsed against what it will meet (`mailtui serve --preset gmail-app-password`).
public struct Preset: Sendable {
    public var name: String
    /// What it imitates, for `serve --list-presets`.
    public var imitates: String
    public var faults: [Fault]

    public static let all: [Preset] = [
        Preset(name: "gmail-bad-credentials", imitates: "Gmail refusing a wrong username or password",
               faults: [Fault(stage: .auth, action: .reply(code: 535, text: "5.7.8 Username and Password not accepted. For more information, go to https://support.google.com/mail/?p=BadCredentials"))]),
        Preset(name: "gmail-app-password", imitates: "Gmail asking for an app password (2-step verification is on)",
               faults: [Fault(stage: .auth, action: .reply(code: 534, text: "5.7.9 Application-specific password required. For more information, go to https://support.google.com/mail/?p=InvalidSecondFactor"))]),
        Preset(name: "m365-auth-disabled", imitates: "Microsoft 365 with SMTP AUTH disabled for the tenant",
               faults: [Fault(stage: .auth, action: .reply(code: 535, text: "5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information."))]),
        Preset(name: "microsoft-basic-auth-off", imitates: "Exchange Online refusing a login once Basic authentication is off for SMTP AUTH (sign in with OAuth2 instead)",
               faults: [Fault(stage: .auth, action: .reply(code: 550, text: "5.7.30 Basic authentication is not supported for Client Submission."))]),
        Preset(name: "starttls-required", imitates: "a server that wants STARTTLS before anything else",
               faults: [Fault(stage: .mail, action: .reply(code: 530, text: "5.7.0 Must issue a STARTTLS command first"))]),
        Preset(name: "ses-unverified", imitates: "Amazon SES refusing a sender address that is not verified",
               faults: [Fault(stage: .data, action: .reply(code: 554, text: "Message rejected: Email address is not verified. The following identities failed the check in region US-EAST-1: sender@example.com"))]),
        Preset(name: "sender-not-owned", imitates: "a server refusing a From that the login does not own",
               faults: [Fault(stage: .mail, action: .reply(code: 553, text: "5.7.1 Sender address rejected: not owned by user"))]),
        Preset(name: "greylisting", imitates: "greylisting: the first try of each (client, sender, recipient) is deferred for 5 minutes",
               faults: [Fault(stage: .rcpt, action: .greylist(seconds: 300))]),
        Preset(name: "rate-limit", imitates: "a provider's rate limit of 3 messages an hour per login",
               faults: [Fault(stage: .mail, action: .throttle(count: 3, seconds: 3600, scope: .login, code: 421,
                                                              text: "4.7.0 Too many messages, try again later (rate limit)"))]),
        Preset(name: "mailbox-full", imitates: "a recipient whose mailbox is full",
               faults: [Fault(stage: .rcpt, action: .reply(code: 552, text: "5.2.2 The email account that you tried to reach is over quota"))]),
        Preset(name: "relay-denied", imitates: "a server that does not relay for this client",
               faults: [Fault(stage: .rcpt, action: .reply(code: 554, text: "5.7.1 Relay access denied"))]),
        Preset(name: "m365-not-authenticated", imitates: "Microsoft 365 taking no mail from a session that did not log in",
               faults: [Fault(stage: .mail, action: .reply(code: 530, text: "5.7.57 Client not authenticated to send mail. Error: 535 5.7.139 Authentication unsuccessful"))]),
        Preset(name: "m365-send-as-denied", imitates: "Microsoft 365 refusing a From the login has no Send As right on",
               faults: [Fault(stage: .data, action: .reply(code: 550, text: "5.7.60 SMTP; Client does not have permissions to send as this sender"))]),
        Preset(name: "outlook-auth-unsuccessful", imitates: "Outlook.com refusing the account password (two-step verification on)",
               faults: [Fault(stage: .auth, action: .reply(code: 535, text: "5.7.3 Authentication unsuccessful"))]),
        Preset(name: "sendgrid-sender-identity", imitates: "SendGrid refusing a From that is not a verified Sender Identity",
               faults: [Fault(stage: .mail, action: .reply(code: 550, text: "The from address does not match a verified Sender Identity. Mail cannot be sent until this error is resolved."))]),
        Preset(name: "ses-throttling", imitates: "Amazon SES over its sending rate",
               faults: [Fault(stage: .data, action: .reply(code: 454, text: "Throttling failure: Maximum sending rate exceeded."))]),
        Preset(name: "gmail-dmarc", imitates: "Gmail refusing mail that fails the From domain's DMARC policy",
               faults: [Fault(stage: .data, action: .reply(code: 550, text: "5.7.26 Unauthenticated email from example.com is not accepted due to domain's DMARC policy"))]),
        Preset(name: "spf-fail", imitates: "a receiver refusing mail from a server the sender's SPF does not name",
               faults: [Fault(stage: .data, action: .reply(code: 550, text: "5.7.1 SPF check failed: 127.0.0.1 is not designated as a permitted sender"))]),
    ]

    public static func named(_ name: String) -> Preset? { all.first { $0.name == name } }
}
