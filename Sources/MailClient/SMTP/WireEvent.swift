/// What happened on the wire, as typed events: the one vocabulary in which both speakers of a
/// session report to `SessionRecord`. libcurl's part (connect, greeting, EHLO, STARTTLS, TLS,
/// AUTH) reaches it through `CurlDebugText`, which reads libcurl's debug text; from MAIL FROM on,
/// `MailTransaction` and `Connection` report what they send and read directly.
enum WireEvent: Equatable {
    /// The TCP connection is up; the text is libcurl's `Connected to ...` line, sanitised.
    case connected(String)
    /// A line of libcurl's narration worth showing to a person, sanitised.
    case narration(String)
    /// The TLS handshake is done: protocol version and cipher, as libcurl named them.
    case tlsEstablished(version: String?, cipher: String?)
    /// One `key: value` line of the server certificate as libcurl printed it (sanitised).
    case certificateField(key: String, value: String)
    /// libcurl's verdict on the certificate: nil when it passed, else the problem in its words.
    case verification(problem: String?)
    /// A command went out.
    case command(SMTPCommand)
    /// A line came from the server, without its line end.
    case replyLine([UInt8])
    /// Message bytes went out.
    case uploaded(Int)
}
