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
        /// `relay` only: `host:port` of the upstream.
        var upstream: String?
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

    struct Stopped: Encodable { var event = "stopped" }

    static func line(_ event: ServerEvent, ca: String?, store: String, api: String? = nil, upstream: String? = nil) -> String {
        switch event {
        case .listening(let smtp, let smtps):
            return JSONLine.text(Listening(smtp: smtp.first, smtps: smtps.first, ca: ca, store: store, api: api, addresses: smtp, tlsAddresses: smtps, upstream: upstream))
        case .message(let m):
            return JSONLine.text(Message(id: m.id, path: m.path, from: m.from, rcpt: m.recipients.map(\.address), authUser: m.authUser, tls: m.tls,
                                  cipher: m.cipher, bytes: m.bytes, subject: m.subject, relayed: m.relayed))
        case .session(let summary):
            return JSONLine.text(JSONLine.Event(event: "session", body: summary))
        case .fault(let report):
            return JSONLine.text(JSONLine.Event(event: "fault", body: report))
        }
    }

    static var stopped: String { JSONLine.text(Stopped()) }
}
