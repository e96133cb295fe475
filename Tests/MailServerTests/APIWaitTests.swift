import Foundation
import MailCore
import Synchronization
import Testing
import TestSupport
@testable import MailServer

/// What `mailtui wait --api` asks of the server (`/api/v1/wait?count=N&after=ID`) and how it
/// goes on: answered once N have come, counting a message seen twice once; a long wait made of
/// several polls; each error of the API said with what to try.
@Suite struct APIWaitTests {
    let api = APITests()

    @Test func aCountedWaitIsAnsweredWhenEnoughHaveArrivedOldestFirst() throws {
        let folder = APITests.Folder()
        let first = folder.store("Subject: build 1\n\nok\n")
        let responder = APIResponder(directory: folder.path)
        let box = Mutex<APIResponse?>(nil)
        responder.handle(APIRequest(method: "GET", target: "/api/v1/wait?query=subject%3Abuild&count=3&timeout=120", host: "localhost")) { response in
            box.withLock { $0 = response }
        }
        #expect(box.withLock { $0 } == nil)
        let second = folder.store("Subject: build 2\n\nok\n")
        responder.arrived(second)
        responder.arrived(second)
        folder.store("Subject: welcome\n\nhi\n")
        #expect(box.withLock { $0 } == nil)
        let third = folder.store("Subject: build 3\n\nok\n")
        responder.arrived(third)
        #expect(Wait.until(timeout: 60) { box.withLock { $0 } != nil })
        let response = try #require(box.withLock { $0 })
        let list = try #require(JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
        #expect((list["messages"] as? [[String: Any]])?.map { $0["ID"] as? String } == [first.id, second.id, third.id])
        #expect(responder.waiters.count == 0)
    }

    @Test func afterSkipsWhatWasThereAndBadParametersAre400() throws {
        let folder = APITests.Folder()
        let old = folder.store("Subject: build 1\n\nok\n")
        let responder = APIResponder(directory: folder.path)
        // A timeout is answered from another thread.
        let box = Mutex<APIResponse?>(nil)
        responder.handle(APIRequest(method: "GET", target: "/api/v1/wait?count=1&after=\(old.id)&timeout=0", host: "localhost")) { response in
            box.withLock { $0 = response }
        }
        #expect(Wait.until(timeout: 60) { box.withLock { $0 } != nil })
        #expect(box.withLock { $0 }?.status == 408 && String(decoding: box.withLock { $0 }?.body ?? [], as: UTF8.self).contains("(0 of 1 did)"))
        let new = folder.store("Subject: build 2\n\nok\n")
        // As serve tells of each message it stores (which puts it in the index).
        responder.arrived(new)
        let answer = api.answer(responder, "GET", "/api/v1/wait?count=1&after=\(old.id)&timeout=0")
        #expect(answer.status == 200 && String(decoding: answer.body, as: UTF8.self).contains(new.id))
        #expect(api.answer(responder, "GET", "/api/v1/wait?count=0&timeout=0").status == 400)
        #expect(api.answer(responder, "GET", "/api/v1/wait?count=20000&timeout=0").status == 400)
        #expect(api.answer(responder, "GET", "/api/v1/wait?after=..%2Fx&timeout=0").status == 400)
        let conversation = try api.object(api.answer(responder, "GET", "/api/v1/message/\(new.id)/conversation"))
        #expect(conversation["mailFrom"] as? String == "alice@example.com" && conversation["rcpt"] as? [String] == ["bob@example.com"])
    }

    /// A relayed attempt's note (`notSent`) is kept and listed (tagged `not-sent`), but no wait is
    /// answered with it: a test waiting for the app's password mail must not get mailtui's note.
    @Test func aRelayedAttemptsNoteAnswersNoWait() throws {
        let folder = APITests.Folder()
        var note = folder.store("Subject: [not sent] password reset: upstream refused RCPT TO: 550 5.1.1 no such user\n\nnote\n")
        note.notSent = true
        _ = FileManager.default.createFile(atPath: folder.path + "/" + note.id + ".json", contents: Data(note.json))
        let responder = APIResponder(directory: folder.path)
        let first = Mutex<APIResponse?>(nil)
        responder.handle(APIRequest(method: "GET", target: "/api/v1/wait?query=subject%3Apassword&timeout=0", host: "localhost")) { response in
            first.withLock { $0 = response }
        }
        #expect(Wait.until(timeout: 60) { first.withLock { $0 } != nil })
        #expect(first.withLock { $0 }?.status == 408)
        let box = Mutex<APIResponse?>(nil)
        responder.handle(APIRequest(method: "GET", target: "/api/v1/wait?query=subject%3Apassword&timeout=120", host: "localhost")) { response in
            box.withLock { $0 = response }
        }
        var second = folder.store("Subject: [not sent] password reset again\n\nnote\n")
        second.notSent = true
        _ = FileManager.default.createFile(atPath: folder.path + "/" + second.id + ".json", contents: Data(second.json))
        responder.arrived(second)
        let mail = folder.store("Subject: Reset your password\n\nhttps://acme.example/reset\n")
        responder.arrived(mail)
        #expect(Wait.until(timeout: 60) { box.withLock { $0 } != nil })
        let body = box.withLock { $0 }?.body ?? []
        #expect(String(decoding: body, as: UTF8.self).contains(mail.id))
        let listed = try api.object(api.answer(responder, "GET", "/api/v1/search?query=tag%3Anot-sent"))
        #expect((listed["messages"] as? [[String: Any]])?.compactMap { $0["ID"] as? String }.sorted() == [note.id, second.id])
    }

    /// A fake API: each path prefix answered by the next reply of its list.
    final class FakeAPI: @unchecked Sendable {
        var replies: [String: [Result<APIGet.Reply, APIGet.Failure>]]
        var asked: [String] = []
        /// The time each request was given, in order.
        var allowed: [Double] = []
        init(_ replies: [String: [Result<APIGet.Reply, APIGet.Failure>]]) { self.replies = replies }

        func fetch(_ path: String, _ seconds: Double, _ limit: Int) -> Result<APIGet.Reply, APIGet.Failure> {
            asked.append(path)
            allowed.append(seconds)
            let key = replies.keys.filter { path.hasPrefix($0) }.max { $0.count < $1.count } ?? ""
            guard var list = replies[key], !list.isEmpty else { return .success(.init(status: 599, body: [])) }
            let reply = list.count > 1 ? list.removeFirst() : list[0]
            replies[key] = list
            return reply
        }
    }

    static func ok(_ json: String) -> Result<APIGet.Reply, APIGet.Failure> { .success(.init(status: 200, body: Array(json.utf8))) }

    @Test func aPollThatEndsBeforeTheWaitIsAskedAgain() throws {
        let id = "1796000000001-7-000001"
        let fake = FakeAPI([
            "/api/v1/messages": [Self.ok("{\"messages\": []}")],
            "/api/v1/wait": [.success(.init(status: 408, body: Array("no message arrived".utf8))), Self.ok("{\"messages\": [{\"ID\": \"\(id)\"}]}")],
            "/api/v1/message/\(id)/conversation": [Self.ok("{\"mailFrom\": \"a@x.example\", \"rcpt\": [\"b@x.example\"], \"time\": 5, \"bytes\": 30}")],
            "/api/v1/message/\(id)/raw": [Self.ok("Subject: Reset\r\n\r\nhttps://x.example/r\r\n")],
        ])
        let wait = APIWait(base: "http://127.0.0.1:9", query: "subject:\"a b\"", count: 1, timeout: 60, onlyNew: false, fetch: fake.fetch)
        let outcome = try wait.run()
        #expect(!outcome.timedOut && outcome.matched.map(\.subject) == ["Reset"] && outcome.matched.first?.link == "https://x.example/r")
        #expect(outcome.matched.first?.record.from == "a@x.example")
        #expect(fake.asked.filter { $0.hasPrefix("/api/v1/wait") }.count == 2)
        #expect(fake.asked[1].contains("&count=1&query=subject%3A%22a%20b%22"), "\(fake.asked)")
    }

    /// An API that hangs held `wait --api --timeout 3` for 30 s: each request's time was the fixed
    /// 30 s slack. Now a request gets its poll and at most the wait's own timeout (2 s at least).
    @Test func aShortWaitGivesEachRequestAShortTime() throws {
        let id = "1796000000001-7-000001"
        let fake = FakeAPI([
            "/api/v1/messages": [Self.ok("{\"messages\": []}")],
            "/api/v1/wait": [Self.ok("{\"messages\": [{\"ID\": \"\(id)\"}]}")],
            "/api/v1/message/\(id)/conversation": [Self.ok("{\"mailFrom\": \"a@x.example\", \"rcpt\": [\"b@x.example\"], \"time\": 5, \"bytes\": 30}")],
            "/api/v1/message/\(id)/raw": [Self.ok("Subject: Reset\r\n\r\nhi\r\n")],
        ])
        _ = try APIWait(base: "http://127.0.0.1:9", query: "", count: 1, timeout: 3, onlyNew: true, fetch: fake.fetch).run()
        #expect(fake.allowed.count >= 3)
        #expect(fake.allowed.allSatisfy { $0 <= 6 }, "\(zip(fake.asked, fake.allowed).map { "\($0) \($1)" })")
    }

    @Test func eachErrorSaysWhatToTry() {
        func failure(_ replies: [String: [Result<APIGet.Reply, APIGet.Failure>]]) -> APIWaitError? {
            let fake = FakeAPI(replies)
            do {
                _ = try APIWait(base: "http://127.0.0.1:9", query: "", count: 1, timeout: 0, onlyNew: false, fetch: fake.fetch).run()
                return nil
            } catch { return error }
        }
        let gone = failure(["/api/v1/messages": [.failure(.init(code: 7, words: "Connection refused", tooLarge: false))]])
        #expect(gone?.kind == .unreachable && gone?.description.contains("start `mailtui serve --api PORT`") == true, "\(String(describing: gone))")
        let token = failure(["/api/v1/messages": [.success(.init(status: 401, body: Array("give the API token\n".utf8)))]])
        #expect(token?.kind == .answered(401) && token?.description.contains("MAILTUI_API_TOKEN=TOKEN") == true, "\(String(describing: token))")
        let mailpit = failure(["/api/v1/messages": [Self.ok("{\"messages\": []}")], "/api/v1/wait": [.success(.init(status: 404, body: []))]])
        #expect(mailpit?.description.contains("Mailpit has no /api/v1/wait") == true, "\(String(describing: mailpit))")
        let query = failure(["/api/v1/messages": [Self.ok("{\"messages\": []}")], "/api/v1/wait": [.success(.init(status: 400, body: Array("the query is refused".utf8)))]])
        #expect(query?.kind == .badQuery)
        let strange = failure(["/api/v1/messages": [Self.ok("[1, 2]")]])
        #expect(strange?.description.contains("JSON mailtui does not know") == true)
    }
}
