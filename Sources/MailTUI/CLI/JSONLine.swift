import Foundation

/// The one way the command line writes JSON: a `Codable` value, keys as its Swift names
/// (camelCase), sorted so that output is stable, slashes unescaped, an absent value left out.
/// Every `--json` output and event goes through here; docs/json.md lists their fields.
enum JSONLine {
    static func text(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Our values hold strings, numbers, lists and finite doubles: encoding does not fail.
        guard let data = try? encoder.encode(value) else { return "{\"event\":\"error\",\"text\":\"could not encode JSON\"}" }
        return String(decoding: data, as: UTF8.self)
    }

    /// A value of the libraries' with the `event` key beside its own keys, for a stream of lines
    /// that a script tells apart by `event`.
    struct Event<Body: Encodable>: Encodable {
        var event: String
        var body: Body
        private enum Key: String, CodingKey { case event }
        func encode(to encoder: any Encoder) throws {
            try body.encode(to: encoder)
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(event, forKey: .event)
        }
    }
}

extension Console {
    /// One value as one JSON line on standard output.
    static func json(_ value: some Encodable) { json(JSONLine.text(value)) }
}
