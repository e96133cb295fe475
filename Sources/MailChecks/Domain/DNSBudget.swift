import Synchronization

/// The domain check's limits on DNS as a whole: a deadline and a number of queries. Whatever a
/// domain publishes (thousands of includes, answers that come slowly or never), the check ends in
/// about the time given; what it had no time left for is reported as not checked, not as broken.
public final class DNSBudget: Sendable {
    /// Queries past this many are not sent (a domain check needs a few dozen).
    public static let defaultMaxQueries = 500

    public let limit: Duration
    public let maxQueries: Int
    private let deadline: ContinuousClock.Instant
    private let state = Mutex((queries: 0, refused: 0))

    public init(limit: Duration, maxQueries: Int = DNSBudget.defaultMaxQueries) {
        self.limit = limit
        self.maxQueries = maxQueries
        deadline = ContinuousClock.now + limit
    }

    /// Queries sent so far.
    public var queries: Int { state.withLock { $0.queries } }
    /// Queries not sent because the budget was spent; a section that saw one is not checked.
    public var refused: Int { state.withLock { $0.refused } }

    /// Why no more queries go out, or nil while some may.
    public var spent: String? {
        if ContinuousClock.now >= deadline { return "the time limit of \(limit.components.seconds) s ran out (--deadline allows more)" }
        if state.withLock({ $0.queries }) >= maxQueries { return "more than \(maxQueries) DNS queries were needed" }
        return nil
    }

    /// Whole seconds left before the deadline, at least 1 while any time is left.
    var secondsLeft: Int {
        let left = deadline - ContinuousClock.now
        return max(1, Int(left.components.seconds))
    }

    /// Counts a query about to be sent; false when the budget is spent (the query is then refused).
    func take() -> Bool {
        let spent = spent != nil
        state.withLock { spent ? ($0.refused += 1) : ($0.queries += 1) }
        return !spent
    }
}

/// A resolver that asks another within a budget: each query's wait is cut to the time left, and
/// none goes out once the time or the number of queries is spent.
public struct BudgetedResolver: DNSResolving {
    public let base: any DNSResolving
    public let budget: DNSBudget

    public init(_ base: any DNSResolving, budget: DNSBudget) {
        self.base = base
        self.budget = budget
    }

    public var displayName: String { base.displayName }

    public func query(_ name: String, _ type: DNSType) -> DNSAnswer {
        guard budget.take() else { return .failure(budget.spent ?? "the DNS budget was spent") }
        return base.waitingAtMost(seconds: budget.secondsLeft).query(name, type)
    }

    public func waitingAtMost(seconds: Int) -> any DNSResolving { BudgetedResolver(base.waitingAtMost(seconds: seconds), budget: budget) }
}
