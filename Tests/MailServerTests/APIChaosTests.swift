import Foundation
import MailCore
import Testing
@testable import MailServer

/// Mailpit's `/api/v1/chaos` over our faults: the triggers' JSON as Mailpit's swagger has it,
/// each kept as a fault the F12 panel and `/api/v1/faults` see, and bad values refused with the
/// reason while the faults in force stay as they were.
@Suite struct APIChaosTests {
    let api = APITests()

    func settings(_ response: APIResponse) throws -> [String: [String: Int]] {
        try #require(JSONSerialization.jsonObject(with: Data(response.body)) as? [String: [String: Int]])
    }

    @Test func theRouterKnowsChaos() {
        #expect(APIRoute.parse(method: "GET", target: "/api/v1/chaos").route == .chaos(method: "GET"))
        #expect(APIRoute.parse(method: "PUT", target: "/api/v1/chaos").route == .chaos(method: "PUT"))
        #expect(APIRoute.parse(method: "DELETE", target: "/api/v1/chaos").route == .methodNotAllowed)
    }

    @Test func triggersAreSetAsFaultsAndReadBack() throws {
        let responder = APIResponder(directory: APITests.Folder().path)
        #expect(api.answer(responder, "GET", "/api/v1/chaos").status == 503)
        let book = FaultBook([try Fault(parsing: "data=close")])
        responder.attach(book)
        let off = ["Sender": ["ErrorCode": 451, "Probability": 0], "Recipient": ["ErrorCode": 451, "Probability": 0],
                   "Authentication": ["ErrorCode": 535, "Probability": 0]]
        #expect(try settings(api.answer(responder, "GET", "/api/v1/chaos")) == off)

        let put = api.answer(responder, "PUT", "/api/v1/chaos", body: "{\"Recipient\": {\"ErrorCode\": 550, \"Probability\": 30}, \"sender\": {\"probability\": 5}}")
        #expect(put.status == 200)
        var on = off
        on["Recipient"] = ["ErrorCode": 550, "Probability": 30]
        on["Sender"] = ["ErrorCode": 451, "Probability": 5]
        #expect(try settings(put) == on)
        #expect(try settings(api.answer(responder, "GET", "/api/v1/chaos")) == on)
        // Kept beside the other faults, written as --fault writes them.
        let written = ["data=close", "mail=451 Chaos sender error ~5%", "rcpt=550 Chaos recipient error ~30%"]
        #expect(book.active == written)
        #expect(try api.object(api.answer(responder, "GET", "/api/v1/faults"))["faults"] as? [String] == written)

        // The F12 panel puts back what it read: still the same triggers.
        book.replace(with: try book.active.map { try Fault(parsing: $0) }, once: false)
        #expect(try settings(api.answer(responder, "GET", "/api/v1/chaos")) == on)

        // A trigger left out is reset, as in Mailpit; {} resets them all; other faults stay.
        let auth = api.answer(responder, "PUT", "/api/v1/chaos", body: "{\"Authentication\": {\"ErrorCode\": 454, \"Probability\": 100}}")
        #expect(auth.status == 200 && book.active == ["data=close", "auth=454 Chaos authentication error ~100%"])
        #expect(api.answer(responder, "PUT", "/api/v1/chaos", body: "{}").status == 200)
        #expect(book.active == ["data=close"])
    }

    @Test func badValuesAre400WithTheReasonAndChangeNothing() throws {
        let responder = APIResponder(directory: APITests.Folder().path)
        let book = FaultBook()
        responder.attach(book)
        #expect(api.answer(responder, "PUT", "/api/v1/chaos", body: "{\"Sender\": {\"ErrorCode\": 421, \"Probability\": 50}}").status == 200)
        let before = book.active
        let cases: [(String, String)] = [
            ("not json", "not a JSON object"),
            ("", "not a JSON object"),
            ("[1, 2]", "not a JSON object"),
            ("{\"Sender\": {\"ErrorCode\": 250, \"Probability\": 5}}", "Sender.ErrorCode must be from 400 to 599"),
            ("{\"Recipient\": {\"ErrorCode\": 600}}", "Recipient.ErrorCode must be from 400 to 599"),
            ("{\"Recipient\": {\"Probability\": 101}}", "Recipient.Probability must be from 0 to 100"),
            ("{\"Authentication\": {\"Probability\": -1}}", "Authentication.Probability must be from 0 to 100"),
            ("{\"Sender\": {\"Probability\": 5.5}}", "takes a whole number"),
            ("{\"Sender\": {\"Probability\": \"5\"}}", "not a JSON object"),
            ("{\"Recipients\": {\"Probability\": 5}}", "no chaos trigger \"Recipients\""),
            ("{\"Sender\": {\"Chance\": 5}}", "no field \"Chance\""),
            // The same trigger or field in two cases: which one counted hung on a dictionary's order.
            ("{\"Sender\": {\"Probability\": 100}, \"sender\": {\"Probability\": 0}}", "given twice"),
            ("{\"Sender\": {\"Probability\": 100, \"probability\": 0}}", "given twice"),
        ]
        for (body, reason) in cases {
            let answer = api.answer(responder, "PUT", "/api/v1/chaos", body: body)
            let text = String(decoding: answer.body, as: UTF8.self)
            #expect(answer.status == 400 && text.contains(reason), "\(body): \(answer.status) \(text)")
        }
        #expect(book.active == before)
        // Null is zero, as Go reads it: the default code, off.
        #expect(api.answer(responder, "PUT", "/api/v1/chaos", body: "{\"Sender\": {\"ErrorCode\": null, \"Probability\": null}, \"Recipient\": null}").status == 200)
        #expect(book.active.isEmpty)
    }

    @Test func aTriggerStrikesWithItsChanceFromTheSeed() throws {
        let book = FaultBook(seed: 7)
        book.exchange(leaving: { _ in false }, for: Chaos.faults(.init(Sender: .init(ErrorCode: 451, Probability: 50), Recipient: .init(ErrorCode: 451, Probability: 0),
                                                                          Authentication: .init(ErrorCode: 535, Probability: 100))))
        let facts = FaultFacts(client: "127.0.0.1", sender: "a@example.com")
        let struck = (0..<400).filter { _ in book.reach(.mail, facts) != nil }.count
        #expect(struck > 120 && struck < 280, "about half of 400: \(struck)")
        #expect(book.reach(.auth, facts)?.fault.action == .reply(code: 535, text: "Chaos authentication error"))
        #expect(book.reach(.rcpt, facts) == nil)
    }
}
