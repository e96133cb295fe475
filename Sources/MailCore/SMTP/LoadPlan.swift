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
    /// The refusing reply, or what went wrong.
    public var example: String?

    public init(number: Int, latency: Duration, code: Int?, failedStage: SMTPStage?, example: String?) {
        self.number = number
        self.latency = latency
        self.code = code
        self.failedStage = failedStage
        self.example = example
    }

    public var delivered: Bool { failedStage == nil }
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
