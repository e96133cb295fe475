import MailCore

/// The compose screen's side of `SendService`: a plan in, a session or the problems by field out.
enum SendPreparation {
    /// The problems by the field that shows them; the first problem of a field is the one shown.
    struct Refusal: Error, Equatable {
        var problems: [FieldID: String]

        init(_ problems: [SendProblem]) {
            var byField: [FieldID: String] = [:]
            for problem in problems where byField[FieldID(problem.subject)] == nil { byField[FieldID(problem.subject)] = problem.reason }
            self.problems = byField
        }
    }

    /// The session to run, or the problems by field. Reads files, so it runs off the UI thread.
    static func request(_ plan: SendPlan, kind: HistoryEntry.Kind, password: Result<String?, PasswordError>) -> Result<SessionRequest, Refusal> {
        SendService.prepare(kind, settings: plan.settings, draft: plan.draft, options: plan.options, password: password)
            .mapError { Refusal($0.problems) }
    }
}
