/// A reply that means something precise, as real servers and providers word it: matched on the
/// stage it answers, the reply code, the enhanced status code and the words of the reply. An
/// entry's explanation and advice replace the generic ones for its kind; every entry is tested
/// with real wording (Tests/Fixtures/replies.json).
public struct ReplyPattern: Sendable, Equatable {
    /// A short name, for tests, `--json` and `--explain`: `gmail-app-password`.
    public var id: String
    /// The reply codes it matches (any of), or empty for any negative reply.
    public var codes: [Int]
    /// The stages whose replies it matches, or empty for any: a 454 to STARTTLS means something
    /// else than a 454 to the end of the message.
    public var stages: [SMTPStage]
    /// The enhanced status codes it matches (any of), or empty for any.
    public var statuses: [String]
    /// Words of the reply (lowercased); any one of them must appear. Empty: no words needed.
    public var words: [String]
    /// What the failure is, when that differs from what code and stage alone would say.
    public var kind: FailureKind?
    /// The provider whose wording this is, when it is one's.
    public var provider: String?
    public var explanation: String
    public var suggestions: [String]

    public init(id: String, code: Int? = nil, codes: [Int] = [], stages: [SMTPStage] = [], statuses: [String] = [], words: [String] = [],
                kind: FailureKind? = nil, provider: String? = nil, explanation: String, suggestions: [String]) {
        self.id = id
        self.codes = codes + (code.map { [$0] } ?? [])
        self.stages = stages
        self.statuses = statuses
        self.words = words
        self.kind = kind
        self.provider = provider
        self.explanation = explanation
        self.suggestions = suggestions
    }

    /// Whether a negative reply is this one; `stage` nil matches an entry of any stage.
    public func matches(_ reply: ServerReply, at stage: SMTPStage? = nil) -> Bool {
        if reply.isPositive { return false }
        if !codes.isEmpty && !codes.contains(reply.code) { return false }
        if let stage, !stages.isEmpty, !stages.contains(stage) { return false }
        // An entry known only by its stage ("any refusal of STARTTLS") says nothing when the
        // stage is not known: without this it would match every refusal.
        if stage == nil, codes.isEmpty, statuses.isEmpty, words.isEmpty { return false }
        if !statuses.isEmpty {
            guard let status = reply.enhancedStatus ?? ReplyCatalogue.statusAnywhere(in: reply), statuses.contains(status) else { return false }
        }
        if !words.isEmpty {
            let text = ReplyCatalogue.words(of: reply)
            guard words.contains(where: { text.contains($0) }) else { return false }
        }
        return true
    }
}
