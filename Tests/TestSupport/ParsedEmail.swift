import Foundation

/// A message as Python's email package reads it (Tests/Support/parse_email.py).
public struct ParsedEmail: Decodable, Sendable {
    public struct Address: Decodable, Sendable, Equatable {
        public var name: String
        public var address: String
        public init(name: String, address: String) {
            self.name = name
            self.address = address
        }
    }
    public struct Part: Decodable, Sendable {
        public var content_type: String
        public var multipart: Bool
        public var filename: String?
        public var charset: String?
        public var disposition: String?
        public var transfer_encoding: String?
        public var payload_b64: String?
        /// The decoded bytes of the part.
        public var payload: Data { Data(base64Encoded: payload_b64 ?? "") ?? Data() }
        /// The decoded text with CRLF turned into LF.
        public var text: String { String(decoding: payload, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n") }
    }
    public var subject: String?
    public var from: [Address]?
    public var to: [Address]?
    public var cc: [Address]?
    public var reply_to: [Address]?
    /// Display names by header (from, to, cc, reply-to), decoded as RFC 2047 says.
    public var names: [String: [String]]
    public var has_bcc: Bool
    public var message_id: String?
    public var date: String?
    public var extra: [String: String]
    public var defects: [String]
    public var parts: [Part]
    public var max_line_length: Int
    public var bare_lf: Bool

    public var leafParts: [Part] { parts.filter { !$0.multipart } }

    public static func parse(_ bytes: some Sequence<UInt8>) throws -> ParsedEmail {
        let result = try Program.python("parse_email.py", [], input: Data(bytes))
        guard result.status == 0 else { throw ParseError(stderr: result.err) }
        return try JSONDecoder().decode(ParsedEmail.self, from: result.stdout)
    }

    public struct ParseError: Error { public var stderr: String }
}
