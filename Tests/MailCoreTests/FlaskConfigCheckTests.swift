import Testing
@testable import MailCore
@testable import MailAppData

/// Each finding of the Flask config review, in a .env file and in a Python config module, at the
/// line it names.
@Suite struct FlaskConfigCheckTests {
    func findings(dotenv text: String) -> [FlaskFinding] { FlaskImport(FlaskSources.dotenv(text, path: ".env")).findings }
    func findings(python text: String, environment: [String: String] = [:]) -> [FlaskFinding] {
        FlaskImport(FlaskSources.pythonConfig(text, path: "config.py", environment: environment)).findings
    }

    /// The finding whose message contains `words`, or an issue recorded.
    func finding(_ all: [FlaskFinding], _ words: String, sourceLocation: SourceLocation = #_sourceLocation) -> FlaskFinding? {
        let found = all.first { $0.message.contains(words) }
        if found == nil {
            let listed = all.map(\.description).joined(separator: "\n")
            Issue.record(Comment(rawValue: "no finding with \"\(words)\" in:\n\(listed)"), sourceLocation: sourceLocation)
        }
        return found
    }

    @Test func misnamedAndDjangoKeysNameTheKeyMeant() {
        let all = findings(dotenv: """
        MAIL_HOST=smtp.example.com
        DEFAULT_MAIL_SENDER=app@example.com
        MAIL_USE_STARTTLS=1
        EMAIL_HOST_USER=app@example.com
        EMAIL_HOST_PASSWORD=secret
        MAIL_USERNAM=app@example.com
        MAIL_SERVER=smtp.example.com
        MAIL_COLOUR=blue
        EMAIL_WHATEVER=1
        """)
        #expect(finding(all, "MAIL_HOST is not read by Flask-Mail: the key is MAIL_SERVER (MAIL_SERVER is set too, line 7")?.line == 1)
        #expect(finding(all, "DEFAULT_MAIL_SENDER is not read by Flask-Mail: the key is MAIL_DEFAULT_SENDER (it is not set")?.line == 2)
        #expect(finding(all, "MAIL_USE_STARTTLS is not read by Flask-Mail: the key is MAIL_USE_TLS")?.line == 3)
        #expect(finding(all, "EMAIL_HOST_USER is Django's name: Flask-Mail does not read it. Use MAIL_USERNAME")?.line == 4)
        #expect(finding(all, "EMAIL_HOST_PASSWORD is Django's name")?.line == 5)
        #expect(finding(all, "MAIL_USERNAM is not read by Flask-Mail: did you mean MAIL_USERNAME?")?.line == 6)
        #expect(finding(all, "MAIL_COLOUR is not a key Flask-Mail or Flask-Mailman reads")?.line == 8)
        #expect(finding(all, "EMAIL_WHATEVER looks like a Django or Flask-Mailman setting")?.line == 9)
        #expect(finding(all, "MAIL_HOST is not read")?.description.hasPrefix(".env:1: ") == true)
    }

    @Test func typosAreFoundByEditDistanceAndOnlyWhenOneKeyIsClosest() {
        #expect(FlaskKeys.meant("MAIL_PASWORD") == "MAIL_PASSWORD")
        #expect(FlaskKeys.meant("MAIL_USE_TLSS") == "MAIL_USE_TLS")
        #expect(FlaskKeys.meant("MAIL_SEVRER") == "MAIL_SERVER")
        #expect(FlaskKeys.meant("MAIL_USE_XYZ") == nil, "as close to MAIL_USE_TLS as to MAIL_USE_SSL")
        #expect(FlaskKeys.meant("MAIL_SERVER") == nil && FlaskKeys.meant("MAIL_SOMETHING_ELSE") == nil)
        #expect(FlaskKeys.editDistance("", "abc", limit: 5) == 3 && FlaskKeys.editDistance("abc", "", limit: 5) == 3)
    }

    @Test func stringBooleansAndBothSecurityModes() {
        let all = findings(dotenv: "MAIL_SERVER=smtp.example.com\nMAIL_PORT=465\nMAIL_USE_TLS=False\nMAIL_USE_SSL=True\nMAIL_DEBUG=False")
        #expect(finding(all, "MAIL_USE_TLS is the string \"False\", which Python treats as true")?.line == 3)
        #expect(finding(all, "both on")?.severity == .problem)
        #expect(finding(all, "MAIL_DEBUG is \"False\": Flask-Mail calls int() on it")?.line == 5)
    }

    @Test func portsThatDoNotFitTheSecurityMode() {
        #expect(finding(findings(dotenv: "MAIL_SERVER=h.example.com\nMAIL_PORT=465"), "Port 465 expects implicit TLS, but MAIL_USE_SSL is off")?.line == 2)
        #expect(finding(findings(dotenv: "MAIL_SERVER=h.example.com\nMAIL_USE_SSL=1\nMAIL_PORT=587"), "MAIL_USE_SSL is on with port 587")?.line == 3)
        #expect(finding(findings(dotenv: "MAIL_SERVER=h.example.com\nMAIL_PORT=587\nMAIL_USERNAME=u\nMAIL_PASSWORD=p"), "Port 587 with MAIL_USE_TLS off")?.line == 2)
        #expect(finding(findings(dotenv: "MAIL_USE_SSL=1"), "does not switch to 465")?.line == 1, "no MAIL_PORT: the line of MAIL_USE_SSL")
    }

    @Test func senderAsATupleAndAsAStringThatLooksLikeOne() {
        let python = findings(python: "MAIL_SERVER = 'smtp.example.com'\nMAIL_DEFAULT_SENDER = ('Flasky Admin', 'admin@example.com')\n")
        let tuple = finding(python, "MAIL_DEFAULT_SENDER is a tuple (\"Flasky Admin\", \"admin@example.com\")")
        #expect(tuple?.line == 2 && tuple?.severity == .note && tuple?.file == "config.py")
        let dotenv = findings(dotenv: "MAIL_DEFAULT_SENDER=('Flasky Admin', 'admin@example.com')")
        #expect(finding(dotenv, "a tuple written where only strings exist")?.severity == .problem)
        #expect(finding(findings(dotenv: "MAIL_SERVER=x"), "MAIL_DEFAULT_SENDER is not set")?.severity == .note)
    }

    @Test func aSenderOfAnotherDomainWhereTheProviderSendsOnlyAsTheLogin() {
        let gmail = findings(dotenv: "MAIL_SERVER=smtp.gmail.com\nMAIL_PORT=587\nMAIL_USE_TLS=1\nMAIL_USERNAME=me@gmail.com\nMAIL_PASSWORD=x\nMAIL_DEFAULT_SENDER=App <noreply@myapp.example>")
        #expect(finding(gmail, "MAIL_DEFAULT_SENDER's domain (myapp.example) differs from the login's (me@gmail.com): Gmail")?.line == 6)
        let sendgrid = findings(dotenv: "MAIL_SERVER=smtp.sendgrid.net\nMAIL_PORT=587\nMAIL_USE_TLS=1\nMAIL_USERNAME=apikey\nMAIL_PASSWORD=x\nMAIL_DEFAULT_SENDER=noreply@myapp.example")
        #expect(!sendgrid.contains { $0.message.contains("differs from the login's") }, "SendGrid's login is not an address")
    }

    @Test func aPasswordInQuotesOrWithSpacesAroundIt() {
        let quoted = findings(dotenv: "MAIL_USERNAME=u\nMAIL_PASSWORD=\"s3cret\"")
        #expect(finding(quoted, "MAIL_PASSWORD is in quotes")?.line == 2)
        let spaced = findings(dotenv: "MAIL_USERNAME=u\nMAIL_PASSWORD = s3cret ")
        #expect(finding(spaced, "MAIL_PASSWORD has spaces around it")?.line == 2)
        let inside = findings(dotenv: "MAIL_USERNAME=u\nMAIL_PASSWORD=' s3cret'")
        #expect(finding(inside, "begins or ends with a space inside its quotes") != nil)
        #expect(!findings(dotenv: "MAIL_USERNAME=u\nMAIL_PASSWORD=s3cret").contains { $0.message.contains("MAIL_PASSWORD") })
        #expect(!quoted.contains { $0.description.contains("s3cret") }, "no finding shows the password")
    }

    @Test func noTimeoutAndFlaskMailmansKeys() throws {
        #expect(finding(findings(dotenv: "MAIL_SERVER=x"), "No timeout: Flask-Mail sets none")?.severity == .warning)
        let mailman = FlaskImport(FlaskSources.dotenv("MAIL_SERVER=x\nMAIL_TIMEOUT=10\nMAIL_SSL_CERTFILE=/c.pem\nMAIL_SSL_KEYFILE=/k.pem\nMAIL_BACKEND=console", path: ".env"))
        #expect(mailman.settings.timeouts == Timeouts(perStep: 10))
        #expect(finding(mailman.findings, "MAIL_TIMEOUT = 10 s (Flask-Mailman)")?.line == 2)
        #expect(finding(mailman.findings, "MAIL_SSL_CERTFILE (Flask-Mailman) gives a client certificate")?.line == 3)
        #expect(finding(mailman.findings, "MAIL_SSL_KEYFILE")?.line == 4)
        #expect(finding(mailman.findings, "MAIL_BACKEND is \"console\"")?.severity == .problem)
        #expect(!mailman.findings.contains { $0.message.contains("not a key Flask-Mail") }, "Flask-Mailman's keys are known")
        #expect(finding(findings(dotenv: "MAIL_TIMEOUT=soon"), "MAIL_TIMEOUT \"soon\" is not a number")?.severity == .problem)
    }

    @Test func pythonConfigFindingsNameTheirLines() {
        let all = findings(python: """
        import os

        class Config:
            MAIL_HOST = 'smtp.example.com'
            MAIL_PORT = 587
            MAIL_USE_TLS = 'False'
            EMAIL_USE_SSL = False
            MAIL_WEIRD = some_function()
        """)
        #expect(finding(all, "MAIL_HOST is not read")?.description.hasPrefix("config.py:4: ") == true)
        #expect(finding(all, "MAIL_USE_TLS is the string \"False\"")?.line == 6)
        #expect(finding(all, "EMAIL_USE_SSL is Django's name")?.line == 7)
        #expect(finding(all, "cannot read MAIL_WEIRD")?.line == 8)
    }

    @Test func theEnvironmentHasNoLines() {
        let imported = FlaskImport(FlaskSources.environment(["MAIL_SERVER": "x", "EMAIL_HOST": "y", "PATH": "/bin"]))
        let django = finding(imported.findings, "EMAIL_HOST is Django's name")
        #expect(django?.line == nil && django?.file == nil && django?.description.hasPrefix("EMAIL_HOST") == true)
    }
}
