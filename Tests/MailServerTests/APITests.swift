import Foundation
import MailCore
import NIOCore
import NIOEmbedded
import NIOHTTP1
import Synchronization
import Testing
import TestSupport
@testable import MailServer

/// The HTTP API's parts without a socket: the router, the responder over a store folder made by
/// the test, the long poll answered by an arrival, and the connection's caps in an EmbeddedChannel.
@Suite struct APITests {
    /// A store folder holding the messages the test writes, as the store writes them.
    final class Folder {
        let path = TestPaths.temporaryDirectory("mailtui-api")
        private var number = 0

        init() { chmod(path, 0o700) }

        @discardableResult
        func store(_ message: String, rcpt: [String] = ["bob@example.com"], millis: Int = 1_796_000_000_000) -> MailServer.StoredMessage {
            number += 1
            let id = "\(millis + number)-\(getpid())-" + String(repeating: "0", count: 6 - String(number).count) + String(number)
            let bytes = Array(message.replacingOccurrences(of: "\n", with: "\r\n").utf8)
            let record = MailServer.StoredMessage(id: id, path: path + "/" + id + ".eml", from: "alice@example.com", fromParameters: [],
                                       recipients: rcpt.map { .init(address: $0, parameters: []) }, helo: "client.test", client: "127.0.0.1:5",
                                       tls: nil, authUser: nil, authMechanism: nil, time: (millis + number) / 1000, bytes: bytes.count, subject: nil,
                                       transcript: [TranscriptLine(elapsed: .zero, speaker: .client, inTLS: false, stage: .ehlo, text: "EHLO client.test")], faults: [])
            _ = FileManager.default.createFile(atPath: path + "/" + id + ".json", contents: Data(record.json))
            _ = FileManager.default.createFile(atPath: path + "/" + id + ".eml", contents: Data(bytes))
            return record
        }
    }

    static let reset = """
    From: "Acme, Inc" <no-reply@acme.example>
    To: Ada <ada@example.com>
    Cc: carl@example.com
    Subject: Password reset
    Message-ID: <reset-1@acme.example>
    MIME-Version: 1.0
    Content-Type: multipart/mixed; boundary="b"

    --b
    Content-Type: text/plain

    Follow https://acme.example/reset?t=1 to choose a password.
    --b
    Content-Type: application/pdf; name="terms.pdf"
    Content-Disposition: attachment; filename="terms.pdf"

    PDF!
    --b--

    """

    func answer(_ responder: APIResponder, _ method: String, _ target: String, body: String = "", loopback: Bool = true,
                authorization: String? = nil, host: String? = "127.0.0.1:8025", http10: Bool = false) -> APIResponse {
        let box = Mutex<APIResponse?>(nil)
        responder.handle(APIRequest(method: method, target: target, authorization: authorization, body: Array(body.utf8), fromLoopback: loopback,
                                    host: host, isHTTP10: http10)) { response in
            box.withLock { $0 = response }
        }
        return box.withLock { $0 } ?? APIResponse(status: 0, contentType: "", body: [])
    }

    func object(_ response: APIResponse) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
    }

    @Test func theRouterKnowsMailpitsPathsAndRefusesClimbing() {
        #expect(APIRoute.parse(method: "GET", target: "/api/v1/messages?start=5&limit=2").route == .listMessages)
        #expect(APIRoute.parse(method: "GET", target: "/api/v1/messages?start=5&limit=2").query == ["start": "5", "limit": "2"])
        #expect(APIRoute.parse(method: "DELETE", target: "/api/v1/messages").route == .deleteMessages)
        #expect(APIRoute.parse(method: "PUT", target: "/api/v1/messages").route == .markMessages)
        #expect(APIRoute.parse(method: "GET", target: "/api/v1/message/latest").route == .message("latest"))
        #expect(APIRoute.parse(method: "GET", target: "/api/v1/message/1-2-000003/part/1.2").route == .part("1-2-000003", part: "1.2"))
        #expect(APIRoute.parse(method: "GET", target: "/api/v1/search?query=subject%3A%22a+b%22").query["query"] == "subject:\"a b\"")
        #expect(APIRoute.parse(method: "GET", target: "/api/v1/events").route == .events)
        #expect(APIRoute.parse(method: "POST", target: "/api/v1/messages").route == .methodNotAllowed)
        #expect(APIRoute.parse(method: "GET", target: "/api/v2/messages").route == .notFound)
        for climbing in ["/api/v1/../etc/passwd", "/api/v1/message/%2e%2e/raw", "/api/v1/message/a%2fb", "api/v1/messages", "/api/v1/message/%zz"] {
            #expect(APIRoute.parse(method: "GET", target: climbing).route == .badPath, "\(climbing)")
        }
    }

    @Test func theListHasMailpitsFieldsNewestFirst() throws {
        let folder = Folder()
        folder.store("Subject: first\n\nhello\n")
        let reset = folder.store(Self.reset, rcpt: ["ada@example.com", "carl@example.com", "hidden@example.com"])
        let responder = APIResponder(directory: folder.path)
        let list = try object(answer(responder, "GET", "/api/v1/messages?limit=1"))
        #expect(Set(list.keys) == ["total", "unread", "count", "messages_count", "start", "tags", "messages"])
        #expect(list["total"] as? Int == 2 && list["count"] as? Int == 1 && list["unread"] as? Int == 2 && list["messages_count"] as? Int == 2)
        let item = try #require((list["messages"] as? [[String: Any]])?.first)
        #expect(Set(item.keys) == ["ID", "MessageID", "Read", "From", "To", "Cc", "Bcc", "ReplyTo", "Subject", "Created", "Username", "Tags", "Size",
                                   "Attachments", "Snippet"])
        #expect(item["ID"] as? String == reset.id && item["MessageID"] as? String == "reset-1@acme.example" && item["Attachments"] as? Int == 1)
        #expect(item["From"] as? [String: String] == ["Name": "Acme, Inc", "Address": "no-reply@acme.example"])
        #expect(item["To"] as? [[String: String]] == [["Name": "Ada", "Address": "ada@example.com"]])
        #expect(item["Bcc"] as? [[String: String]] == [["Name": "", "Address": "hidden@example.com"]])
        #expect(item["Snippet"] as? String == "Follow https://acme.example/reset?t=1 to choose a password.")
        #expect((item["Created"] as? String)?.hasSuffix("Z") == true && (item["Created"] as? String)?.count == 24)
        let second = try object(answer(responder, "GET", "/api/v1/messages?start=1"))
        #expect((second["messages"] as? [[String: Any]])?.first?["Subject"] as? String == "first" && second["start"] as? Int == 1)
        #expect(answer(responder, "GET", "/api/v1/messages?limit=-1").status == 400)
    }

    @Test func aMessageItsPartsAndHeaders() throws {
        let folder = Folder()
        let record = folder.store(Self.reset)
        let responder = APIResponder(directory: folder.path)
        let message = try object(answer(responder, "GET", "/api/v1/message/latest"))
        #expect(message["ID"] as? String == record.id && (message["Text"] as? String)?.hasPrefix("Follow https://acme.example/reset") == true)
        #expect(message["HTML"] as? String == "" && (message["Inline"] as? [Any])?.isEmpty == true)
        let attachment = try #require((message["Attachments"] as? [[String: Any]])?.first)
        #expect(attachment["PartID"] as? String == "2" && attachment["FileName"] as? String == "terms.pdf" && attachment["Size"] as? Int == 4)
        // Reading it marks it read, as in Mailpit.
        #expect(try object(answer(responder, "GET", "/api/v1/messages"))["unread"] as? Int == 0)
        let part = answer(responder, "GET", "/api/v1/message/\(record.id)/part/2")
        #expect(part.status == 200 && part.body == Array("PDF!".utf8) && part.contentType == "application/pdf")
        let headers = try object(answer(responder, "GET", "/api/v1/message/\(record.id)/headers"))
        #expect(headers["Message-Id"] as? [String] == ["<reset-1@acme.example>"] && headers["Subject"] as? [String] == ["Password reset"])
        #expect(String(decoding: answer(responder, "GET", "/api/v1/message/\(record.id)/raw").body, as: UTF8.self).contains("Subject: Password reset\r\n"))
        let conversation = try object(answer(responder, "GET", "/api/v1/message/\(record.id)/conversation"))
        #expect((conversation["transcript"] as? [[String: Any]])?.first?["text"] as? String == "EHLO client.test")
        #expect(answer(responder, "GET", "/api/v1/message/1-2-000003").status == 404)
        #expect(answer(responder, "GET", "/api/v1/message/\(record.id)/part/9").status == 404)
    }

    /// check-message's checks as data: the reset message has no Date, no DKIM signature and no
    /// List-Unsubscribe, each a finding with what to change; an unknown message is 404.
    @Test func aCaughtMessagesChecksAsData() throws {
        let folder = Folder()
        let record = folder.store(Self.reset)
        let responder = APIResponder(directory: folder.path)
        let checks = try object(answer(responder, "GET", "/api/v1/message/\(record.id)/checks"))
        #expect(checks["id"] as? String == record.id && checks["verdict"] as? String == "problem")
        let findings = try #require(checks["findings"] as? [[String: Any]])
        let problems = findings.filter { $0["verdict"] as? String == "problem" }
        #expect(checks["problems"] as? Int == problems.count && problems.count > 0)
        #expect(problems.contains { ($0["text"] as? String)?.contains("Date") == true && $0["fix"] is String }, "\(problems)")
        #expect(findings.allSatisfy { $0["area"] is String })
        #expect(answer(responder, "GET", "/api/v1/message/1-2-000003/checks").status == 404)
        #expect(answer(responder, "POST", "/api/v1/message/\(record.id)/checks").status == 405)
    }

    @Test func searchAndDeleteTakeMailpitsSyntaxAndBodies() throws {
        let folder = Folder()
        folder.store("Subject: Welcome\n\nhi\n")
        let reset = folder.store(Self.reset)
        let responder = APIResponder(directory: folder.path)
        let found = try object(answer(responder, "GET", "/api/v1/search?query=subject%3Areset+has%3Aattachment"))
        #expect(found["messages_count"] as? Int == 1 && found["total"] as? Int == 2)
        #expect((found["messages"] as? [[String: Any]])?.first?["ID"] as? String == reset.id)
        #expect(answer(responder, "GET", "/api/v1/search").status == 400)
        #expect(answer(responder, "PUT", "/api/v1/messages", body: "{\"IDs\": [\"\(reset.id)\"], \"Read\": true}").status == 200)
        #expect(try object(answer(responder, "GET", "/api/v1/search?query=is%3Aread"))["messages_count"] as? Int == 1)
        let bad = answer(responder, "DELETE", "/api/v1/messages", body: "{\"IDs\": [")
        #expect(bad.status == 400 && String(decoding: bad.body, as: UTF8.self).contains("{\"IDs\""))
        #expect(answer(responder, "DELETE", "/api/v1/search?query=subject%3Awelcome").status == 200)
        #expect(try object(answer(responder, "GET", "/api/v1/messages"))["total"] as? Int == 1)
        #expect(answer(responder, "DELETE", "/api/v1/messages", body: "{\"IDs\": [\"\(reset.id)\"]}").status == 200)
        #expect(try object(answer(responder, "GET", "/api/v1/messages"))["total"] as? Int == 0)
        #expect(try object(answer(responder, "GET", "/api/v1/info"))["Messages"] as? Int == 0)
    }

    @Test func aClientBeyondLoopbackMustShowTheToken() {
        let folder = Folder()
        let open = APIResponder(directory: folder.path)
        #expect(answer(open, "GET", "/api/v1/messages", loopback: false).status == 403)
        let guarded = APIResponder(directory: folder.path, token: "s3cret")
        #expect(answer(guarded, "GET", "/api/v1/messages", loopback: false).status == 401)
        #expect(answer(guarded, "GET", "/api/v1/messages", loopback: false, authorization: "Bearer wrong").status == 401)
        #expect(answer(guarded, "GET", "/api/v1/messages", loopback: false, authorization: "Bearer s3cret").status == 200)
        #expect(answer(guarded, "GET", "/api/v1/messages").status == 200)
    }

    /// DNS rebinding: a page whose domain is rebound to 127.0.0.1 reaches the API from the
    /// browser with its own name in Host. Without a token only loopback names are answered.
    @Test func withoutATokenOnlyALoopbackHostIsAnswered() throws {
        let folder = Folder()
        folder.store("Subject: secret\n\nhi\n")
        let open = APIResponder(directory: folder.path)
        for host in ["127.0.0.1", "127.0.0.1:8025", "LOCALHOST:8025", "localhost", "[::1]", "[::1]:8025"] {
            #expect(answer(open, "GET", "/api/v1/message/latest/raw", host: host).status == 200, "\(host)")
        }
        for host in ["evil.example:8025", "evil.example", "localhost.evil.example", "127.0.0.1.evil.example", "[::1].evil", "localhost:80x",
                     "127.0.0.1:", "", "[::1"] {
            let refused = answer(open, "GET", "/api/v1/message/latest/raw", host: host)
            #expect(refused.status == 403 && String(decoding: refused.body, as: UTF8.self).contains("DNS rebinding"), "\(host)")
            #expect(answer(open, "DELETE", "/api/v1/messages", body: "{}", host: host).status == 403, "\(host)")
        }
        #expect(try object(answer(open, "GET", "/api/v1/messages"))["total"] as? Int == 1)
        let missing = answer(open, "GET", "/api/v1/messages", host: nil)
        #expect(missing.status == 400 && String(decoding: missing.body, as: UTF8.self).contains("Host"))
        #expect(answer(open, "GET", "/api/v1/messages", host: nil, http10: true).status == 200)
        // With a token the token is the protection: today's rules.
        let guarded = APIResponder(directory: folder.path, token: "s3cret")
        #expect(answer(guarded, "GET", "/api/v1/messages", host: "mail.example:8025").status == 200)
        #expect(answer(guarded, "GET", "/api/v1/messages", loopback: false, host: "mail.example:8025").status == 401)
        #expect(answer(guarded, "GET", "/api/v1/messages", loopback: false, authorization: "Bearer s3cret", host: "mail.example").status == 200)
    }

    /// The handler hands the Host header on: a rebound name is refused over the connection too.
    @Test func theHandlerRefusesARequestForAnotherHost() throws {
        let channel = EmbeddedChannel()
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        try channel.pipeline.syncOperations.addHandler(APIHTTPHandler(responder: APIResponder(directory: Folder().path), cap: RequestSizeCap()))
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: "evil.example:8025")
        try channel.writeInbound(HTTPServerRequestPart.head(HTTPRequestHead(version: .http1_1, method: .GET, uri: "/api/v1/events", headers: headers)))
        try channel.writeInbound(HTTPServerRequestPart.end(nil))
        guard case .head(let head) = try #require(try channel.readOutbound(as: HTTPServerResponsePart.self)) else {
            Issue.record("no response head")
            return
        }
        #expect(head.status == .forbidden)
    }

    @Test func aWaitIsAnsweredByAMessageThatArrivesDuringIt() throws {
        let folder = Folder()
        folder.store("Subject: Welcome\n\nhi\n")
        let responder = APIResponder(directory: folder.path)
        let box = Mutex<APIResponse?>(nil)
        responder.handle(APIRequest(method: "GET", target: "/api/v1/wait?query=subject%3Areset&timeout=120", host: "localhost")) { response in box.withLock { $0 = response } }
        // Nothing matched yet: the request waits.
        #expect(box.withLock { $0 } == nil && responder.waiters.count == 1)
        let reset = folder.store(Self.reset)
        responder.arrived(reset)
        #expect(Wait.until(timeout: 60) { box.withLock { $0 } != nil })
        let response = try #require(box.withLock { $0 })
        #expect(response.status == 200)
        #expect(try object(response)["ID"] as? String == reset.id)
        #expect(responder.waiters.count == 0)
    }

    @Test func aWaitEndsWith408AtItsTimeout() {
        let folder = Folder()
        let responder = APIResponder(directory: folder.path)
        let box = Mutex<APIResponse?>(nil)
        responder.handle(APIRequest(method: "GET", target: "/api/v1/wait?query=nothing&timeout=0.2", host: "localhost")) { response in box.withLock { $0 = response } }
        #expect(Wait.until(timeout: 60) { box.withLock { $0 } != nil })
        #expect(box.withLock { $0 }?.status == 408 && responder.waiters.count == 0)
        #expect(answer(responder, "GET", "/api/v1/wait?timeout=9999").status == 400)
    }

    /// A client that opens a wait and goes frees its place at once: otherwise `most` such
    /// clients would make every later wait 503 until their timeouts (up to 600 s).
    @Test func aWaitWhoseClientGoesIsRemovedAtOnce() throws {
        let responder = APIResponder(directory: Folder().path)
        let channel = EmbeddedChannel()
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        try channel.pipeline.syncOperations.addHandler(APIHTTPHandler(responder: responder, cap: RequestSizeCap()))
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: "127.0.0.1:8025")
        try channel.writeInbound(HTTPServerRequestPart.head(HTTPRequestHead(version: .http1_1, method: .GET, uri: "/api/v1/wait?timeout=600",
                                                                            headers: headers)))
        try channel.writeInbound(HTTPServerRequestPart.end(nil))
        #expect(Wait.until(timeout: 60) { responder.waiters.count == 1 })
        try channel.close().wait()
        #expect(Wait.until(timeout: 10) { responder.waiters.count == 0 })
        // A client gone before its wait was even registered leaves nothing behind either.
        let gone = APIWaiters.Abandon()
        gone.abandon()
        let box = Mutex<APIResponse?>(nil)
        responder.handle(APIRequest(method: "GET", target: "/api/v1/wait?timeout=600", host: "localhost"), abandon: gone) { response in
            box.withLock { $0 = response }
        }
        #expect(responder.waiters.count == 0 && box.withLock { $0 } == nil)
    }

    @Test func aHugeHeaderIsAnswered431AndTheConnectionClosed() throws {
        let channel = EmbeddedChannel()
        let cap = RequestSizeCap()
        try channel.pipeline.syncOperations.addHandler(cap)
        var buffer = channel.allocator.buffer(capacity: 0)
        buffer.writeString("GET /api/v1/messages HTTP/1.1\r\nX-Big: " + String(repeating: "a", count: 70_000))
        try channel.writeInbound(buffer)
        let reply = try #require(try channel.readOutbound(as: ByteBuffer.self))
        #expect(String(buffer: reply).hasPrefix("HTTP/1.1 431 "))
        #expect(!channel.isActive)
        // What passed on to the decoder is nothing: the oversized head never reached it.
        #expect(try channel.readInbound(as: ByteBuffer.self) == nil)
    }

    @Test func aBodyPastTheCapIsAnswered413Not431() throws {
        let channel = EmbeddedChannel()
        let cap = RequestSizeCap()
        try channel.pipeline.syncOperations.addHandler(cap)
        var head = channel.allocator.buffer(capacity: 0)
        head.writeString("PUT /api/v1/tags HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 3000000\r\n\r\n")
        try channel.writeInbound(head)
        cap.headDone(bodyAllowance: APIHTTPHandler.largestBody)
        _ = try channel.readInbound(as: ByteBuffer.self)
        var body = channel.allocator.buffer(capacity: 0)
        body.writeString(String(repeating: "a", count: 1_200_000))
        try channel.writeInbound(body)
        let reply = try #require(try channel.readOutbound(as: ByteBuffer.self))
        #expect(String(buffer: reply).hasPrefix("HTTP/1.1 413 "))
        #expect(!channel.isActive)
    }

    @Test func faultsAreReadReplacedAndClearedAsFaultWritesThem() throws {
        let responder = APIResponder(directory: Folder().path)
        #expect(answer(responder, "GET", "/api/v1/faults").status == 503)
        let book = FaultBook()
        responder.attach(book)
        let put = answer(responder, "PUT", "/api/v1/faults", body: "{\"faults\": [\"rcpt@2=550 5.1.1 No such user\"], \"once\": true}")
        #expect(put.status == 200 && book.active == ["rcpt@2=550 5.1.1 No such user (once)"])
        #expect(try object(answer(responder, "GET", "/api/v1/faults"))["faults"] as? [String] == ["rcpt@2=550 5.1.1 No such user (once)"])
        let bad = answer(responder, "PUT", "/api/v1/faults", body: "{\"faults\": [\"rcpt=maybe\"]}")
        #expect(bad.status == 400 && String(decoding: bad.body, as: UTF8.self).hasPrefix("--fault 'rcpt=maybe'"))
        #expect(answer(responder, "PUT", "/api/v1/faults", body: "{\"presets\": [\"nosuch\"]}").status == 400)
        #expect(answer(responder, "PUT", "/api/v1/faults", body: "not json").status == 400)
        #expect(book.active.count == 1)
        #expect(answer(responder, "DELETE", "/api/v1/faults").status == 200 && book.active.isEmpty)
    }

    @Test func anIdleConnectionIsClosed() throws {
        let channel = EmbeddedChannel()
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        try channel.pipeline.syncOperations.addHandler(APIHTTPHandler(responder: APIResponder(directory: Folder().path), cap: RequestSizeCap()))
        #expect(channel.isActive)
        channel.pipeline.fireUserInboundEventTriggered(IdleStateHandler.IdleStateEvent.read)
        #expect(!channel.isActive)
    }
}
