import Foundation
import MailCore
import MailServer

/// `serve --json`'s events, one object a line, written through `Codable` in the convention of
/// every JSON file and event mailtui writes: camelCase keys, as the Swift names are (the store's
/// `<id>.json` records use it too), sorted; an absent value is left out. docs/json.md lists the
/// fields.
enum ServeEventJSON {
    struct Listening: Encodable {
        var event = "listening"
        var smtp: String?
        var smtps: String?
        var ca: String?
        var store: String
        /// The HTTP API's URL (`http://127.0.0.1:8025`), when it listens.
        var api: String?
        var addresses: [String]
        var tlsAddresses: [String]
    }

    struct Message: Encodable {
        var event = "message"
        var id: String
        var path: String
        var from: String
        var rcpt: [String]
        var authUser: String?
        var tls: String?
        var cipher: String?
        var bytes: Int
        var subject: String?
        /// The upstream leg when the message was relayed.
        var relayed: RelayedLeg?
    }

    /// A Codable value of the server's with the `event` key beside its own.
    struct Tagged<Body: Encodable>: Encodable {
        var event: String
        var body: Body
        private enum Key: String, CodingKey { case event }
        func encode(to encoder: any Encoder) throws {
            try body.encode(to: encoder)
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(event, forKey: .event)
        }
    }

    struct Stopped: Encodable { var event = "stopped" }

    static func line(_ event: ServerEvent, ca: String?, store: String, api: String? = nil) -> String {
        switch event {
        case .listening(let smtp, let smtps):
            return encode(Listening(smtp: smtp.first, smtps: smtps.first, ca: ca, store: store, api: api, addresses: smtp, tlsAddresses: smtps))
        case .message(let m):
            return encode(Message(id: m.id, path: m.path, from: m.from, rcpt: m.recipients.map(\.address), authUser: m.authUser, tls: m.tls,
                                  cipher: m.cipher, bytes: m.bytes, subject: m.subject, relayed: m.relayed))
        case .session(let summary):
            return encode(Tagged(event: "session", body: summary))
        case .fault(let report):
            return encode(Tagged(event: "fault", body: report))
        }
    }

    static var stopped: String { encode(Stopped()) }

    static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Every field is a string, a number or a list of them: encoding cannot fail.
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
