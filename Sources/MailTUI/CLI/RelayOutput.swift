import Dispatch
import Foundation
import MailCore
import MailServer

/// What `relay` prints: `serve`'s lines and events, the upstream in `listening`, and for each
/// relayed message how its upstream leg ended (`relayed`).
///
/// Written in order from a queue of its own: events come from the server's event loops, and
/// encoding a relayed message's events there held up the app's next command.
final class RelayOutput: Sendable {
    let json: Bool
    let ca: String?
    let store: String
    /// `host:port` of the upstream.
    let upstream: String
    private let writer = DispatchQueue(label: "mailtui.relay-output")

    init(json: Bool, ca: String?, store: String, upstream: String) {
        self.json = json
        self.ca = ca
        self.store = store
        self.upstream = upstream
    }

    /// `relayed`'s object: where the message went and how that ended, explained when it failed.
    struct Relayed: Encodable {
        struct Upstream: Encodable {
            var server: String
            var stage: SMTPStage
            var reply: String
            var delivered: Bool
            var diagnosis: String?
        }
        var event = "relayed"
        /// The stored message's id (a failed attempt is stored too, as a `[not sent]` note); null
        /// only for a failed leg that no record holds.
        var id: String?
        var upstream: Upstream

        init(id: String?, _ leg: RelayedLeg) {
            self.id = id
            upstream = Upstream(server: leg.server, stage: leg.stage, reply: leg.reply, delivered: leg.delivered, diagnosis: leg.diagnosis)
        }

        private enum CodingKeys: String, CodingKey { case event, id, upstream }

        /// `id` is written as null rather than left out: every `relayed` has the same keys.
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(event, forKey: .event)
            try c.encode(id, forKey: .id)
            try c.encode(upstream, forKey: .upstream)
        }
    }

    func show(_ event: ServerEvent) {
        writer.async { [self] in
            if json {
                for line in Self.json(event, ca: ca, store: store, upstream: upstream) { Console.json(line) }
            } else {
                for line in Self.lines(event, ca: ca, store: store, upstream: upstream) { Console.out(line) }
            }
        }
    }

    /// A failed leg no stored message holds (the app gave up after the upstream refused).
    func showUnstored(_ leg: RelayedLeg) {
        writer.async { [self] in
            if json {
                Console.json(Relayed(id: nil, leg))
            } else {
                let time = LocalTime.text(Int(Date().timeIntervalSince1970)).split(separator: " ").last.map(String.init) ?? ""
                Console.out(Console.safe("\(time) relayed, nothing stored: " + leg.outcome))
                if let diagnosis = leg.diagnosis { Console.out(Console.safe("    " + diagnosis)) }
            }
        }
    }

    /// Last, after every event before it.
    func stopped() {
        writer.sync { json ? Console.json(ServeEventJSON.stopped) : Console.out("Stopped.") }
    }

    /// `serve`'s objects; `listening` also names the upstream, and a relayed message is followed
    /// by its `relayed` object.
    static func json(_ event: ServerEvent, ca: String?, store: String, upstream: String) -> [String] {
        let served = ServeEventJSON.line(event, ca: ca, store: store, upstream: upstream)
        guard case .message(let message) = event, let leg = message.relayed else { return [served] }
        return [served, JSONLine.text(Relayed(id: message.id, leg))]
    }

    /// `serve`'s lines, saying where mail goes; a relayed message gets its outcome upstream:
    /// `→ smtp.example.com:587 ✓ 250 2.0.0 OK` or `✗ AUTH 535 5.7.8 …` with the diagnosis.
    static func lines(_ event: ServerEvent, ca: String?, store: String, upstream: String) -> [String] {
        let served = ServeOutput.lines(event, ca: ca, store: store)
        switch event {
        case .listening:
            return ["mailtui relay: mail sent here goes on to \(upstream) for real; both sides are recorded."] + served.dropFirst()
        case .message(let message):
            guard let leg = message.relayed else { return served }
            var lines = served + [Console.safe("  " + leg.outcome)]
            if let diagnosis = leg.diagnosis { lines.append(Console.safe("    " + diagnosis)) }
            return lines
        default:
            return served
        }
    }
}
