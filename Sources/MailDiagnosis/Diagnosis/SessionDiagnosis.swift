/// The words of a failed session: the reply catalogue's or the kind's, with the tips of the
/// provider recognised from the host name or the greeting.
public struct SessionDiagnosis: FailureExplaining {
    public init() {}

    public func explain(kind: FailureKind, stage: SMTPStage, reply: ServerReply?, evidence: FailureEvidence,
                        greeting: ServerReply?) -> (explanation: String, suggestions: [String], advice: String?) {
        let provider = Provider.recognise(host: evidence.settings.host, greeting: greeting?.description)
        return Diagnosis.explainKnowing(kind: kind, stage: stage, reply: reply, evidence: evidence, provider: provider)
    }
}

extension SMTPSession {
    /// A session whose failures are put into mailtui's words (`SessionDiagnosis`).
    public convenience init() {
        self.init(explaining: SessionDiagnosis())
    }
}
