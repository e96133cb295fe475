#if canImport(Glibc)
import Glibc
#endif

/// `mailtui send --count N`: many messages over one connection, a transaction each (RSET after a
/// refusal), numbered so that several connections share one sequence.
public struct LoadPlan: Sendable {
    /// Which sessions' lines the transcript keeps: every one, the first, only refused ones, none.
    public enum Transcript: String, Sendable, CaseIterable {
        case all, first, failures, none
    }

    /// How many messages this connection sends.
    public var count: Int
    /// The number of its first message (1-based, across all connections).
    public var firstNumber: Int
    /// Renders message number n: its own Message-ID and Date, `{n}` filled in.
    public var message: @Sendable (Int) -> MessageStream
    public var transcript: Transcript
    /// The time from one message's start to the next on this connection (`--rate`), or nil.
    public var interval: Duration?

    /// Message number n of `message`: `{n}` in its subject and bodies becomes n, and it gets its
    /// own Message-ID and Date. Putting digits in cannot make a checked message invalid.
    /// With a `signer`, each message is signed with DKIM (its own body hash and signature).
    public static func numbered(_ message: Message, signer: DKIMSigner? = nil) -> @Sendable (Int) -> MessageStream {
        // Cut once around each {n}, joined with the number per message.
        let subject = NumberSlot(message.subject)
        let text: NumberSlot? = if case .text(let text)? = message.textBody { NumberSlot(text) } else { nil }
        let html: NumberSlot? = if case .text(let html)? = message.htmlBody { NumberSlot(html) } else { nil }
        return { number in
            var copy = message
            let n = String(number)
            copy.subject = subject.filled(with: n)
            if let text { copy.textBody = .text(text.filled(with: n)) }
            if let html { copy.htmlBody = .text(html.filled(with: n)) }
            let stream = MessageRenderer().render(copy)
            // A file that cannot be read fails the transaction that reads it, signed or not.
            return signer.flatMap { try? $0.sign(stream, time: Int(time(nil))) } ?? stream
        }
    }

    public init(count: Int, firstNumber: Int = 1, transcript: Transcript = .first, interval: Duration? = nil,
                message: @escaping @Sendable (Int) -> MessageStream) {
        self.count = count
        self.firstNumber = firstNumber
        self.message = message
        self.transcript = transcript
        self.interval = interval
    }
}

/// One message of a load run.
public struct LoadOutcome: Sendable, Equatable {
    public var number: Int
    /// From MAIL FROM to the reply after the message.
    public var latency: Duration
    /// The reply that decided it (250, or the refusal's code); nil when none came.
    public var code: Int?
    /// Where it failed; nil when it was delivered.
    public var failedStage: SMTPStage?
    /// The refusing reply, or what went wrong, cut to `exampleLimit` bytes: a server may refuse
    /// with 250 KB, and a run keeps outcomes by the thousand.
    public var example: String?

    /// Enough to recognise a reply (its code, enhanced code and first words).
    public static let exampleLimit = 300

    public init(number: Int, latency: Duration, code: Int?, failedStage: SMTPStage?, example: String?) {
        self.number = number
        self.latency = latency
        self.code = code
        self.failedStage = failedStage
        self.example = example.map(Self.cut)
    }

    public var delivered: Bool { failedStage == nil }

    /// `text` cut at a character boundary to at most `exampleLimit` bytes, saying how long it was.
    /// Only the kept part is walked, so a 250 KB reply costs no more than a short one.
    static func cut(_ text: String) -> String {
        guard text.utf8.count > exampleLimit else { return text }
        let room = exampleLimit - 32
        var kept = text.startIndex
        var bytes = 0
        for index in text.indices {
            let size = text[index].utf8.count
            if bytes + size > room { break }
            bytes += size
            kept = text.index(after: index)
        }
        return String(text[..<kept]) + "… (\(text.utf8.count) bytes)"
    }
}

/// A text with `{n}` in it, cut there once so that each message only joins the pieces.
struct NumberSlot: Sendable {
    private let pieces: [String]

    init(_ text: String) {
        pieces = text.split(separator: "{n}", omittingEmptySubsequences: false).map(String.init)
    }

    func filled(with number: String) -> String {
        pieces.count == 1 ? pieces[0] : pieces.joined(separator: number)
    }
}
