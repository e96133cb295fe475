import MailCore

/// A message on its way into a `MessageSink`: its octets are appended as they arrive.
protocol IncomingMessage: AnyObject {
    /// The id it will be stored under.
    var id: String { get }
    /// Octets appended so far.
    var bytes: Int { get }
    func append(_ octets: some Collection<UInt8>)
}

/// Where a session puts the messages it accepts. The session handler knows only this, so it runs
/// against the real `MessageStore` or an in-memory sink in tests alike.
protocol MessageSink: Sendable {
    /// A new message, empty.
    func begin() -> any IncomingMessage
    /// Forgets a message that will not be stored (refused, reset, or the connection went).
    func drop(_ message: any IncomingMessage)
    /// Stores the message with its record, then tells `done` (on any thread) what was stored or
    /// why it could not be.
    func commit(_ message: any IncomingMessage, _ record: StoredMessage,
                done: @escaping @Sendable (Result<StoredMessage, MessageStoreError>) -> Void)
    /// Where a message with this id is (or will be) kept, for its record.
    func path(of id: String) -> String
}

/// Where a session learns whether a fault strikes a stage it reaches.
protocol FaultSource: Sendable {
    /// Counts one more arrival at `stage` and returns the fault that strikes it, if one does.
    func reach(_ stage: SMTPStage, _ facts: FaultFacts) -> (fault: Fault, occurrence: Int)?
    /// The faults that pace the message beginning now (`bandwidth`, `close-after`).
    func pace(_ facts: FaultFacts) -> [(fault: Fault, occurrence: Int)]
}

extension FaultBook: FaultSource {}
