/// What a fault does to the answer at its stage, decided with no I/O: the session handler sends
/// the normal answer or this, and goes on with what the answer leads to (or drops it).
enum FaultOutcome: Sendable, Equatable {
    /// This reply instead of the normal answer; `ends` when the session closes after it.
    case replace(code: Int, text: String, ends: Bool)
    /// The normal answer, this many seconds later; input waits meanwhile.
    case delay(seconds: Double)
    /// The connection closed without an answer.
    case close
    /// Nothing answered, ever again.
    case hang
    /// STARTTLS is answered and then no handshake (only at the STARTTLS stage, `.tls`).
    case tlsFail
    /// Not an answer: the message is read slowly or dropped partway (`SMTPSessionHandler+Pace`).
    case pace

    init(_ fault: Fault) {
        switch fault.action {
        case .reply(let code, let text):
            // A refusing greeting (421, 554) ends the session, as real servers do; so does a 421.
            self = .replace(code: code, text: text, ends: fault.stage == .connect || fault.stage == .greeting || code == 421)
        case .delay(let seconds): self = .delay(seconds: seconds)
        case .close: self = .close
        case .hang: self = .hang
        case .tlsFail: self = .tlsFail
        case .throttle(_, _, _, let code, let text): self = .replace(code: code, text: text, ends: code == 421)
        case .greylist(let seconds):
            let (code, text) = Fault.greylistReply(seconds)
            self = .replace(code: code, text: text, ends: false)
        case .bandwidth, .closeAfter: self = .pace
        }
    }
}
