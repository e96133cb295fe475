#if canImport(Glibc)
import Glibc
#endif

/// What varies from one rendering of the same message to the next. Tests fix all of it.
public struct RenderOptions: Sendable {
    /// Seconds since 1970 for the Date header; nil means now.
    public var date: Int?
    /// Offset from UTC for the Date header; nil means the local time zone.
    public var utcOffsetSeconds: Int?
    /// The Message-ID, with angle brackets; nil means a new random one.
    public var messageID: String?
    /// Fixed multipart boundaries instead of random ones.
    public var fixedBoundaries: Bool

    public init(date: Int? = nil, utcOffsetSeconds: Int? = nil, messageID: String? = nil, fixedBoundaries: Bool = false) {
        self.date = date
        self.utcOffsetSeconds = utcOffsetSeconds
        self.messageID = messageID
        self.fixedBoundaries = fixedBoundaries
    }

    /// Byte-for-byte repeatable output: a fixed date (2023-11-14 22:13:20 UTC), Message-ID and boundaries.
    public static let deterministic = RenderOptions(
        date: 1_700_000_000, utcOffsetSeconds: 0, messageID: "<deterministic@mailtui.invalid>", fixedBoundaries: true
    )
}

/// RFC 5322 date-time, e.g. `Thu, 26 Nov 2026 12:20:38 +0100`.
public enum RFC5322Date {
    static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    public static func format(epochSeconds: Int, utcOffsetSeconds: Int?) -> String {
        var t = time_t(epochSeconds)
        var parts = tm()
        let offset: Int
        if let fixed = utcOffsetSeconds {
            var shifted = time_t(epochSeconds + fixed)
            gmtime_r(&shifted, &parts)
            offset = fixed
        } else {
            localtime_r(&t, &parts)
            offset = parts.tm_gmtoff
        }
        let sign = offset < 0 ? "-" : "+"
        let minutes = abs(offset) / 60
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(days[Int(parts.tm_wday)]), \(parts.tm_mday) \(months[Int(parts.tm_mon)]) \(Int(parts.tm_year) + 1900) "
            + "\(two(Int(parts.tm_hour))):\(two(Int(parts.tm_min))):\(two(Int(parts.tm_sec))) "
            + "\(sign)\(two(minutes / 60))\(two(minutes % 60))"
    }
}
