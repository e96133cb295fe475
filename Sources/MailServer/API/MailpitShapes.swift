/// The JSON Mailpit's v1 API answers with, field for field (its swagger's definitions), so that
/// Mailpit's clients read ours unchanged. The keys are Mailpit's (`ID`, `MessageID`,
/// `messages_count`), not mailtui's camelCase: these shapes are Mailpit's contract.
public enum Mailpit {
    /// A value Mailpit writes as `null` when absent (Go's nil pointer), where Swift's Codable
    /// would leave the key out: clients read the key.
    public struct Nullable<Value: Codable & Sendable & Equatable>: Codable, Sendable, Equatable {
        public var value: Value?

        public init(_ value: Value?) { self.value = value }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            value = container.decodeNil() ? nil : try container.decode(Value.self)
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            if let value { try container.encode(value) } else { try container.encodeNil() }
        }
    }

    public struct Address: Codable, Sendable, Equatable {
        public var Name: String
        public var Address: String
    }

    /// An item of `messages` in a list or a search.
    public struct MessageSummary: Codable, Sendable, Equatable {
        public var ID: String
        public var MessageID: String
        public var Read: Bool
        public var From: Nullable<Address>
        public var To: [Address]
        public var Cc: [Address]
        public var Bcc: [Address]
        public var ReplyTo: [Address]
        public var Subject: String
        /// RFC 3339 with milliseconds, UTC: `2026-12-05T07:30:00.123Z`.
        public var Created: String
        public var Username: String
        public var Tags: [String]
        public var Size: Int
        public var Attachments: Int
        public var Snippet: String
    }

    public struct MessagesSummary: Codable, Sendable, Equatable {
        public var total: Int
        public var unread: Int
        public var count: Int
        public var messages_count: Int
        public var start: Int
        public var tags: [String]
        public var messages: [MessageSummary]
    }

    public struct Checksums: Codable, Sendable, Equatable {
        public var MD5: String
        public var SHA1: String
        public var SHA256: String
    }

    public struct Attachment: Codable, Sendable, Equatable {
        public var PartID: String
        public var FileName: String
        public var ContentType: String
        public var ContentID: String
        public var Size: Int
        public var Checksums: Checksums
    }

    public struct ListUnsubscribe: Codable, Sendable, Equatable {
        public var Header: String
        public var Links: [String]
        public var Errors: String
        public var HeaderPost: String
    }

    /// `GET /api/v1/message/{ID}`.
    public struct Message: Codable, Sendable, Equatable {
        public var ID: String
        public var MessageID: String
        /// Always true: opening a message marks it read. Older Mailpit versions sent it, and
        /// their Python client (mailpit-api-client) requires it.
        public var Read: Bool
        public var From: Nullable<Address>
        public var To: [Address]
        public var Cc: [Address]
        public var Bcc: [Address]
        public var ReplyTo: [Address]
        public var ReturnPath: String
        public var Subject: String
        public var ListUnsubscribe: ListUnsubscribe
        public var Date: String
        public var Tags: [String]
        public var Username: String
        public var Text: String
        public var HTML: String
        public var Size: Int
        public var Inline: [Attachment]
        public var Attachments: [Attachment]
    }

    public struct RuntimeStats: Codable, Sendable, Equatable {
        public var Uptime: Int
        public var Memory: Int
        public var MessagesDeleted: Int
        public var SMTPAccepted: Int
        public var SMTPAcceptedSize: Int
        public var SMTPRejected: Int
        public var SMTPIgnored: Int
    }

    /// `GET /api/v1/info`.
    public struct AppInformation: Codable, Sendable, Equatable {
        public var Version: String
        public var LatestVersion: String
        public var Database: String
        public var DatabaseSize: Int
        public var Messages: Int
        public var Unread: Int
        public var Tags: [String: Int]
        public var RuntimeStats: RuntimeStats
        /// mailtui's: the index's last problem (damage found, a rebuild under way or done); absent
        /// when there was none.
        public var IndexProblem: String? = nil
    }

    /// The body of `PUT /api/v1/tags`: these tags replace those of the messages (none: removed).
    public struct SetTags: Codable, Sendable, Equatable {
        public var IDs: [String]
        public var Tags: [String]
    }

    /// The body of `PUT` and `DELETE /api/v1/messages`: which messages (none: all), and for
    /// `PUT` whether they become read.
    public struct MessageSelection: Codable, Sendable, Equatable {
        public var IDs: [String]?
        public var Read: Bool?
    }
}
