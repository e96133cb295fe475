/// One reason a send cannot start, tied to what it concerns, so the compose screen can mark the
/// field and the CLI can name the option. Found before any connection is made.
public struct SendProblem: Error, Sendable, Equatable, CustomStringConvertible {
    /// What the problem is about: a server setting, a message field, or one of the send's own inputs.
    public enum Subject: Sendable, Hashable {
        case setting(SettingsError.Setting)
        case message(MessageField)
        case password
        case dsn
        case dkim
        case count

        /// The name the CLI and the form's labels use for it.
        public var label: String {
            switch self {
            case .setting(let setting): setting.rawValue
            case .message(let field): field.label
            case .password: "password"
            case .dsn: "DSN"
            case .dkim: "DKIM"
            case .count: "count"
            }
        }
    }

    public var subject: Subject
    public var reason: String

    public init(_ subject: Subject, _ reason: String) {
        self.subject = subject
        self.reason = reason
    }

    /// "From: a sender address is required", "DKIM: cannot read the key file k.pem": what the
    /// CLI prints after "error: ".
    public var description: String { "\(subject.label): \(reason)" }
}

/// Every problem that stops a send, in the order they were found.
public struct SendRefusal: Error, Sendable, Equatable {
    public var problems: [SendProblem]

    public init(_ problems: [SendProblem]) { self.problems = problems }

    /// The first problem about `subject`, if any.
    public func reason(for subject: SendProblem.Subject) -> String? {
        problems.first { $0.subject == subject }?.reason
    }
}
