import MailCore

/// What the relay tells the app. The upstream's own replies go back word for word; only when
/// the upstream gave none (it could not be reached, stopped answering, answered garbage) or
/// when mailtui itself refuses does the relay speak, and then it names the upstream, the stage
/// and what happened, with a 4xx so that the app may try again.
enum RelayReplies {
    /// The longest line of text the relay writes of its own (RFC 5321 allows 512 with the code).
    static let lineLimit = 400

    /// The upstream's reply as the app will be told it.
    static func upstream(_ reply: ServerReply) -> GateReply {
        GateReply(code: reply.code, lines: reply.lines.isEmpty ? [""] : reply.lines)
    }

    /// The upstream could not be reached, or stopped answering at `stage`.
    static func unavailable(_ server: String, at stage: SMTPStage, _ end: UpstreamEnd) -> GateReply {
        let timedOut = [.serverTimeout, .connectTimeout, .noGreeting].contains(end.failure?.kind)
        let failedAt = end.failure?.stage ?? stage
        var text = "\(timedOut ? "4.4.1" : "4.4.2") mailtui relay: \(server) failed at \(failedAt.displayName): \(what(end))"
        if let said = end.failure?.reply { text += "; it said: \(said)" }
        return GateReply(code: 451, lines: [cut(text)])
    }

    /// mailtui's own login upstream was refused (the app's login is not the one at fault).
    static func ownLoginRefused(_ server: String, user: String, _ end: UpstreamEnd) -> GateReply {
        var text = "4.7.0 mailtui relay could not log in to \(server) as \(user): \(what(end))"
        if let said = end.failure?.reply { text += "; it said: \(said)" }
        return GateReply(code: 454, lines: [cut(text)])
    }

    /// A pass-through login that failed before the upstream answered the AUTH itself.
    static func loginUnavailable(_ server: String, _ end: UpstreamEnd) -> GateReply {
        var text = "4.7.0 mailtui relay: \(server) failed at \((end.failure?.stage ?? .auth).displayName) before it answered the login: \(what(end))"
        if let said = end.failure?.reply { text += "; it said: \(said)" }
        return GateReply(code: 454, lines: [cut(text)])
    }

    /// The message declared at MAIL is larger than the upstream takes.
    static func tooLarge(_ server: String, declared: Int, limit: Int) -> GateReply {
        GateReply(code: 552, lines: ["5.3.4 Message size \(declared) exceeds the limit of \(server): SIZE \(limit) bytes (\(ByteCount.human(limit))) (mailtui relay)"])
    }

    private static func what(_ end: UpstreamEnd) -> String {
        end.words ?? end.failure?.kind.words ?? "the connection ended"
    }

    /// One line, at most `lineLimit` long: a line break would end the reply early.
    private static func cut(_ text: String) -> String {
        let line = String(text.map { $0 == "\r" || $0 == "\n" || $0 == "\r\n" ? " " : $0 })
        return line.count <= lineLimit ? line : String(line.prefix(lineLimit - 1)) + "…"
    }
}

/// The MAIL and RCPT parameters the app gave, as the upstream may take them.
enum RelayParameters {
    /// `SIZE=n` among MAIL's parameters.
    static func declaredSize(_ parameters: [String]) -> Int? {
        for parameter in parameters {
            let parts = parameter.split(separator: "=", maxSplits: 1)
            if parts.count == 2, parts[0].uppercased() == "SIZE", let size = Int(parts[1]) { return size }
        }
        return nil
    }

    /// The parameters whose extension the upstream offers, and those left out: a parameter it
    /// does not know would make it refuse the command (555), which the app never asked for.
    static func forwarded(_ parameters: [String], offered: (String) -> Bool) -> (kept: [String], dropped: [String]) {
        var kept: [String] = [], dropped: [String] = []
        for parameter in parameters {
            if offered(extensionName(of: parameter)) { kept.append(parameter) } else { dropped.append(parameter) }
        }
        return (kept, dropped)
    }

    /// The EHLO keyword a parameter needs: `BODY=8BITMIME` needs 8BITMIME, `RET=HDRS` needs DSN.
    static func extensionName(of parameter: String) -> String {
        let parts = parameter.split(separator: "=", maxSplits: 1).map { $0.uppercased() }
        switch parts.first ?? "" {
        case "BODY": return parts.count > 1 && parts[1] == "BINARYMIME" ? "BINARYMIME" : "8BITMIME"
        case "RET", "ENVID", "NOTIFY", "ORCPT": return "DSN"
        default: return parts.first ?? ""
        }
    }

    /// `MAIL FROM:<a> P1 P2` or `RCPT TO:<a> P1`.
    static func command(_ verb: String, _ address: String, _ parameters: [String]) -> String {
        ([verb + ":<\(address)>"] + parameters).joined(separator: " ")
    }
}
