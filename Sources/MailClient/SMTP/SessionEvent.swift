/// What the engine reports while a session runs, in order, from its background thread.
public enum SessionEvent: Sendable {
    /// A line of the conversation (already redacted and sanitised).
    case line(TranscriptLine)
    /// The session moved to a new stage.
    case stage(SMTPStage)
    /// TLS facts, as soon as they are known.
    case tls(TLSInfo)
    /// Upload progress of the message body.
    case progress(sent: Int, total: Int)
    /// A message of a load run (`--count`) was delivered or refused.
    case loadOutcome(LoadOutcome)
    /// The end, always the last event.
    case finished(SessionReport)
}

/// How a session ended, with everything a person or a script may want to know about it.
public struct SessionReport: Sendable, Equatable {
    /// nil when the session succeeded.
    public var failure: SessionFailure?
    /// The server's reply to the end of the message (`250 2.0.0 Ok: queued as ...`).
    public var finalReply: ServerReply?
    public var acceptedRecipients: [String]
    public var rejectedRecipients: [RejectedRecipient]
    /// The greeting's text.
    public var greeting: ServerReply?
    /// EHLO keywords with their parameters, from the last EHLO (after STARTTLS where there was one).
    public var extensions: [String]
    /// EHLO keywords before STARTTLS, when STARTTLS was used.
    public var extensionsBeforeTLS: [String]?
    public var tls: TLSInfo?
    /// Whether the server accepted a login (a 235 reply).
    public var authenticated: Bool
    /// How long each stage took, in the order they happened.
    public var stageTimes: [StageTime]
    public var elapsed: Duration
    public var messageBytes: Int
    /// The whole redacted transcript.
    public var transcript: [TranscriptLine]
    /// Name lookup and TCP connect, as libcurl measured them (nil when not reached).
    public var nameLookup: Duration? = nil
    public var tcpConnect: Duration? = nil
    /// A user was set but no password was given, so no login was tried (a probe does this).
    public var loginSkipped = false
    /// The libcurl and TLS library that ran it (`libcurl 7.88.1 with OpenSSL/3.0.22`).
    public var client: String? = nil

    public var succeeded: Bool { failure == nil }
}

/// One stage and how long it took.
public struct StageTime: Sendable, Codable, Equatable {
    public var stage: SMTPStage
    public var duration: Duration
}
