/// Puts a failure the engine classified into words a person can act on. The engine knows the
/// facts (the stage, the kind, the reply, the evidence, the greeting); the diagnosis layer above
/// it knows the advice and the providers. So the session is handed an explainer (MailDiagnosis's
/// `SMTPSession()` gives it `SessionDiagnosis`) instead of calling the layer above.
public protocol FailureExplaining: Sendable {
    func explain(kind: FailureKind, stage: SMTPStage, reply: ServerReply?, evidence: FailureEvidence,
                 greeting: ServerReply?) -> (explanation: String, suggestions: [String], advice: String?)
}
