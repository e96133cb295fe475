import MailCore

/// A relayed attempt that ended before the app sent a message: its login, its sender or all its
/// recipients refused upstream (or the upstream failing), after which the app gave up. This is
/// the failure a developer chases, so it is stored as a message all the same: the inbox lists it
/// with its outcome (`✗ RCPT TO 550 …`), the record keeps the envelope so far and both legs, and
/// `relayed` gets its id.
///
/// The store's rule stays whole (an `<id>.eml` marks a stored message): the `.eml` is a short
/// note of mailtui's own, plain text, whose Subject begins `[not sent]`, so that nothing (the
/// inbox, the Mailpit API, a resend) takes it for the app's own message.
struct RelayAttempt {
    let leg: RelayedLeg
    /// The sender the app gave, when it got as far as MAIL FROM.
    let from: String?
    /// Every recipient the app gave, taken or refused.
    let recipients: [String]
    let id: String
    /// Seconds since 1970.
    let time: Int

    /// Header text longer than this is cut: a reply may be long, a Subject should not be.
    static let subjectLimit = 200

    /// `[not sent] 127.0.0.1:587 refused RCPT TO: 550 5.1.1 …`, or `failed at DATA:` when the
    /// upstream gave no reply.
    var subject: String {
        let refused = leg.reply.prefix(3).allSatisfy(\.isNumber) && leg.reply.count >= 3
        let what = refused ? "refused \(leg.stage.displayName)" : "failed at \(leg.stage.displayName)"
        return String(Self.headerSafe("[not sent] \(leg.server) \(what): \(leg.reply)").prefix(Self.subjectLimit))
    }

    /// The note, as the `.eml` holds it.
    var octets: [UInt8] {
        let headers = [
            "From: mailtui relay <relay@mailtui.invalid>",
            "Subject: " + subject,
            "Date: " + RFC5322Date.format(epochSeconds: time, utcOffsetSeconds: nil),
            "Message-ID: <\(id).attempt@mailtui.invalid>",
            "X-Mailtui-Attempt: not sent",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: 8bit",
        ]
        var body = [
            "The app's attempt ended before it sent a message: \(leg.server) \(leg.reply.first?.isNumber == true ? "refused" : "failed at") \(leg.stage.displayName).",
            "",
            "  " + Self.bodySafe(leg.reply),
            "",
        ]
        if let diagnosis = leg.diagnosis { body += [Self.bodySafe(diagnosis), ""] }
        body.append("MAIL FROM: " + (from.map { "<\(Self.bodySafe($0))>" } ?? "(not given)"))
        body.append("RCPT TO: " + (recipients.isEmpty ? "(none)" : recipients.map { "<\(Self.bodySafe($0))>" }.joined(separator: ", ")))
        body += ["", "This is mailtui's note, not the app's message: both sides of the conversation are in its record (the Conversation tab)."]
        return Array((headers.joined(separator: "\r\n") + "\r\n\r\n" + body.joined(separator: "\r\n") + "\r\n").utf8)
    }

    /// One header line of printable ASCII: anything else (a CR or LF above all) becomes `?`.
    static func headerSafe(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { (32...126).contains($0.value) ? $0 : "?" }))
    }

    /// One line of text without control characters, which become `?`.
    static func bodySafe(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { $0.value < 32 || $0.value == 127 ? "?" : $0 }))
    }
}
