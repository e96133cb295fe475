/// Turns a classified failure into words: what happened and what to change. Every suggestion names
/// the mailtui setting and, where one applies, the Flask-Mail key.
public enum Diagnosis {
    public static func explain(kind: FailureKind, stage: SMTPStage, reply: ServerReply?, evidence e: FailureEvidence) -> (explanation: String, suggestions: [String]) {
        let s = e.settings
        let host = s.host
        let port = s.effectivePort
        // The limit that ran out, as the user set it: a reply's, or the handshake's.
        let seconds = (s.security == .tls && e.tls?.version == nil && kind == .noGreeting ? s.timeouts.connect : s.timeouts.response).plainText
        switch kind {
        case .nameLookup:
            return ("The host name \"\(host)\" could not be resolved to an address.",
                    ["Check the spelling of the server (--server, MAIL_SERVER).",
                     "If it is an internal name, check that this machine can resolve it (try: getent hosts \(host))."])
        case .connectionRefused:
            return ("Nothing accepted the connection on \(host) port \(port): the server refused it.",
                    ["Check the port (--port, MAIL_PORT): 587 for STARTTLS, 465 for implicit TLS, 25 for server-to-server.",
                     "Check that the mail server is running and listening on \(host)."])
        case .connectTimeout:
            return ("No answer to the connection attempt to \(host) port \(port) within \(s.timeouts.connect.plainText) s: a firewall is probably dropping it.",
                    [port == 25 ? "Port 25 is blocked by many cloud providers and ISPs; use the submission port 587 (STARTTLS) or 465 (TLS) with a login." : "Check that port \(port) is open between this machine and the server.",
                     "Try the other submission port: 587 with --security starttls (MAIL_USE_TLS=True) or 465 with --security tls (MAIL_USE_SSL=True)."])
        case .noGreeting:
            if s.security != .tls && (port == 465 || port == 993) {
                return ("Connected, but the server sent no greeting within \(seconds) s. Port \(port) usually expects implicit TLS: the server is waiting for a TLS handshake while mailtui waits for a greeting.",
                        ["Use --security tls (MAIL_USE_SSL=True, MAIL_USE_TLS=False) for port \(port)."])
            }
            if s.security != .tls {
                return ("Connected, but the server sent no greeting within \(seconds) s. Some servers expect implicit TLS on this port and wait silently for a handshake.",
                        ["If this port uses implicit TLS, use --security tls (MAIL_USE_SSL=True).",
                         "Otherwise the server is overloaded or stuck; try later or raise --timeout."])
            }
            return ("Connected, but no TLS handshake or greeting completed within \(seconds) s.",
                    ["Check the port: implicit TLS is usually on 465 (--port 465, MAIL_PORT=465).", "Raise --timeout if the server is slow."])
        case .greetingRefused:
            return ("The server refused the session in its greeting.",
                    [reply?.code == 421 ? "The server is busy or limiting connections: try again later." : "The server does not accept mail from this client; check its access rules."])
        case .ehloRejected:
            return ("The server rejected the EHLO greeting.",
                    ["Set a proper EHLO name with --helo (a fully qualified domain name, e.g. the name of this machine)."])
        case .starttlsNotOffered:
            return ("The server does not offer STARTTLS on \(host):\(port), so mailtui stopped before sending any credentials (it never falls back to plain text).",
                    ["If the port expects implicit TLS (usually 465), use --security tls (MAIL_USE_SSL=True, MAIL_USE_TLS=False).",
                     "If the server really has no TLS (a local test server), use --security none (MAIL_USE_TLS=False); never do this with a real password over a network."])
        case .tlsUnavailable:
            return ("The server offers STARTTLS but refused to start TLS when asked" + (reply.map { " (\($0.code))" } ?? "") + ", so the connection stayed plain and mailtui stopped before sending anything (it never falls back to plain text).",
                    ["This is the server's side: tell its administrator (its TLS certificate and key).",
                     "If the server also speaks implicit TLS, use it: --port 465 --security tls (MAIL_PORT=465, MAIL_USE_SSL=True, MAIL_USE_TLS=False)."])
        case .tlsRequired:
            return ("The server wants the connection encrypted with STARTTLS before it takes mail, and the connection is plain (--security none).",
                    ["Use --security starttls (MAIL_USE_TLS=True, MAIL_USE_SSL=False) on this port, or --security tls on 465 (MAIL_USE_SSL=True)."])
        case .implicitTLSPort:
            let waited = e.greetingWaited.map { $0.inSeconds.plainText } ?? seconds
            return ("Connected, but the server sent no greeting after \(waited) s, and a TLS handshake on the same port works: port \(port) expects implicit TLS. The server was waiting for a handshake while mailtui waited for a greeting.",
                    ["Use --security tls (MAIL_USE_SSL=True, MAIL_USE_TLS=False) on port \(port)."
                     + (port == 465 ? "" : " Or STARTTLS on the submission port: --port 587 --security starttls (MAIL_PORT=587, MAIL_USE_TLS=True).")])
        case .tlsOnPlainPort:
            return ("The server answered in plain text where mailtui expected a TLS handshake: port \(port) expects STARTTLS or plain SMTP, not implicit TLS.",
                    ["Use --security starttls (MAIL_USE_TLS=True, MAIL_USE_SSL=False) on this port, or --port 465 for implicit TLS."])
        case .tlsHandshake:
            return ("The TLS handshake failed: \(e.curlMessage.isEmpty ? "no details" : e.curlMessage).",
                    ["Check that the port and security mode match (465: --security tls; 587: --security starttls).",
                     "An old server may only speak TLS versions this machine's OpenSSL refuses."])
        case .certificateUntrusted:
            let selfSigned = e.tls.map { $0.subject != nil && $0.subject == $0.issuer } ?? false
            return ("The server's certificate is not signed by a trusted authority (\(e.curlMessage))." + (selfSigned ? " It is self-signed (issued by itself: \(e.tls?.issuer ?? ""))." : " It may be self-signed or from a private CA."),
                    ["If you trust it, give its CA certificate with --ca-file PATH.",
                     "Only for a test server: --insecure turns verification off (Flask-Mail never verifies certificates, so your app would connect anyway; that is insecure)."])
        case .certificateNameMismatch:
            return ("The server's certificate is issued for another name than \"\(host)\"" + (e.tlsNames.isEmpty ? "" : "; it covers \(e.tlsNames.joined(separator: ", "))") + ".",
                    ["Connect with a host name the certificate covers (--server, MAIL_SERVER)."
                        + (e.tlsNames.isEmpty ? "" : " It covers: \(e.tlsNames.joined(separator: ", ")).")])
        case .certificateExpired:
            return ("The server's certificate has expired" + (e.tls?.notAfter.map { " (valid until \($0))" } ?? "") + ": \(e.curlMessage).",
                    ["The server's administrator must renew the certificate.", "Only for testing: --insecure."])
        case .certificateProblem:
            return ("The server's certificate could not be verified: \(e.curlMessage).",
                    ["Give the right CA with --ca-file PATH, or, for a test server only, --insecure."])
        case .authNotOffered:
            var tips = ["If this server needs no login, remove the username (--user, MAIL_USERNAME)."]
            if s.security == .none && e.extensions.contains(where: { $0.uppercased() == "STARTTLS" }) {
                return ("A username is set, but this server offers AUTH only after STARTTLS, and the connection is plain (--security none); mailtui refuses to send unauthenticated.",
                        ["Use --security starttls (MAIL_USE_TLS=True, MAIL_USE_SSL=False) so that the login happens inside TLS."] + tips)
            }
            if s.security == .none {
                tips.insert("Many servers offer AUTH only after STARTTLS: use --security starttls (MAIL_USE_TLS=True).", at: 0)
            } else {
                tips.append("Check that this is the submission port (587 or 465), not port 25.")
            }
            return ("A username is set, but the server did not offer AUTH, so no login happened; mailtui refuses to send unauthenticated.", tips)
        case .authMechanismUnsupported:
            return ("The server does not offer the login mechanism chosen (\(s.authMechanism.rawValue)), so no login was tried.",
                    ["Use --auth auto to let mailtui pick one the server offers" + mechanismsText(e) + "."])
        case .loginInTheClear:
            return ("The connection to \(host) is not encrypted and the server offers only logins that send the password itself (\(mechanismsText(e).isEmpty ? "PLAIN, LOGIN" : FailureEvidence.authMechanisms(in: e.extensions).joined(separator: ", "))), so mailtui did not log in: anyone on the path could read the password.",
                    ["Use --security starttls (MAIL_USE_TLS=True) or --security tls on 465 (MAIL_USE_SSL=True), so that the login happens inside TLS.",
                     "Only if this network is yours and trusted: --auth plain (or login) sends it anyway, with a warning."])
        case .authFailed:
            return ("The server rejected the username or password.",
                    ["Check the username (--user, MAIL_USERNAME) and the password (MAIL_PASSWORD).",
                     "Some providers need an app password instead of the account password, or need SMTP enabled for the account."])
        case .authAppPasswordRequired:
            return ("The server wants an application-specific password, not the account password.",
                    ["Create an app password in the provider's account security settings and use it as MAIL_PASSWORD."])
        case .authRequired:
            return ("The server requires a login before it accepts mail, and none was made.",
                    ["Set the username (--user, MAIL_USERNAME) and a password source (MAIL_PASSWORD in the environment, or --password-env)."])
        case .senderRejected:
            return ("The server refused the sender address \"\(e.envelopeFrom)\".",
                    ["Use a sender this login may send as (--from, MAIL_DEFAULT_SENDER); many providers only allow the account's own address."])
        case .relayDenied:
            return ("The server refused to relay to the recipient: it only delivers for its own domains unless you log in.",
                    ["Log in (--user, MAIL_USERNAME with MAIL_PASSWORD) and use the submission port 587 or 465."])
        case .recipientRejected:
            // One refusal's reply is quoted with the diagnosis ("server said"); several are listed here.
            let list = e.rejectedRecipients.count == 1 ? e.rejectedRecipients[0].address
                : e.rejectedRecipients.map { "\($0.address) (\($0.reply))" }.joined(separator: "; ")
            let others = e.recipientCount > max(1, e.rejectedRecipients.count)
            return ("The server refused " + (list.isEmpty ? "a recipient" : list) + ".",
                    ["Check the recipient addresses."] + (others ? ["Use --allow-partial to deliver to the other recipients anyway."] : []))
        case .clientBlocked:
            return ("The server refused this machine's address itself (a block list, no reverse DNS name, or its own access rules); nothing in the message or the login changes that.",
                    [ReplyCatalogue.viaSubmission])
        case .badSequence:
            return ("The server answered \(reply?.code ?? 503) (bad sequence of commands) to \(stage.displayName): it expected another command first. " + Self.sequenceHint(stage),
                    ["Read the replies before this one in the transcript: an earlier command was refused or ignored.",
                     "A proxy or antivirus between this machine and the server can cause this by rewriting the session: try another network, or port 587 with --security starttls (MAIL_PORT=587, MAIL_USE_TLS=True)."])
        case .temporaryFailure:
            return ("The server refused for now (a temporary failure).",
                    ["Try again later; the server may be busy, greylisting or rate-limiting this sender."])
        case .messageTooLarge:
            let limit = e.advertisedSize.map { " The server's limit is \(ByteCount.human($0)); the message is \(ByteCount.human(e.messageBytes))." } ?? ""
            return ("The message is too large for the server." + limit,
                    ["Send smaller attachments, or link to the files instead."])
        case .lineTooLong:
            return ("The server refused a line as too long during \(stage.displayName). RFC 5321 allows lines of 998 octets and commands of 512: `send` writes no longer line, and `sendmail` folds a longer header line and re-encodes a long-lined text body as quoted-printable before sending; a line the server still refuses is either within that limit (the server's limit is lower) or in a part the message already encoded.",
                    stage == .data ? ["Shorten what made the long line: a very long subject or header value, or a text body with very long lines (with `send`, the HTML and text parts are wrapped for you).",
                                      "With `sendmail`, a multipart message must encode its own parts: give a part with long lines Content-Transfer-Encoding quoted-printable or base64, or send the file with `mailtui send --attach`.",
                                      "Check the server's configured line limit."]
                                   : ["Shorten the address in \(stage.displayName): the server limits command lines."])
        case .messageRejected:
            return ("The server refused the message after receiving it (content or policy).",
                    ["Check the server's words: spam or virus filters, SPF/DMARC policy for the sender's domain, or a banned attachment type."])
        case .connectionClosed:
            return ("The server closed the connection during \(stage.displayName) without a reply.",
                    stage <= .greeting ? ["If the port expects implicit TLS (465), use --security tls (MAIL_USE_SSL=True).", "The server may be refusing this client's address."]
                                       : ["Check the server's logs; the connection was cut without an SMTP reply."])
        case .serverTimeout:
            return ("The server stopped answering during \(stage.displayName): no reply within \(seconds) s.",
                    ["Raise --timeout if the server is just slow.", "Check the server; it may be overloaded or stuck."])
        case .replyTooLong:
            return ("The server sent more reply text during \(stage.displayName) than libcurl accepts (over 300 KiB), so mailtui stopped listening; an SMTP server answers in short lines.",
                    ["Check that this port speaks SMTP: another service, or a broken proxy in between, may be answering."])
        case .malformedReply:
            return ("The server's reply could not be understood (\(e.curlMessage)).",
                    ["Check that this port speaks SMTP; another service may be listening on it."])
        case .localFileError:
            return ("A file could not be read while sending (\(e.curlMessage)).", ["Check that the attachments still exist and are readable."])
        case .cancelled:
            return ("The send was cancelled.", [])
        case .other:
            return ("libcurl reported: \(e.curlMessage) (code \(e.curlCode)).", ["Run again and read the transcript above for the last exchange."])
        }
    }

    /// What a 503 at this stage says the server was waiting for.
    static func sequenceHint(_ stage: SMTPStage) -> String {
        switch stage {
        case .mail: "It did not take the greeting (EHLO/HELO), or it wants something else first."
        case .rcpt: "It did not take MAIL FROM."
        case .data: "It took no recipient, so there is nothing to send."
        case .auth: "It is already logged in, or takes no login now."
        default: ""
        }
    }

    static func mechanismsText(_ e: FailureEvidence) -> String {
        let mechanisms = FailureEvidence.authMechanisms(in: e.extensions)
        return mechanisms.isEmpty ? "" : " (it offers \(mechanisms.joined(separator: ", ")))"
    }
}

extension FailureEvidence {
    /// Names the server's certificate covers, when the session saw them.
    public var tlsNames: [String] { tls?.names ?? [] }
}

extension Diagnosis {
    /// The explanation with everything known about the reply and the server: a known reply
    /// (`ReplyCatalogue`) replaces the generic words for its kind and names the advice by its id,
    /// web addresses in the reply are quoted, and a recognised provider adds what to know about it.
    public static func explainKnowing(kind: FailureKind, stage: SMTPStage, reply: ServerReply?, evidence e: FailureEvidence,
                                      provider: Provider?) -> (explanation: String, suggestions: [String], advice: String?) {
        var words: (explanation: String, suggestions: [String])
        var advice: String?
        // The catalogue's words only where they say what the classifier decided, so the kind
        // and the advice never disagree.
        if let reply, let known = FailureClassifier.meaning(of: reply, at: stage, evidence: e).known, known.kind == nil || known.kind == kind {
            words = (known.explanation, known.suggestions)
            advice = known.id
        } else {
            words = explain(kind: kind, stage: stage, reply: reply, evidence: e)
        }
        if stage == .auth, let oauth = OAuthAdvice.adjust(words, advice: advice, kind: kind, reply: reply, evidence: e, provider: provider) {
            (words, advice) = oauth
        }
        if let reply {
            for link in ReplyCatalogue.links(in: reply) where !words.suggestions.contains(where: { $0.contains(link) }) {
                words.suggestions.append("The server points to \(link) for this reply.")
            }
        }
        if let provider, kind != .cancelled {
            for tip in provider.advice(for: stage).prefix(2) where !words.suggestions.contains(tip) {
                words.suggestions.append("\(provider.name): \(tip)")
            }
        }
        return (words.explanation, words.suggestions, advice)
    }
}
