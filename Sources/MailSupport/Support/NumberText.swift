extension Double {
    /// `30` for whole numbers, `12.5` otherwise; `inf` and `nan` as such. Never traps.
    public var plainText: String {
        if isFinite, self == rounded(), abs(self) < 1e15 { return String(Int(self)) }
        return description
    }

    /// Whole milliseconds that never trap: NaN gives 0, and anything beyond `Int` saturates.
    public var saturatingMilliseconds: Int { (self * 1000).saturatingInt }

    /// The whole part, clamped into `Int`'s range; NaN gives 0.
    public var saturatingInt: Int {
        if isNaN { return 0 }
        if self >= 9.2e18 { return Int.max }
        if self <= -9.2e18 { return Int.min }
        return Int(self)
    }
}
