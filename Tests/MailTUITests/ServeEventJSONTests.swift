import Foundation
import Testing
import MailCore
@testable import MailServer
@testable import MailTUI

/// `serve --json` writes each event through Codable, camelCase keys like the store's records,
/// one object a line with its `event`.
@Suite struct ServeEventJSONTests {
    func object(_ line: String) throws -> [String: Any] {
        #expect(!line.contains("\n"))
        return try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    @Test func everyEventIsOneObjectWithCamelCaseKeys() throws {
        let message = StoredMessage(id: "1", path: "/inbox/1.eml", from: "a@b.test", fromParameters: [], recipients: [.init(address: "c@d.test", parameters: [])],
                                    helo: "x", client: "127.0.0.1:5", tls: "TLSv1.3", authUser: "dave\n", authMechanism: "PLAIN", time: 0, bytes: 10,
                                    subject: "Hi", transcript: [], faults: [])
        let listening = try object(ServeOutput.json(.listening(smtp: ["127.0.0.1:2525"], smtps: []), ca: nil, store: "/inbox"))
        #expect(listening["event"] as? String == "listening" && listening["smtp"] as? String == "127.0.0.1:2525")
        #expect(listening["tlsAddresses"] as? [String] == [] && listening["ca"] == nil && listening["store"] as? String == "/inbox")
        let caught = try object(ServeOutput.json(.message(message), ca: nil, store: "/inbox"))
        #expect(caught["event"] as? String == "message" && caught["authUser"] as? String == "dave\n" && caught["rcpt"] as? [String] == ["c@d.test"])
        #expect(caught["path"] as? String == "/inbox/1.eml" && caught["bytes"] as? Int == 10 && caught["relayed"] == nil)
        let summary = SessionSummary(client: "127.0.0.1:5", helo: nil, tls: nil, authUser: "dave", messages: 2, ending: "quit", seconds: 0.5)
        let session = try object(ServeOutput.json(.session(summary), ca: nil, store: "/inbox"))
        #expect(session["event"] as? String == "session" && session["authUser"] as? String == "dave" && session["messages"] as? Int == 2)
        let fault = try object(ServeOutput.json(.fault(FaultReport(stage: .tls, occurrence: 1, action: "close", client: "c")), ca: nil, store: "/inbox"))
        #expect(fault["event"] as? String == "fault" && fault["stage"] as? String == "starttls" && fault["occurrence"] as? Int == 1)
        #expect(try object(ServeEventJSON.stopped)["event"] as? String == "stopped")
        for line in [listening, caught, session, fault] { #expect(line.keys.allSatisfy { !$0.contains("_") }, "\(line.keys)") }
    }
}
