import Foundation
import MailCore

/// One real server's reply from Tests/Fixtures/replies.json: the stage it answers, its exact
/// words, where it comes from, and the diagnosis it must get (the kind, and the catalogue entry
/// whose advice applies, or nil for the kind's own words).
public struct ReplyCorpusEntry: Decodable, Sendable, CustomStringConvertible {
    public var id: String
    /// A fault_server.py stage: greeting, ehlo, starttls, auth, mail, rcpt, data, message.
    public var stage: String
    /// The reply as the server sends it, one line per line ("535-5.7.8 ...\n535 5.7.8 ...").
    public var reply: String
    public var kind: String
    public var advice: String?
    public var source: String

    public var description: String { id }

    /// The stage mailtui names for a reply at this point of the session.
    public var smtpStage: SMTPStage {
        switch stage {
        case "greeting": .greeting
        case "ehlo": .ehlo
        case "starttls": .tls
        case "auth": .auth
        case "mail": .mail
        case "rcpt": .rcpt
        default: .data
        }
    }

    public var expectedKind: FailureKind? { FailureKind(rawValue: kind) }

    /// The reply as mailtui parses it: the code, and each line's text after the code.
    public var serverReply: ServerReply {
        let lines = reply.split(separator: "\n", omittingEmptySubsequences: false)
        return ServerReply(code: Int(lines[0].prefix(3)) ?? 0, lines: lines.map { String($0.dropFirst(4)) })
    }

    /// Every entry of the corpus.
    public static let all: [ReplyCorpusEntry] = {
        let path = TestPaths.root + "/Tests/Fixtures/replies.json"
        guard let data = FileManager.default.contents(atPath: path),
              let entries = try? JSONDecoder().decode([ReplyCorpusEntry].self, from: data) else { return [] }
        return entries
    }()
}
