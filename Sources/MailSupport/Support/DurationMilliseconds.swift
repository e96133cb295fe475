extension Duration {
    /// Seconds as a decimal, as JSON and people read a duration (`0.012`).
    public var inSeconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }

    /// Whole milliseconds, for people and for poll timeouts.
    public var milliseconds: Int {
        let (whole, overflow) = components.seconds.multipliedReportingOverflow(by: 1000)
        if overflow { return components.seconds < 0 ? Int.min : Int.max }
        let (total, overflowAgain) = whole.addingReportingOverflow(components.attoseconds / 1_000_000_000_000_000)
        return overflowAgain ? (whole < 0 ? Int.min : Int.max) : Int(total)
    }
}
