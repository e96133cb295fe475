extension Provider {
    /// The presets, in the order the compose screen lists them.
    public static let catalogue: [Provider] = [
        Provider(
            id: "gmail", name: "Gmail / Google Workspace", host: "smtp.gmail.com", port: 587, security: .starttls,
            otherPorts: ["465 (implicit TLS)", "smtp-relay.gmail.com for Workspace relaying"],
            user: "your full address", password: "an app password (16 letters), not the account password",
            hostSuffixes: ["gmail.com", "googlemail.com", "google.com"], greetingMarks: ["gsmtp", "mx.google.com"],
            advice: [
                Advice("Google refuses the account password from apps: turn on 2-Step Verification, then create an app password at https://myaccount.google.com/apppasswords and use it as MAIL_PASSWORD.", stages: [.auth]),
                Advice("Workspace admins can turn app passwords off; then use smtp-relay.gmail.com with the relay set up for your IP, or OAuth (--auth xoauth2).", stages: [.auth]),
                Advice("Gmail rewrites the From address to the login's unless it is one of its verified \"Send mail as\" addresses.", stages: [.mail, .data]),
                Advice("Sending limits: about 500 recipients a day for gmail.com, 2,000 for Workspace; past them, 550 5.4.5.", stages: [.mail, .rcpt, .data]),
            ],
            spfInclude: "_spf.google.com"),
        Provider(
            id: "microsoft365", name: "Microsoft 365 (Exchange Online)", host: "smtp.office365.com", port: 587, security: .starttls,
            otherPorts: [],
            user: "the mailbox's full address", password: "the mailbox's password, or an OAuth token (--auth xoauth2)",
            hostSuffixes: ["office365.com", "outlook.office.com", "protection.outlook.com"],
            greetingMarks: ["microsoft esmtp mail service", "outlook.office365.com", ".prod.outlook.com"],
            advice: [
                Advice("SMTP AUTH must be enabled for the mailbox (Microsoft 365 admin centre: Users, Mail, Manage email apps, Authenticated SMTP) and not disabled for the tenant (Set-TransportConfig -SmtpClientAuthenticationDisabled $false). Security defaults turn it off.", stages: [.auth]),
                Advice("Microsoft is retiring the password (Basic) login for SMTP AUTH; OAuth (--auth xoauth2) is the lasting way.", stages: [.auth]),
                Advice("The From address must be the login's mailbox, or one it has Send As rights on (550 5.7.60 otherwise).", stages: [.mail, .data]),
                Advice("Only port 587 with STARTTLS; 465 is not served.", stages: [.connect, .greeting, .tls]),
            ],
            spfInclude: "spf.protection.outlook.com"),
        Provider(
            id: "outlook", name: "Outlook.com / Hotmail", host: "smtp-mail.outlook.com", port: 587, security: .starttls,
            otherPorts: [],
            user: "your full address", password: "an app password when two-step verification is on",
            hostSuffixes: ["smtp-mail.outlook.com", "hotmail.com", "live.com"], greetingMarks: [],
            advice: [
                Advice("With two-step verification on, the account password is refused (535 5.7.3): create an app password in the Microsoft account's security settings.", stages: [.auth]),
                Advice("Only port 587 with STARTTLS.", stages: [.connect, .greeting, .tls]),
            ],
            spfInclude: "spf.protection.outlook.com"),
        Provider(
            id: "ses", name: "Amazon SES", host: "email-smtp.us-east-1.amazonaws.com", port: 587, security: .starttls,
            otherPorts: ["465 (implicit TLS)", "2587", "2465", "25"],
            user: "the SMTP user name from the SES console (not an AWS access key)", password: "the SMTP password made with it",
            hostSuffixes: ["amazonaws.com", "amazonses.com"], greetingMarks: ["simpleemailservice", "amazonses", "email-smtp."],
            advice: [
                Advice("The host names the region: use the region where your identities are verified (--provider ses:eu-west-1).", stages: [.connect, .auth, .mail, .data]),
                Advice("SMTP credentials are made in the SES console (SMTP settings) and are region-specific; an IAM access key and secret do not work as they are.", stages: [.auth]),
                Advice("The sender (address or domain) must be a verified identity; in the sandbox, every recipient must be verified too.", stages: [.mail, .rcpt, .data]),
                Advice("Port 25 is blocked from EC2 by default; use 587 or 2587.", stages: [.connect]),
            ],
            spfInclude: "amazonses.com"),
        Provider(
            id: "sendgrid", name: "SendGrid", host: "smtp.sendgrid.net", port: 587, security: .starttls,
            otherPorts: ["465 (implicit TLS)", "2525", "25"],
            user: "`apikey` (the word itself)", password: "an API key with Mail Send permission",
            hostSuffixes: ["sendgrid.net", "sendgrid.com"], greetingMarks: ["sg esmtp", "sendgrid"],
            advice: [
                Advice("The user is the word apikey, for every account; the password is the API key (SG.…).", stages: [.auth]),
                Advice("The From address must match a verified Sender Identity (a single sender, or an authenticated domain).", stages: [.mail, .data]),
            ],
            spfInclude: "sendgrid.net", fixedUser: "apikey"),
        Provider(
            id: "mailgun", name: "Mailgun (US)", host: "smtp.mailgun.org", port: 587, security: .starttls,
            otherPorts: ["465 (implicit TLS)", "2525", "25"],
            user: "the domain's SMTP login (postmaster@your-domain)", password: "that SMTP login's password",
            hostSuffixes: ["smtp.mailgun.org", "mailgun.org"], greetingMarks: ["mailgun"],
            advice: [
                Advice("Domains created in the EU region use smtp.eu.mailgun.org (--provider mailgun-eu); their logins fail on the US host.", stages: [.auth]),
                Advice("Each sending domain has its own SMTP logins (Sending, Domain settings, SMTP credentials).", stages: [.auth]),
            ],
            spfInclude: "mailgun.org"),
        Provider(
            id: "mailgun-eu", name: "Mailgun (EU)", host: "smtp.eu.mailgun.org", port: 587, security: .starttls,
            otherPorts: ["465 (implicit TLS)", "2525", "25"],
            user: "the domain's SMTP login (postmaster@your-domain)", password: "that SMTP login's password",
            hostSuffixes: ["eu.mailgun.org"], greetingMarks: [],
            advice: [Advice("Domains created in the US region use smtp.mailgun.org (--provider mailgun).", stages: [.auth])],
            spfInclude: "mailgun.org"),
        Provider(
            id: "postmark", name: "Postmark", host: "smtp.postmarkapp.com", port: 587, security: .starttls,
            otherPorts: ["2525", "25"],
            user: "a Server API token", password: "the same Server API token",
            hostSuffixes: ["postmarkapp.com"], greetingMarks: ["postmark"],
            advice: [
                Advice("User and password are both the server's API token (Servers, API Tokens).", stages: [.auth]),
                Advice("The From address needs a confirmed Sender Signature or a verified domain.", stages: [.mail, .data]),
                Advice("Bulk mail goes through a broadcast stream: add the header X-PM-Message-Stream: broadcast.", stages: [.data]),
            ],
            spfInclude: "spf.mtasv.net"),
        Provider(
            id: "brevo", name: "Brevo (formerly Sendinblue)", host: "smtp-relay.brevo.com", port: 587, security: .starttls,
            otherPorts: ["465 (implicit TLS)", "2525"],
            user: "the SMTP login shown under SMTP & API (…@smtp-brevo.com)", password: "an SMTP key (not the account password)",
            hostSuffixes: ["brevo.com", "sendinblue.com"], greetingMarks: ["brevo", "sendinblue"],
            advice: [
                Advice("The login is the one on the SMTP & API page, not the account's email address; the password is an SMTP key.", stages: [.auth]),
                Advice("The sender must be a verified sender or domain in Brevo.", stages: [.mail, .data]),
            ],
            spfInclude: "spf.brevo.com"),
        Provider(
            id: "mailjet", name: "Mailjet", host: "in-v3.mailjet.com", port: 587, security: .starttls,
            otherPorts: ["465 (implicit TLS)", "25", "80"],
            user: "the API key", password: "the secret key",
            hostSuffixes: ["mailjet.com"], greetingMarks: ["mailjet"],
            advice: [
                Advice("The user is the API key and the password the secret key (Account settings, API keys).", stages: [.auth]),
                Advice("The sender address or domain must be validated in Mailjet.", stages: [.mail, .data]),
            ],
            spfInclude: "spf.mailjet.com"),
        Provider(
            id: "fastmail", name: "Fastmail", host: "smtp.fastmail.com", port: 465, security: .tls,
            otherPorts: ["587 (STARTTLS)"],
            user: "your full address", password: "an app password (Settings, Privacy & Security)",
            hostSuffixes: ["fastmail.com", "messagingengine.com"], greetingMarks: ["messagingengine", "fastmail"],
            advice: [Advice("Fastmail accepts only app passwords over SMTP, never the account password.", stages: [.auth])],
            spfInclude: "spf.messagingengine.com"),
        Provider(
            id: "icloud", name: "iCloud Mail", host: "smtp.mail.me.com", port: 587, security: .starttls,
            otherPorts: [],
            user: "your iCloud address", password: "an app-specific password (appleid.apple.com)",
            hostSuffixes: ["mail.me.com", "me.com", "icloud.com"], greetingMarks: ["icloud", "me.com"],
            advice: [
                Advice("iCloud needs two-factor authentication and an app-specific password from appleid.apple.com.", stages: [.auth]),
                Advice("The From address must be your iCloud address or one of its aliases.", stages: [.mail, .data]),
            ],
            spfInclude: "icloud.com"),
        Provider(
            id: "yahoo", name: "Yahoo Mail", host: "smtp.mail.yahoo.com", port: 465, security: .tls,
            otherPorts: ["587 (STARTTLS)"],
            user: "your full address", password: "an app password (Account security, Generate app password)",
            hostSuffixes: ["yahoo.com", "yahoodns.net"], greetingMarks: ["yahoo"],
            advice: [Advice("Yahoo refuses the account password from apps: generate an app password in Account security.", stages: [.auth])],
            spfInclude: nil),
        Provider(
            id: "zoho", name: "Zoho Mail", host: "smtp.zoho.com", port: 465, security: .tls,
            otherPorts: ["587 (STARTTLS)", "smtp.zoho.eu for EU accounts", "smtppro.zoho.com for organisations"],
            user: "your full address", password: "the account password, or an app-specific password with two-factor on",
            hostSuffixes: ["zoho.com", "zoho.eu", "zoho.in", "zohomail.com"], greetingMarks: ["zoho"],
            advice: [
                Advice("Accounts in a domain of your organisation use smtppro.zoho.com (or .eu / .in for those data centres).", stages: [.auth]),
                Advice("With two-factor authentication on, use an app-specific password.", stages: [.auth]),
            ],
            spfInclude: "zoho.com"),
        Provider(
            id: "mailtrap", name: "Mailtrap (test inbox)", host: "sandbox.smtp.mailtrap.io", port: 2525, security: .starttls,
            otherPorts: ["25", "465 (implicit TLS)", "587"],
            user: "the inbox's user name (Integration, SMTP)", password: "the inbox's password",
            hostSuffixes: ["mailtrap.io"], greetingMarks: ["mailtrap"],
            advice: [
                Advice("The sandbox catches mail and delivers nothing; sending for real goes through live.smtp.mailtrap.io with the user api.", stages: []),
            ],
            spfInclude: nil),
        Provider(
            id: "proton", name: "Proton Mail Bridge (local)", host: "127.0.0.1", port: 1025, security: .starttls,
            otherPorts: [],
            user: "your Proton address", password: "the password Bridge shows for the account (not your Proton password)",
            hostSuffixes: [], greetingMarks: ["proton"],
            advice: [
                Advice("Bridge must be running on this machine; its SMTP port is shown in Bridge's settings (1025 by default).", stages: [.connect]),
                Advice("Bridge's certificate is its own: export it from Bridge (Settings, Export TLS certificates) and give it with --ca-file.", stages: [.tls]),
                Advice("Use the password Bridge generates (Mailbox details), not your Proton account password.", stages: [.auth]),
            ],
            spfInclude: "_spf.protonmail.ch"),
    ]
}
