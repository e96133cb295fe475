import Foundation
import Testing
import TestSupport

/// `mailtui serve --api 0` as a test suite uses it: mail sent with Python's smtplib, the API read
/// with urllib and with Mailpit's own Python client (mailpit-api-client) unchanged. The checks are
/// in Tests/Support/mailpit_api_check.py; each mode prints `ok MODE` only when all of them held.
@Suite struct APIEndToEndTests {
    func check(_ mode: String, _ arguments: [String] = [], data: String? = nil) throws {
        let serve = try ServeCommandTests.Serve(["--api", "0"] + arguments, environment: data.map { ["XDG_DATA_HOME": $0] } ?? [:])
        defer { _ = serve.stop() }
        try check(mode, serve)
    }

    func check(_ mode: String, _ serve: ServeCommandTests.Serve) throws {
        let api = try #require(serve.listening["api"] as? String)
        #expect(api.hasPrefix("http://127.0.0.1:"))
        let result = try Program.python("mailpit_api_check.py", [mode, api, serve.port])
        #expect(result.status == 0 && result.out.contains("ok \(mode)"), "\(result.out)\n\(result.err)")
    }

    /// Logins project-a and project-b (smtplib's login; serve takes any without --user): each
    /// sees its own mail with ?mailbox=, its mailbox is a Mailpit tag, a wait and a deletion
    /// stay in their mailbox.
    @Test func eachLoginHasItsMailbox() throws { try check("mailboxes", ["--auth-plaintext"]) }

    /// Read marks (set with Mailpit's client) and tags are in the index: a new serve on the same
    /// store shows them.
    @Test func readMarksAndTagsSurviveARestartOfServe() throws {
        let first = try ServeCommandTests.Serve(["--api", "0"])
        try check("remember", first)
        _ = first.stop()
        try check("remembered", data: first.data)
    }

    @Test func mailpitsFieldNamesOverURLLib() throws { try check("shapes") }

    @Test func aWaitIsAnsweredByMailThatArrivesDuringIt() throws { try check("wait") }

    @Test func badHTTPInputGets4xxAndTheServerGoesOnServing() throws { try check("bad") }

    @Test func faultsSetOverHTTPStrikeTheNextSession() throws { try check("faults") }

    @Test func eventsStreamEachArrival() throws { try check("events") }

    @Test func mailpitsPythonClientWorksUnchanged() throws { try check("client") }
}
