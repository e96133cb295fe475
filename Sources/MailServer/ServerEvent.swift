import Foundation
import MailCore

/// What the server tells its owner (the `serve` command's output, the compose screen's inbox).
public enum ServerEvent: Sendable, Equatable {
    /// Listening: `127.0.0.1:2525`-style addresses, the real ports when 0 was asked for.
    case listening(smtp: [String], smtps: [String])
    case message(StoredMessage)
    case session(SessionSummary)
    case fault(FaultReport)
}

/// One finished connection.
public struct SessionSummary: Sendable, Equatable, Codable {
    public var client: String
    public var helo: String?
    public var tls: String?
    public var authUser: String?
    public var messages: Int
    /// How it ended: `quit`, `closed by the client`, `idle timeout`, `fault: close`, …
    public var ending: String
    public var seconds: Double
}

/// A fault that struck.
public struct FaultReport: Sendable, Equatable, Codable {
    public var stage: SMTPStage
    public var occurrence: Int
    public var action: String
    public var client: String

    private enum CodingKeys: String, CodingKey { case stage, occurrence, action, client }

    public init(stage: SMTPStage, occurrence: Int, action: String, client: String) {
        self.stage = stage
        self.occurrence = occurrence
        self.action = action
        self.client = client
    }

    /// The stage is written as its fault word, `starttls`, which scripts read.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(stage.faultWord, forKey: .stage)
        try c.encode(occurrence, forKey: .occurrence)
        try c.encode(action, forKey: .action)
        try c.encode(client, forKey: .client)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(stage: try c.decode(SMTPStage.self, forKey: .stage), occurrence: try c.decode(Int.self, forKey: .occurrence),
                  action: try c.decode(String.self, forKey: .action), client: try c.decode(String.self, forKey: .client))
    }
}

/// A message the server accepted, as stored beside its `.eml` in `<id>.json`.
public struct StoredMessage: Sendable, Equatable, Codable {
    public struct Recipient: Sendable, Equatable, Codable {
        public var address: String
        /// RCPT TO parameters, e.g. `NOTIFY=SUCCESS,FAILURE`.
        public var parameters: [String]

        public init(address: String, parameters: [String]) {
            self.address = address
            self.parameters = parameters
        }
    }
    public var id: String
    /// The `.eml` file: the message's bytes exactly as received, after dot-unstuffing.
    public var path: String
    public var from: String
    /// MAIL FROM parameters, e.g. `SIZE=1234`, `RET=HDRS`, `ENVID=x`.
    public var fromParameters: [String]
    public var recipients: [Recipient]
    public var helo: String?
    public var client: String
    /// The TLS version, when the message came over TLS.
    public var tls: String?
    /// The TLS cipher suite's IANA name, e.g. `TLS_AES_128_GCM_SHA256`.
    public var cipher: String?
    public var authUser: String?
    public var authMechanism: String?
    /// Seconds since 1970.
    public var time: Int
    public var bytes: Int
    /// The Subject header as it came (encoded words left as they are), for lists.
    public var subject: String?
    /// The session up to this message, both sides; credentials hidden. Older records held
    /// `C: `/`S: ` strings, which still read (see `TranscriptLine(tagged:)`).
    public var transcript: [TranscriptLine]
    /// The faults that struck this session before the message was accepted.
    public var faults: [String]
    /// The upstream leg when a gate (the relay) passed the message on; absent in older records
    /// and for `serve`.
    public var relayed: RelayedLeg?
    /// True for the note of a relayed attempt that ended before the app sent a message (see
    /// `RelayAttempt`): not the app's mail, so a wait never answers with it. Absent otherwise.
    public var notSent: Bool?

    public init(id: String, path: String, from: String, fromParameters: [String], recipients: [Recipient], helo: String?, client: String,
                tls: String?, cipher: String? = nil, authUser: String?, authMechanism: String?, time: Int, bytes: Int, subject: String?, transcript: [TranscriptLine], faults: [String],
                relayed: RelayedLeg? = nil, notSent: Bool? = nil) {
        self.id = id
        self.path = path
        self.from = from
        self.fromParameters = fromParameters
        self.recipients = recipients
        self.helo = helo
        self.client = client
        self.tls = tls
        self.cipher = cipher
        self.authUser = authUser
        self.authMechanism = authMechanism
        self.time = time
        self.bytes = bytes
        self.subject = subject
        self.transcript = transcript
        self.faults = faults
        self.relayed = relayed
        self.notSent = notSent
    }
}

extension StoredMessage {
    /// The record as `<id>.json` holds it: one JSON object, keys sorted, nothing left out but
    /// absent values. Written by hand because the store writes one per message on its single
    /// writer thread, where JSONEncoder took a fifth of the time; `JSONDecoder` reads it back.
    public var json: [UInt8] {
        var out = "{"
        var first = true
        func key(_ name: String) {
            out += (first ? "\"" : ",\"") + name + "\":"
            first = false
        }
        func list(_ items: [String]) -> String { "[" + items.map(QuotedString.basic).joined(separator: ",") + "]" }
        if let authMechanism { key("authMechanism"); out += QuotedString.basic(authMechanism) }
        if let authUser { key("authUser"); out += QuotedString.basic(authUser) }
        key("bytes"); out += String(bytes)
        if let cipher { key("cipher"); out += QuotedString.basic(cipher) }
        key("client"); out += QuotedString.basic(client)
        key("faults"); out += list(faults)
        key("from"); out += QuotedString.basic(from)
        key("fromParameters"); out += list(fromParameters)
        if let helo { key("helo"); out += QuotedString.basic(helo) }
        if notSent == true { key("notSent"); out += "true" }
        key("id"); out += QuotedString.basic(id)
        key("path"); out += QuotedString.basic(path)
        key("recipients")
        out += "[" + recipients.map { "{\"address\":" + QuotedString.basic($0.address) + ",\"parameters\":" + list($0.parameters) + "}" }.joined(separator: ",") + "]"
        if let relayed { key("relayed"); out += Self.json(relayed) }
        if let subject { key("subject"); out += QuotedString.basic(subject) }
        key("time"); out += String(time)
        if let tls { key("tls"); out += QuotedString.basic(tls) }
        key("transcript")
        out += "[" + transcript.map(Self.json).joined(separator: ",") + "]"
        return Array((out + "}").utf8)
    }

    /// The upstream leg as `RelayedLeg`'s Codable reads it, keys sorted. By hand as the rest is:
    /// a `JSONEncoder` here cost a relayed message more than the rest of its record.
    static func json(_ leg: RelayedLeg) -> String {
        var out = "{\"delivered\":" + (leg.delivered ? "true" : "false")
        if let diagnosis = leg.diagnosis { out += ",\"diagnosis\":" + QuotedString.basic(diagnosis) }
        out += ",\"reply\":" + QuotedString.basic(leg.reply) + ",\"server\":" + QuotedString.basic(leg.server)
        out += ",\"stage\":\"" + leg.stage.rawValue + "\",\"transcript\":[" + leg.transcript.map(Self.json).joined(separator: ",") + "]}"
        return out
    }

    /// A transcript line as `TranscriptLine`'s Codable reads it, keys sorted: `elapsed` in seconds
    /// to the microsecond, written from integers so that it reads back exactly.
    static func json(_ line: TranscriptLine) -> String {
        let parts = line.elapsed.components
        let micro = Int(parts.attoseconds / 1_000_000_000_000)
        let fraction = String(micro)
        let elapsed = "\(parts.seconds)." + String(repeating: "0", count: max(0, 6 - fraction.count)) + fraction
        return "{\"elapsed\":" + elapsed + ",\"inTLS\":" + (line.inTLS ? "true" : "false") + ",\"speaker\":\"" + line.speaker.rawValue
            + "\",\"stage\":\"" + line.stage.rawValue + "\",\"text\":" + QuotedString.basic(line.text) + "}"
    }
}
