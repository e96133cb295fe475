import Foundation
import Testing
@testable import MailCore
import TestSupport

/// `check-message --network`: a HEAD request to each link and image, against an HTTPS server on
/// loopback with the test CA.
@Suite(.serialized) struct LinkReachabilityTests {
    @Test func deadLinksAndUntrustedCertificatesAreProblems() throws {
        let server = try TestHTTPSServer(["/ok": (200, "text/html", "ok")])
        defer { server.stop() }
        let reachability = LinkReachability(caFile: server.caFile, timeout: 20)
        #expect(reachability.head(server.url("/ok")) == .status(200, redirects: 0))
        #expect(reachability.head(server.url("/gone")) == .status(404, redirects: 0))
        let html = HTMLScan("<a href=\"\(server.url("/ok"))\">ok</a><a href=\"\(server.url("/gone"))\">gone</a><img src=\"\(server.url("/ok"))\" alt=\"\">")
        let findings = HTMLChecks.links(html, reachability: reachability).filter { $0.verdict == .problem }
        #expect(findings.map(\.text) == ["Does not answer: \(server.url("/gone")) (HTTP 404)."], "\(findings)")
        // Without the test CA, the certificate is not trusted: that is a failure, not a pass.
        guard case .failed(let code, _) = LinkReachability(caFile: nil, timeout: 20).head(server.url("/ok")) else {
            Issue.record("an untrusted certificate passed")
            return
        }
        #expect(code == 60, "CURLE_PEER_FAILED_VERIFICATION")
    }
}
