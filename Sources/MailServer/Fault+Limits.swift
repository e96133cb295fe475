import MailCore

/// The faults shaped like real limits: a rate limit, greylisting, a slow line and a drop
/// partway, as `--fault` writes them.
extension Fault {
    /// The reply of a rate limit unless another is given (RFC 3463: 4.7.0, a security or policy
    /// status, temporary).
    static let throttleReply = (code: 454, text: "4.7.0 Too many messages, slow down and try again later")
    /// The reply of greylisting (Postgrey's wording, with RFC 3463's 4.7.1).
    static func greylistReply(_ seconds: Double) -> (code: Int, text: String) {
        (451, "4.7.1 Greylisted, please try again in \(seconds.plainText) seconds")
    }

    /// Parses the words after `throttle`, `greylist`, `bandwidth` or `close-after`.
    static func limit(_ words: [String], stage: SMTPStage, text: String) throws(FaultError) -> FaultAction {
        let kind = words[0].lowercased()
        let rest = words.count == 2 ? words[1].split(separator: " ", omittingEmptySubsequences: true) : []
        switch kind {
        case "throttle":
            guard [.mail, .rcpt, .data].contains(stage) else { throw FaultError(text: text, reason: "throttle is for the mail, rcpt or data stage") }
            guard let rate = rest.first, let slash = rate.firstIndex(of: "/"), let count = Int(rate[..<slash]), (1...1_000_000).contains(count),
                  let seconds = ThrottleScope.period(rate[rate.index(after: slash)...]) else {
                throw FaultError(text: text, reason: "throttle takes a rate, N/s, N/min, N/h or N/d (e.g. throttle 10/min)")
            }
            var scope = ThrottleScope.login
            var replyWords = rest.dropFirst()
            if let word = replyWords.first?.lowercased(), word.hasPrefix("per-") {
                guard let chosen = ThrottleScope(rawValue: String(word.dropFirst(4))) else {
                    throw FaultError(text: text, reason: "throttle counts per-login or per-sender")
                }
                scope = chosen
                replyWords = replyWords.dropFirst()
            }
            var (code, reply) = throttleReply
            if let name = replyWords.first, replyWords.count == 1, let preset = Preset.named(String(name)) {
                // A preset's wording: `throttle 14/s ses-throttling`.
                guard case .reply(let given, let text)? = preset.faults.first?.action else {
                    throw FaultError(text: text, reason: "the preset \(name) has no reply to lend")
                }
                return .throttle(count: count, seconds: seconds, scope: scope, code: given, text: text)
            }
            if let first = replyWords.first {
                guard first.count == 3, let given = Int(first), (400...599).contains(given) else {
                    throw FaultError(text: text, reason: "after the rate (and per-login or per-sender) comes the reply, CODE TEXT (e.g. 454 4.7.0 Throttled), or a preset's name (e.g. ses-throttling)")
                }
                code = given
                reply = replyWords.dropFirst().joined(separator: " ")
            }
            return .throttle(count: count, seconds: seconds, scope: scope, code: code, text: reply)
        case "greylist":
            guard stage == .rcpt else { throw FaultError(text: text, reason: "greylist is for the rcpt stage (it keys on client, sender and recipient)") }
            guard rest.count <= 1 else { throw FaultError(text: text, reason: "greylist takes seconds only") }
            let seconds = rest.first.flatMap { Double($0) } ?? (rest.isEmpty ? 300 : -1)
            guard seconds.isFinite, seconds >= 0, seconds <= 86400 else { throw FaultError(text: text, reason: "greylist takes seconds, from 0 to 86400") }
            return .greylist(seconds: seconds)
        case "bandwidth":
            guard stage == .data else { throw FaultError(text: text, reason: "bandwidth is for the data stage (it paces the message)") }
            guard rest.count == 1, let rate = bytesPerSecond(rest[0]) else {
                throw FaultError(text: text, reason: "bandwidth takes a rate from 100B/s, e.g. 20kB/s, 1MB/s or 500B/s")
            }
            return .bandwidth(bytesPerSecond: rate)
        default:
            guard stage == .data else { throw FaultError(text: text, reason: "close-after is for the data stage (it counts the message's octets)") }
            guard rest.count == 1, let bytes = Int(rest[0]), bytes >= 1, bytes <= 1 << 40 else {
                throw FaultError(text: text, reason: "close-after takes a number of octets from 1, e.g. close-after 4096")
            }
            return .closeAfter(bytes: bytes)
        }
    }

    /// `20kB/s`, `20KB/s`, `1MB/s`, `500B/s` (the `/s` may go): decimal units, as line speeds are.
    static func bytesPerSecond(_ word: Substring) -> Int? {
        var text = word.lowercased()
        if text.hasSuffix("/s") { text.removeLast(2) }
        let units: [(String, Int)] = [("kb", 1000), ("mb", 1_000_000), ("gb", 1_000_000_000), ("b", 1)]
        guard let (suffix, unit) = units.first(where: { text.hasSuffix($0.0) }), let number = Double(text.dropLast(suffix.count)),
              number.isFinite, number > 0 else { return nil }
        let rate = number * Double(unit)
        guard rate >= 100, rate <= 1e10 else { return nil }
        return Int(rate)
    }
}
